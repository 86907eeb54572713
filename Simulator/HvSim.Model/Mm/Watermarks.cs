using HvSim.Model.Config;

namespace HvSim.Model.Mm;

/// <summary>Zone watermarks of the 3.x kernel (mm/page_alloc.c setup_per_zone_wmarks), in host pages.</summary>
public readonly record struct Watermarks(long Min, long Low, long High)
{
    /// <summary>init_per_zone_wmark_min: int_sqrt(16 * lowmem_kB) clamped to [128, 65536] KiB (kernel-model.md §4).</summary>
    public static long DefaultMinFreeKbytes(long memoryBytes)
    {
        long kb = memoryBytes / 1024;
        long min = (long)Math.Sqrt(16.0 * kb);
        while (min * min > 16 * kb) min--;
        while ((min + 1) * (min + 1) <= 16 * kb) min++;
        return Math.Clamp(min, 128, 65536);
    }

    /// <summary>min = min_free_kbytes in pages; low = min + min/4; high = min + min/2.</summary>
    public static Watermarks For(HostConfig host)
    {
        long kb = host.MinFreeKbytes ?? DefaultMinFreeKbytes(host.MemoryBytes);
        long min = kb * 1024 / host.PageSizeBytes;
        return new Watermarks(min, min + min / 4, min + min / 2);
    }
}
