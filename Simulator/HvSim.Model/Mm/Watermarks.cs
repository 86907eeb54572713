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

    /// <summary>vm.min_free_kbytes: the configured value, or what init_per_zone_wmark_min sets (one zone: ppc64 memory is all lowmem).</summary>
    public static long MinFreeKbytes(HostConfig host) => host.MinFreeKbytes ?? DefaultMinFreeKbytes(host.MemoryBytes);

    /// <summary>setup_per_zone_wmarks: min = min_free_kbytes in pages; low = min + min/4; high = min + min/2.</summary>
    public static Watermarks For(HostConfig host) => FromMin(MinFreeKbytes(host) * 1024 / host.PageSizeBytes);

    /// <summary>The watermarks in bytes rather than pages (what a scenario check compares with memory sizes).</summary>
    public static Watermarks InBytes(HostConfig host) => FromMin(MinFreeKbytes(host) * 1024);

    private static Watermarks FromMin(long min) => new(min, min + min / 4, min + min / 2);
}
