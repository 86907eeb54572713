using System.Globalization;
using HvSim.Model.Hv;

namespace HvSim.Model.Tests.Model;

/// <summary>
/// The simulator's big tables ask the kernel for transparent huge pages: the truth is the kernel's own account of this
/// process's mappings, /proc/self/smaps, whose VmFlags list `hg` for a range under madvise(MADV_HUGEPAGE)
/// (fs/proc/task_mmu.c, show_smap_vma_flags: VM_HUGEPAGE).
/// </summary>
public class HugePagesTests
{
    [HugePagesFact]
    public void HptAndRevmapOfOrder24AreAdvised()
    {
        var hpt = new Hpt(24, 64 << 10, 1 << 14);
        Assert.True(IsAdvised(Middle(hpt.Entries)), "the HPT's 8 MiB array is not under MADV_HUGEPAGE");
        Assert.True(IsAdvised(Middle(hpt.Revmap)), "the revmap's 12 MiB array is not under MADV_HUGEPAGE");
        GC.KeepAlive(hpt);
    }

    [HugePagesFact]
    public void ArrayOfFourHugePagesIsAdvised()
    {
        // (Whether a small array is left alone cannot be read from smaps: it may sit where an earlier advised array
        // was, in a range that keeps the flag.)
        var big = HugePages.NewArray<long>(4 << 20 >> 3);
        Assert.True(IsAdvised(Middle(big)));
        GC.KeepAlive(big);
    }

    private static unsafe long Middle<T>(T[] array) where T : unmanaged
    {
        fixed (T* p = array) return (long)p + (long)array.Length * sizeof(T) / 2;
    }

    /// <summary>Whether the mapping holding <paramref name="address"/> has `hg` among its VmFlags.</summary>
    private static bool IsAdvised(long address)
    {
        bool inside = false;
        foreach (var line in File.ReadLines("/proc/self/smaps"))
        {
            int dash = line.IndexOf('-');
            int space = line.IndexOf(' ');
            if (dash > 0 && space > dash && long.TryParse(line[..dash], NumberStyles.HexNumber, null, out long start)
                && long.TryParse(line[(dash + 1)..space], NumberStyles.HexNumber, null, out long end))
                inside = start <= address && address < end;
            else if (inside && line.StartsWith("VmFlags:", StringComparison.Ordinal))
                return line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains("hg");
        }
        throw new InvalidOperationException($"no mapping holds 0x{address:x}");
    }
}

/// <summary>A fact that needs Linux with transparent huge pages not disabled: reported skipped (never passed) elsewhere.</summary>
public sealed class HugePagesFactAttribute : FactAttribute
{
    private const string Setting = "/sys/kernel/mm/transparent_hugepage/enabled";

    public HugePagesFactAttribute()
    {
        if (!OperatingSystem.IsLinux()) Skip = "transparent huge pages are a Linux feature";
        else if (!File.Exists(Setting)) Skip = $"{Setting} is missing: this kernel has no transparent huge pages";
        else if (File.ReadAllText(Setting).Contains("[never]")) Skip = $"{Setting} is [never]";
    }
}
