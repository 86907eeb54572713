using System.Diagnostics;

namespace HvSim.Scenarios.Tests;

/// <summary>A real `kill -9` of `hvsim batch` (real model) in the middle of a batch, then a resume.</summary>
[Collection(CliCollection.Name)]
public class KillResumeTests
{
    private const string Sweep = """
        name: killed
        seed: 9
        platform: both
        duration: 1s
        interval: 250ms
        host: {memory: 512MiB, reserved: 128MiB}
        guests: {memory: 128MiB, workload: {kind: zipf, think: 5us}}
        sweep:
          guests.count: [1, 2, 3, 4, 5, 6]
        """;

    private static readonly string[] Compared = ["manifest.json", "runs.csv", "summary.csv", "host.csv", "timeseries.csv", "fault_latency.csv"];

    [Fact]
    public void ResumedBatchEqualsAnUninterruptedOne()
    {
        using var dir = new TempDir();
        var file = dir.File("killed.yaml", Sweep);
        var clean = Path.Combine(dir.Path, "clean");
        var killed = Path.Combine(dir.Path, "killed");
        Assert.Equal(0, Cli.Run("batch", file, "--out", clean, "--jobs", "2").Exit);

        var dll = typeof(HvSim.Cli.ExitCodes).Assembly.Location;
        var psi = new ProcessStartInfo("dotnet", [dll, "batch", file, "--out", killed, "--jobs", "2"]) { RedirectStandardOutput = true, RedirectStandardError = true };
        // A killed .NET process leaves its diagnostics socket in the temp directory; the launcher turns the server off, so here too.
        psi.Environment["DOTNET_EnableDiagnostics"] = "0";
        using (var p = Process.Start(psi)!)
        {
            // Kill as soon as some runs are committed, while others are in flight.
            var runs = Path.Combine(killed, "runs");
            while (!p.HasExited && (!Directory.Exists(runs) || Directory.GetDirectories(runs, "killed.*").Length < 3)) Thread.Sleep(20);
            p.Kill(entireProcessTree: true);
            p.WaitForExit();
        }
        Assert.False(File.Exists(Path.Combine(killed, "summary.csv")) && Directory.GetDirectories(Path.Combine(killed, "runs"), "killed.*").Length < 12,
            "a killed batch must not leave a summary that looks finished");

        var (exit, output, err) = Cli.Run("batch", file, "--out", killed, "--jobs", "2");
        Assert.True(exit == 0, output + err);
        foreach (var f in Compared)
            Assert.True(File.ReadAllBytes(Path.Combine(clean, f)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(killed, f))), $"{f} differs after kill -9 and resume");
        Assert.Equal(
            Directory.GetDirectories(Path.Combine(clean, "runs")).Select(Path.GetFileName).Order(),
            Directory.GetDirectories(Path.Combine(killed, "runs")).Select(Path.GetFileName).Order());
        foreach (var run in Directory.GetDirectories(Path.Combine(clean, "runs")))
            foreach (var f in Directory.GetFiles(run).Where(f => !f.EndsWith("timing.json")))
                Assert.Equal(File.ReadAllBytes(f), File.ReadAllBytes(Path.Combine(killed, "runs", Path.GetFileName(run), Path.GetFileName(f))));
    }
}
