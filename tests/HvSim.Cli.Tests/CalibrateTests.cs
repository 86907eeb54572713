using System.Globalization;
using System.Text.RegularExpressions;

namespace HvSim.Cli.Tests;

/// <summary>A fact that needs O_DIRECT on the temporary folder's file system (tmpfs before Linux 6.6 refuses it).</summary>
public sealed class DirectIoFactAttribute : FactAttribute
{
    public DirectIoFactAttribute()
    {
        string probe = Path.Combine(Path.GetTempPath(), $"hvsim-odirect-{Environment.ProcessId}");
        if (RealKernel.Shell($"dd if=/dev/zero of='{probe}' bs=4096 count=1 oflag=direct status=none; rc=$?; rm -f '{probe}'; exit $rc") != 0)
            Skip = $"O_DIRECT writes are refused in {Path.GetTempPath()}";
    }
}

public sealed class CalibrateTests
{
    [DirectIoFact]
    public void CalibrateMeasuresANewFileDeletesItAndWritesABlockAScenarioExtends()
    {
        using var dir = new TempDir();
        string device = dir.Combine("device.bin"), block = dir.Combine("swap.yaml");
        var r = Hvsim.Run("calibrate", "swap", device, "--size", "4MiB", "--ios", "40", "--depth", "2", "--page-size", "4KiB", "--out", block);
        Assert.True(r.Exit == 0, r.ToString());
        Assert.False(File.Exists(device)); // the file it created for the measurement is gone
        // The histogram holds every queue-depth-1 4 KiB read and nothing else: its weights sum to --ios.
        string histogram = Regex.Match(File.ReadAllText(block), "latency_histogram: \"([^\"]*)\"").Groups[1].Value;
        Assert.Equal(40, histogram.Split(',').Sum(b => double.Parse(b.Trim().Split(' ')[1], CultureInfo.InvariantCulture)));
        string scenario = dir.File("s.yaml", "extends: swap.yaml\nhost: {memory: 1GiB, page_size: 4KiB}\nguests: {memory: 256MiB, page_size: 4KiB, workload: {kind: uniform}}\n");
        var validate = Hvsim.Run("validate", scenario);
        Assert.True(validate.Exit == 0, validate.ToString());
    }

    [Fact]
    public void CalibrateRefusesToOverwriteAFileItDidNotWrite()
    {
        using var dir = new TempDir();
        string mine = dir.File("notes.yaml", "my own notes\n");
        var r = Hvsim.Run("calibrate", "swap", dir.Combine("device.bin"), "--size", "4MiB", "--ios", "40", "--out", mine);
        Assert.Equal(2, r.Exit);
        Assert.Contains($"--out {mine} exists and was not written by `hvsim calibrate swap`; nothing was touched (allowed: a new file, or an earlier calibration)", r.Err);
        Assert.Equal("my own notes\n", File.ReadAllText(mine));
        Assert.False(File.Exists(dir.Combine("device.bin")));
    }

    [Fact]
    public void CalibrateRefusesAFifoADeviceOrAFolderAsItsOutputWithoutOpeningIt()
    {
        // Reading a FIFO's first line to see whether an earlier calibration wrote it would block until a writer came.
        using var dir = new TempDir();
        string fifo = dir.Combine("swap.yaml"), folder = dir.Combine("folder");
        Assert.Equal(0, RealKernel.Shell($"mkfifo '{fifo}'"));
        Directory.CreateDirectory(folder);
        foreach (var (output, kind) in new[] { (fifo, "a named pipe (FIFO)"), ("/dev/null", "a device"), (folder, "a folder") })
        {
            var r = Hvsim.Run("calibrate", "swap", dir.Combine("device.bin"), "--size", "4MiB", "--ios", "40", "--out", output);
            Assert.Equal(2, r.Exit);
            Assert.Contains($"--out {output}: {output} is {kind}", r.Err);
            Assert.Contains("nothing was touched (allowed: a new file, or an earlier calibration)", r.Err);
            Assert.False(File.Exists(dir.Combine("device.bin")));
        }
        Assert.Equal(new[] { "folder", "swap.yaml" }, Directory.GetFileSystemEntries(dir.Path).Select(e => Path.GetFileName(e)!).Order().ToArray());
    }
}
