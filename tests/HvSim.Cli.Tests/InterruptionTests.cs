using System.Diagnostics;
using System.Runtime.InteropServices;

namespace HvSim.Cli.Tests;

/// <summary>
/// hvsim stopped from outside (issue 13, P2 and P3). Each test starts its own hvsim process and signals or kills only
/// that process, by the id Process.Start returned.
/// </summary>
public sealed class InterruptionTests
{
    /// <summary>A batch of four quickstart-sized runs, one at a time: far longer than the moment it takes to stop it.</summary>
    private const string LongBatch = """
        name: long
        duration: 100s
        platform: power7
        replications: 4
        host: {memory: 2GiB}
        guests: {count: 2, memory: 1GiB, workload: {kind: zipf}}
        """;

    [Fact]
    public void SigtermRemovesTheUnfinishedRunFoldersAndSaysSo()
    {
        using var dir = new TempDir();
        var scenario = dir.File("long.yaml", LongBatch);
        var output = dir.Combine("out");
        using var process = Start("dotnet", [Path.Combine(AppContext.BaseDirectory, "hvsim.dll"), "batch", scenario, "--jobs", "1", "--out", output]);
        // "batch: N runs to do" is printed once the folder is claimed and the first run is about to start.
        string? line;
        while ((line = process.StandardOutput.ReadLine()) is not null && !line.Contains("runs to do", StringComparison.Ordinal)) { }
        Assert.NotNull(line);
        Assert.Equal(0, kill(process.Id, 15 /* SIGTERM */));
        string err = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 143, $"exit {process.ExitCode}: {err}");
        Assert.Contains("hvsim: interrupted by SIGTERM; unfinished files removed", err);
        var leftovers = Directory.EnumerateFileSystemEntries(output, ".*", SearchOption.AllDirectories).ToList();
        Assert.True(leftovers.Count == 0, string.Join("\n", leftovers));
    }

    /// <summary>
    /// Killed .NET processes leave their diagnostics socket (dotnet-diagnostic-PID-*) in /tmp; the launcher switches
    /// the diagnostics server off. The process is looked at once the script has exec'd into dotnet (same PID).
    /// </summary>
    [Fact]
    public void TheLauncherTurnsTheDiagnosticsServerOff()
    {
        using var dir = new TempDir();
        var scenario = dir.File("long.yaml", LongBatch);
        using var process = Start("bash", [Path.Combine(Repo.Root, "hvsim"), "batch", scenario, "--jobs", "1", "--out", dir.Combine("out")]);
        _ = process.StandardError.ReadToEndAsync();
        string? line;
        // The script may build first; by the first line of batch output it is the dotnet process.
        while ((line = process.StandardOutput.ReadLine()) is not null && !line.Contains("runs to do", StringComparison.Ordinal)) { }
        Assert.NotNull(line);
        var environment = File.ReadAllText($"/proc/{process.Id}/environ").Split('\0');
        process.Kill();
        process.WaitForExit();
        Assert.Contains("DOTNET_EnableDiagnostics=0", environment);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.GetTempPath(), $"dotnet-diagnostic-{process.Id}-*"));
    }

    private static Process Start(string program, string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = Repo.Root };
        foreach (var a in args) start.ArgumentList.Add(a);
        foreach (var name in new[] { "HVSIM_DEBUG", "COLUMNS", "DOTNET_EnableDiagnostics" }) start.Environment.Remove(name);
        return Process.Start(start)!;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);
}
