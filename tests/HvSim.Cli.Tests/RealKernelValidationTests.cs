using System.Diagnostics;
using System.Globalization;
using Xunit.Abstractions;

namespace HvSim.Cli.Tests;

/// <summary>What the real-kernel validation needs of the machine: root, a memory cgroup, swap tools, gcc and a file system that takes swap files.</summary>
public static class RealKernel
{
    /// <summary>Why this machine cannot run validation/run.sh, or null when it can.</summary>
    public static string? MissingReason { get; } = Probe();

    private static string? Probe()
    {
        if (!OperatingSystem.IsLinux()) return "needs Linux";
        if (!Environment.IsPrivilegedProcess) return "needs root (swapon, memory cgroups)";
        bool v1 = File.Exists("/sys/fs/cgroup/memory/memory.limit_in_bytes");
        bool v2 = new[] { "/sys/fs/cgroup/cgroup.subtree_control", "/sys/fs/cgroup/unified/cgroup.subtree_control" }
            .Any(f => File.Exists(f) && File.ReadAllText(f).Split(' ', '\n').Contains("memory"));
        if (!v1 && !v2) return "no memory cgroup (v1 /sys/fs/cgroup/memory, or v2 with the memory controller enabled)";
        foreach (var tool in new[] { "swapon", "mkswap", "gcc" })
            if (Shell($"command -v {tool}") != 0) return $"{tool} is missing (tests/setup.sh installs gcc as root)";
        // Swap files work on ext4, xfs and btrfs, not on tmpfs or overlayfs (swapon would refuse).
        if (Shell("stat -f -c %T /var/tmp | grep -qE '^(ext2/ext3|ext4|xfs|btrfs|f2fs)$'") != 0) return "/var/tmp is on a file system that takes no swap file";
        return null;
    }

