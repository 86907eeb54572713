using System.Diagnostics;

namespace HvSim.Cli.Tests;

/// <summary>The result of one `hvsim` process: exit code and everything it printed.</summary>
public sealed record HvsimResult(int Exit, string Out, string Err)
{
    public override string ToString() => $"exit {Exit}\n--- stdout:\n{Out}\n--- stderr:\n{Err}";
}

/// <summary>
/// Runs the built `hvsim` as its own process, with stdout and stderr redirected (pipes, as under a script or CI):
/// exit codes, console width and progress output are exactly what a user gets, not what an in-process call sees.
/// </summary>
public static class Hvsim
{
    private static readonly string Dll = Path.Combine(AppContext.BaseDirectory, "hvsim.dll");

    public static HvsimResult Run(params string[] args) => Run(null, args);

    public static HvsimResult Run(IReadOnlyDictionary<string, string?>? environment, params string[] args) =>
        Start("dotnet", Dll, environment, args);

    /// <summary>Through the repository's `./hvsim` script, as the README has a user start it (it builds when stale).</summary>
    public static HvsimResult RunLauncher(IReadOnlyDictionary<string, string?>? environment, params string[] args) =>
        Start("bash", Path.Combine(Repo.Root, "hvsim"), environment, args);

    /// <summary>Any program, e.g. one that runs hvsim on a pseudo-terminal.</summary>
    public static HvsimResult RunProgram(string program, params string[] args) => Start(program, args[0], null, args[1..]);

    private static HvsimResult Start(string program, string entry, IReadOnlyDictionary<string, string?>? environment, string[] args)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Repo.Root,
        };
        start.ArgumentList.Add(entry);
        foreach (var a in args) start.ArgumentList.Add(a);
        // A user's terminal settings must not leak into what the tests see.
        foreach (var name in new[] { "HVSIM_DEBUG", "COLUMNS" }) start.Environment.Remove(name);
        if (environment is not null)
            foreach (var (name, value) in environment)
                start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"hvsim {string.Join(' ', args)} did not finish");
        }
        return new HvsimResult(process.ExitCode, stdout.Result, stderr.Result);
    }
}

public static class Repo
{
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "HvSim.slnx"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    }
}

/// <summary>A temporary folder deleted after the test.</summary>
public sealed class TempDir : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("hvsim-cli-").FullName;

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public string File(string name, string text)
    {
        var p = Combine(name);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(p)!);
        System.IO.File.WriteAllText(p, text);
        return p;
    }

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}

/// <summary>Small scenarios that run in well under a second.</summary>
public static class TinyScenarios
{
    /// <summary>Two 160 MiB guests on a 256 MiB host: POWER7 pages, PPC970 refuses both.</summary>
    public const string Run = """
        name: tiny
        seed: 7
        platform: both
        duration: 2s
        warmup: 500ms
        interval: 250ms
        host:
          memory: 256MiB
          reserved: 64MiB
          swap: ssd
        guests:
          count: 2
          memory: 160MiB
          vcpus: 1
          workload:
            kind: zipf
            alpha: 0.8
            think: 20us
        """;

    /// <summary>A plan over <see cref="Run"/>, saved beside it as tiny.yaml: one replication, at most 2 guests.</summary>
    public const string Plan = """
        scenario: tiny.yaml
        slo: {mean_stall_fraction: 90%}
        replications: 1
        max_guests: 2
        """;

    /// <summary>3 sweep points x 2 platforms x 2 replications = 12 runs.</summary>
    public const string Sweep = """
        name: sweep
        seed: 11
        platform: both
        replications: 2
        duration: 1s
        warmup: 200ms
        interval: 200ms
        host:
          memory: 256MiB
          reserved: 64MiB
        guests:
          count: 1
          memory: 128MiB
          workload:
            kind: uniform
            think: 50us
        sweep:
          guests.count: [1, 2, 3]
        """;
}
