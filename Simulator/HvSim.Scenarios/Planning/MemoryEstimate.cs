using HvSim.Model.Config;
using HvSim.Model.Workloads;

namespace HvSim.Scenarios.Planning;

/// <summary>
/// Upper estimate of the memory one run needs, from the sizes the model keeps per page: 32 B per guest page (the
/// model's budget), 32 B per host page (state and LRU links), 32 B per HPTE (the HPTE and its revmap entry), 8 B per
/// swap slot, 32 B per page of the host page cache's file (flags, dirtied time, LRU links, shadow), every workload table the guests build (<see cref="WorkloadSpec.Tables"/>: each distinct Zipf table of
/// a plain, `mix` or `phased` workload, each trace's page map and in-memory requests; tables shared by key count once,
/// plus the largest one's build scratch), 96 B per time-series sample per guest, plus 64 MiB for the runtime. The run
/// list itself costs <see cref="BytesPerPlannedRun"/> per run.
/// </summary>
public static class MemoryEstimate
{
    public const long RuntimeBytes = 64L << 20;

    /// <summary>
    /// Allowance per entry of a run list held while runs execute: the planned run, its configuration and guest list (a
    /// few hundred bytes) and, in a batch, its manifest entry (the configuration as a JSON tree of a few hundred nodes,
    /// and its hash): a few KiB, rounded up to 16 KiB for guests with long workload descriptions.
    /// </summary>
    public const long BytesPerPlannedRun = 16L << 10;

    public static long Bytes(SimulationConfig c)
    {
        long total = RuntimeBytes;
        total += c.Host.MemoryBytes / c.Host.PageSizeBytes * 32;
        total += c.Host.Swap.CapacityBytes / c.Host.PageSizeBytes * 8;
        if (c.Host.PageCache.Enabled) total += c.Host.PageCache.FootprintBytes / c.Host.PageSizeBytes * 32;
        foreach (var g in c.Guests)
        {
            long pages = GuestPages(c, g);
            total += pages * 32;
            total += (1L << g.HptOrder) / 16 * 32;
        }
        total += WorkloadTableBytes(c);
        total += SampleRowsBytes(c);
        return total;
    }

    /// <summary>The time-series rows of a run: 96 B per sample per guest and 64 B per host sample.</summary>
    private static long SampleRowsBytes(SimulationConfig c)
    {
        long samples = c.SampleIntervalNs > 0 ? c.DurationNs / c.SampleIntervalNs + 1 : 1;
        return samples * 96 * c.Guests.Count + samples * 64;
    }

    /// <summary>
    /// What a finished run leaves in memory until its command writes the tables (a plan keeps every probe run's):
    /// its time-series rows and a planned run's allowance for its configuration and summary rows.
    /// </summary>
    public static long KeptRunBytes(SimulationConfig c) => BytesPerPlannedRun + SampleRowsBytes(c);

    /// <summary>The guests' workload tables: each distinct key once, plus the largest build scratch (tables are built one at a time).</summary>
    public static long WorkloadTableBytes(SimulationConfig c)
    {
        var tables = new Dictionary<object, WorkloadTable>();
        foreach (var g in c.Guests)
            foreach (var t in g.Workload.Tables((int)Math.Min(GuestPages(c, g), int.MaxValue)))
                tables.TryAdd(t.Key, t);
        return tables.Values.Sum(t => t.Bytes) + tables.Values.Select(t => t.BuildBytes).DefaultIfEmpty(0).Max();
    }

    /// <summary>Bytes of a run list of <paramref name="runs"/> entries.</summary>
    public static long RunListBytes(long runs) => runs * BytesPerPlannedRun;

    /// <summary>The default limit: 80 % of the physical memory this process may use.</summary>
    public static long DefaultLimitBytes() => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 10 * 8;

    private static long GuestPages(SimulationConfig c, GuestConfig g) => g.MemoryBytes / g.PageBytesOn(c.Platform, c.Host.PageSizeBytes);
}