    public static int Shell(string command)
    {
        using var p = Process.Start(new ProcessStartInfo("bash", ["-c", command]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        p.WaitForExit();
        return p.ExitCode;
    }
}

/// <summary>A fact that runs the real-kernel experiment: reported skipped, with the reason, where the machine cannot.</summary>
public sealed class RealKernelFactAttribute : FactAttribute
{
    public RealKernelFactAttribute()
    {
        if (RealKernel.MissingReason is { } reason) Skip = reason;
    }
}

/// <summary>A fact that needs a usable /dev/kvm besides the real-kernel requirements.</summary>
public sealed class KvmFactAttribute : FactAttribute
{
    public KvmFactAttribute()
    {
        if (RealKernel.MissingReason is { } reason) Skip = reason;
        else if (KvmReason() is { } kvm) Skip = kvm;
    }

    private static string? KvmReason()
    {
        try
        {
            using var kvm = File.Open("/dev/kvm", FileMode.Open, FileAccess.ReadWrite);
            // The same rule and reason as validation/kvm-guest.c --check.
            return Directory.Exists("/sys/module/kvm_pvm")
                ? "KVM here is kvm-pvm (no VMX/SVM), whose guest the memory cgroup's OOM killer ends in most runs once its limit is below the footprint (docs/validation.md, The KVM guest)"
                : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"/dev/kvm is not usable: {e.Message}";
        }
    }
}

/// <summary>
/// A reduced run of docs/validation.md: the real kernel in a memory cgroup with swap against HvSim over the same
/// access window. The truth both are held to is independent of either: for uniform random access over N pages of
/// which C can be resident (the independent reference model), every demand-paging policy misses 1 - C/N of the
/// time in steady state, whichever pages it chooses to keep.
/// </summary>
public class RealKernelValidationTests(ITestOutputHelper output)
{
    private static double D(Dictionary<string, string> row, string column) => double.Parse(row[column], CultureInfo.InvariantCulture);

    /// <summary>validation/run.sh at 64 MiB, then `hvsim validation --kernel linux-6.18`: the comparison's rows.</summary>
    private List<Dictionary<string, string>> Run(string patterns, string ratios, string runner = "")
    {
        string dir = Directory.CreateTempSubdirectory("hvsim-validation-test").FullName;
        try
        {
            string real = Path.Combine(dir, "real.csv");
            var script = Path.Combine(Repo.Root, "validation", "run.sh");
            int exit = RealKernel.Shell($"'{script}' --out '{real}' --mib 64 --ratios {ratios} --patterns {patterns} --turnovers 4 --accesses 32768 {runner} 2> '{dir}/run.log'");
            Assert.True(exit == 0, $"validation/run.sh exited {exit}: {File.ReadAllText(Path.Combine(dir, "run.log"))}");
            var result = Hvsim.Run("validation", real, "--out", Path.Combine(dir, "cmp"), "--kernel", "linux-6.18");
            Assert.True(result.Exit == 0, result.ToString());
            output.WriteLine(result.Out);
            var lines = File.ReadAllLines(Path.Combine(dir, "cmp", "comparison.csv"));
            var header = lines[0].Split(',');
            return lines.Skip(1).Select(l => header.Zip(l.Split(',')).ToDictionary(p => p.First, p => p.Second)).ToList();
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [RealKernelFact]
    public void MajorFaultsPerAccessMatchTheRealKernelWithinTenPercentInTheLinux618Mode()
    {
        // HvSim's linux-6.18 mode with the cgroup limit as memory_max and the plain process's fault path
        // (guests.fault_path: process), nothing tuned per point (docs/validation.md).
        var rows = Run("uniform,zipf:0.9,hotcold:0.25:0.9", "1,0.5,0.25");
        Assert.Equal(9, rows.Count);
        foreach (var r in rows)
        {
            double real = D(r, "real_major_per_access"), hvsim = D(r, "hvsim_major_per_access");
            output.WriteLine($"{r["point"]}: major faults per access real {real:0.0000}, HvSim {hvsim:0.0000}");
            if (r["pattern"] == "uniform")
            {
                // Independent truth: the independent reference model. 32768 measured accesses of 16384 pages: the
                // sampling sd of a miss ratio is at most 0.003; C is known to a few pages.
                double irm = D(r, "irm_miss_ratio");
                Assert.InRange(real, irm - 0.03, irm + 0.03);
                Assert.InRange(hvsim, irm - 0.03, irm + 0.03);
            }
            if (real == 0)
            {
                Assert.True(hvsim < 0.001, $"{r["point"]}: HvSim {hvsim} where the real kernel took no major fault");
                continue;
            }
            // The real kernel varies from one run to the next, because its reclaim order depends on timing. Measured
            // on this machine kind at this size (64 MiB, 32768 accesses), 2026-12-07, five runs: Zipf(0.9) at 0.25
            // 0.2720-0.2849 major faults per access (HvSim 0.284-0.287); hot/cold at 0.5 0.0650-0.0678. At 32 MiB,
            // where this test first ran, hot/cold 0.5 spread 0.0622-0.0728 (17 %) and Zipf 0.25 0.2603-0.2809 (one CI
            // run read HvSim +10.9 %), so hot/cold's bound is ±20 %. Hot/cold at 0.25, where the hot set is about as
            // large as the limit, spreads 0.1816-0.2598: reported, not asserted.
            if (r["pattern"] == "hotcold" && D(r, "ratio") < 0.5) continue;
            double bound = r["pattern"] == "hotcold" ? 0.2 : 0.1;
            Assert.InRange(hvsim / real, 1 - bound, 1 + bound);
        }
    }

    [KvmFact]
    public void AKvmGuestTakesTheSameHostMajorFaultsPerAccessAsThePlainProcess()
    {
        // The same stream with the same warm-up in a KVM guest: the host pages the guest's memory out and the guest's
        // accesses fault it back through the EPT-violation handler and get_user_pages, counted in the task's majflt.
        var rows = Run("uniform", "0.5", "--kvm");
        var process = Assert.Single(rows, r => r["runner"] == "process");
        var kvm = Assert.Single(rows, r => r["runner"] == "kvm");
        Assert.InRange(D(kvm, "real_major_per_access") / D(process, "real_major_per_access"), 0.9, 1.1);
        // HvSim's KVM guest (guests.fault_path: kvm) against the real one.
        Assert.InRange(D(kvm, "hvsim_major_per_access") / D(kvm, "real_major_per_access"), 0.9, 1.1);
    }
}
