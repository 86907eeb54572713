using System.Diagnostics;

namespace HvSim.Scenarios.Tests;

/// <summary>
/// `hvsim run` replacing earlier results (issue 13, P2): killed or failing at any moment, it leaves the folder with
/// the earlier results, whole, or the new ones, never a mix; and it cleans up what a killed run left beside it.
/// </summary>
[Collection(CliCollection.Name)]
public class RunFolderSwapTests
{
    private const string Small = """
        name: small
        duration: 2s
        interval: 1s
        platform: power7
        host: {memory: 1GiB}
        guests: {memory: 256MiB, workload: {kind: uniform}}
        """;

    /// <summary>The process id of a process that has exited: what a kill -9 leaves in temporary names.</summary>
    private static int DeadPid()
    {
        using var p = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        p.WaitForExit();
        return p.Id;
    }

    [Fact]
    public void ARunKilledBetweenItsRenamesLosesNothingAndItsLeftoversGo()
    {
        using var dir = new TempDir();
        var scenario = dir.File("small.yaml", Small);
        var output = Path.Combine(dir.Path, "out");
        int dead = DeadPid();
        // What kill -9 leaves at the worst moment: the earlier folder renamed aside (with a file of the user's in it)
        // and the new one, complete or not, not yet renamed into place.
        var old = Path.Combine(dir.Path, $".out.old-{dead}-0123");
        Directory.CreateDirectory(old);
        File.WriteAllText(Path.Combine(old, "manifest.json"), """{"tool": "hvsim run", "kind": "run"}""");
        File.WriteAllText(Path.Combine(old, "summary.csv"), "earlier\n");
        File.WriteAllText(Path.Combine(old, "notes.txt"), "mine");
        var half = Path.Combine(dir.Path, $".out.tmp-{dead}-4567");
        Directory.CreateDirectory(half);
        File.WriteAllText(Path.Combine(half, "summary.csv"), "half");

        var (exit, _, err) = Cli.Run("run", scenario, "--out", output);
        Assert.True(exit == 0, err);
        Assert.Equal("mine", File.ReadAllText(Path.Combine(output, "notes.txt")));
        Assert.StartsWith("scenario,", File.ReadAllText(Path.Combine(output, "summary.csv")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir.Path, ".*"));
    }

    [Fact]
    public void ARerunKeepsTheUsersFilesAndDropsTheEarlierRunsTables()
    {
        using var dir = new TempDir();
        var output = Path.Combine(dir.Path, "out");
        Assert.Equal(0, Cli.Run("run", dir.File("a.yaml", Small), "--out", output).Exit);
        File.WriteAllText(Path.Combine(output, "notes.txt"), "mine");
        // The second run writes no fault_latency.csv: the first run's must not stay beside its tables.
        var (exit, _, err) = Cli.Run("run", dir.File("b.yaml", Small + "\noutputs: [summary, host, timeseries]\n"), "--out", output);
        Assert.True(exit == 0, err);
        Assert.Equal("mine", File.ReadAllText(Path.Combine(output, "notes.txt")));
        Assert.False(File.Exists(Path.Combine(output, "fault_latency.csv")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir.Path, ".*"));
    }

    /// <summary>
    /// A full disk while the new results are written: before, the tables written so far replaced the earlier ones and
    /// the rest stayed, so the folder mixed two runs (and `plot` reported the mix). Needs a small tmpfs (root).
    /// </summary>
    [SmallTmpfsFact]
    public void AFullDiskLeavesTheEarlierResultsWhole()
    {
        using var dir = new TempDir();
        var mount = Path.Combine(dir.Path, "disk");
        using var disk = SmallTmpfsFactAttribute.Mount(mount, "8m");
        var output = Path.Combine(mount, "out");
        Assert.Equal(0, Cli.Run("run", dir.File("first.yaml", Small), "--out", output).Exit);
        var before = Directory.EnumerateFiles(output).Order(StringComparer.Ordinal).ToDictionary(f => f, File.ReadAllBytes);

        // Room for the small tables of the new run, but not for its timeseries.csv of 2000 rows.
        var filler = Path.Combine(mount, "filler");
        // Written, not sized: a tmpfs does not allocate the hole of a sparse file.
        long fill = new DriveInfo(mount).AvailableFreeSpace - (64 << 10);
        using (var f = File.Create(filler))
        {
            var block = new byte[64 << 10];
            for (long done = 0; done < fill; done += block.Length) f.Write(block, 0, (int)Math.Min(block.Length, fill - done));
        }
        // Another seed: every table of the new run differs from the earlier one, so a mix would show.
        var (exit, _, err) = Cli.Run("run", dir.File("second.yaml", Small.Replace("interval: 1s", "interval: 1ms")), "--seed", "2", "--out", output);

        Assert.True(exit == 1, err);
        Assert.Contains("No space left on device", err);
        Assert.Equal(before.Keys, Directory.EnumerateFiles(output).Order(StringComparer.Ordinal));
        foreach (var (file, bytes) in before) Assert.True(bytes.AsSpan().SequenceEqual(File.ReadAllBytes(file)), $"{file} changed");
        Assert.Empty(Directory.EnumerateFileSystemEntries(mount, ".*"));
    }
}

/// <summary>A fact that mounts a small tmpfs: reported skipped (never passed) where this process may not mount (not root, no CAP_SYS_ADMIN).</summary>
public sealed class SmallTmpfsFactAttribute : FactAttribute
{
    private static readonly string? Unavailable = Probe();

    public SmallTmpfsFactAttribute()
    {
        if (Unavailable is not null) Skip = Unavailable;
    }

    private static string? Probe()
    {
        if (!OperatingSystem.IsLinux()) return "tmpfs mounts need Linux";
        var dir = Directory.CreateTempSubdirectory("hvsim-mount-probe-").FullName;
        try
        {
            using (Mount(dir, "64k")) { }
            return null;
        }
        catch (InvalidOperationException e)
        {
            return $"cannot mount a tmpfs here ({e.Message}); run the tests as root to include this one";
        }
        finally
        {
            Directory.Delete(dir);
        }
    }

    /// <summary>Mount a tmpfs of <paramref name="size"/> on <paramref name="path"/> (created); unmounted when disposed.</summary>
    public static IDisposable Mount(string path, string size)
    {
        Directory.CreateDirectory(path);
        Exec("mount", "-t", "tmpfs", "-o", $"size={size}", "tmpfs", path);
        return new Unmount(path);
    }

    private sealed class Unmount(string path) : IDisposable
    {
        public void Dispose() => Exec("umount", path);
    }

    private static void Exec(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in args) start.ArgumentList.Add(a);
        try
        {
            using var p = Process.Start(start)!;
            string err = p.StandardError.ReadToEnd();
            p.WaitForExit();
            if (p.ExitCode != 0) throw new InvalidOperationException($"{program}: {err.Trim()}");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"{program}: {e.Message}");
        }
    }
}
