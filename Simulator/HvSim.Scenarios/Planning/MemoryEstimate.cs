using HvSim.Model.Config;

namespace HvSim.Scenarios.Planning;

/// <summary>
/// Upper estimate of the memory one run needs, from the sizes the model keeps per page: 32 B per guest page (the
/// model's budget), 32 B per host page (state and LRU links), 32 B per HPTE (the HPTE and its revmap entry), 8 B per
/// swap slot, 12 B per guest page for workload tables (Zipf CDF and page permutation), 96 B per time-series sample per
/// guest, plus 64 MiB for the runtime.
/// </summary>
public static class MemoryEstimate
{
    public const long RuntimeBytes = 64L << 20;

    public static long Bytes(SimulationConfig c)
    {
        long total = RuntimeBytes;
        total += c.Host.MemoryBytes / c.Host.PageSizeBytes * 32;
        total += c.Host.Swap.CapacityBytes / c.Host.PageSizeBytes * 8;
        long samples = c.SampleIntervalNs > 0 ? c.DurationNs / c.SampleIntervalNs + 1 : 1;
        foreach (var g in c.Guests)
        {
            long pages = g.MemoryBytes / g.PageBytesOn(c.Platform, c.Host.PageSizeBytes);
            total += pages * (32 + 12);
            total += (1L << g.HptOrder) / 16 * 32;
            total += samples * 96;
        }
        total += samples * 64;
        return total;
    }

    /// <summary>The default limit: 80 % of the physical memory this process may use.</summary>
    public static long DefaultLimitBytes() => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 10 * 8;
}
