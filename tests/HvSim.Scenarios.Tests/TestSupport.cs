using System.Reflection;
using HvSim.Engine;
using HvSim.Model.Config;
using HvSim.Model.Results;

namespace HvSim.Scenarios.Tests;

/// <summary>Tests that run the real CLI in this process share the console, so they never run in parallel.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class CliCollection
{
    public const string Name = "cli";
}

public static class Repo
{
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(System.IO.Path.Combine(dir.FullName, "HvSim.slnx"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    }

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);
}

/// <summary>The real `hvsim` entry point, called in-process with the console captured.</summary>
public static class Cli
{
    private static readonly MethodInfo Main = typeof(HvSim.Cli.ExitCodes).Assembly.EntryPoint!;
    private static readonly Lock Gate = new();

    public static (int Exit, string Out, string Err) Run(params string[] args)
    {
        lock (Gate)
        {
            var (oldOut, oldErr) = (Console.Out, Console.Error);
            var (o, e) = (new StringWriter(), new StringWriter());
            Console.SetOut(o);
            Console.SetError(e);
            try
            {
                var exit = (int)Main.Invoke(null, [args])!;
                return (exit, o.ToString(), e.ToString());
            }
            finally
            {
                Console.SetOut(oldOut);
                Console.SetError(oldErr);
            }
        }
    }
}

/// <summary>A temporary folder deleted after the test.</summary>
public sealed class TempDir : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("hvsim-scn-").FullName;
    public string File(string name, string text)
    {
        var p = System.IO.Path.Combine(Path, name);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(p)!);
        System.IO.File.WriteAllText(p, text);
        return p;
    }
    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}

/// <summary>
/// A fast deterministic stand-in for the memory model: every number is drawn from the run's seed, so results depend
/// on the configuration and nothing else (the property the batch machinery must preserve).
/// </summary>
public static class FakeModel
{
    public static RunResult Run(SimulationConfig c)
    {
        var rng = new RngStream(c.Seed, "fake-model");
        var guests = new List<GuestResult>();
        for (int i = 0; i < c.Guests.Count; i++)
        {
            var g = new GuestResult
            {
                Guest = c.Guests[i].Name, Admitted = c.Platform == Platform.Power7 || i == 0,
                RefusalReason = c.Platform == Platform.Power7 || i == 0 ? null : "does not fit, pinned",
                GuestMemoryBytes = c.Guests[i].MemoryBytes,
                Accesses = (long)rng.NextBounded(1_000_000), HdsiFaults = (long)rng.NextBounded(10_000), MajorFaults = (long)rng.NextBounded(100),
                StalledNs = (long)rng.NextBounded(1_000_000_000), VcpuNs = 2_000_000_000,
            };
            for (int k = 0; k < 50; k++) g.FaultLatency.Add((long)rng.NextBounded(5_000_000));
            guests.Add(g);
        }
        var hostSeries = new List<HostSample>();
        var guestSeries = new List<GuestSample>();
        for (long t = c.SampleIntervalNs; t <= c.DurationNs; t += c.SampleIntervalNs)
        {
            hostSeries.Add(new HostSample(t, (long)rng.NextBounded(1L << 30), (long)rng.NextBounded(1L << 30), 0));
            for (int i = 0; i < c.Guests.Count; i++)
                guestSeries.Add(new GuestSample(t, i, (long)rng.NextBounded(1L << 30), 1, 2, 3, 4, 5, 6));
        }
        return new RunResult
        {
            Config = c, Guests = guests, SimulatedNs = c.DurationNs,
            Host = new HostResult { MemoryBytes = c.Host.MemoryBytes, PageSizeBytes = c.Host.PageSizeBytes, KswapdWakeups = (long)rng.NextBounded(100) },
            HostSeries = hostSeries, GuestSeries = guestSeries,
        };
    }
}
