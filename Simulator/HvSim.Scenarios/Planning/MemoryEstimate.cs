using System.Runtime.CompilerServices;
using HvSim.Model.Config;
using HvSim.Model.Hv;
using HvSim.Model.Mm;
using HvSim.Model.Replacement;
using HvSim.Model.Workloads;

namespace HvSim.Scenarios.Planning;

/// <summary>
/// Upper estimate of the memory one run needs, from the model's own per-page types (<see cref="ModelStateBytes"/>): per
/// host page of guest RAM its <see cref="HostPage"/> and its LRU word (<see cref="PageLists.BytesPerPage"/>); per guest
/// its HPT and revmap (2^hpt_order / 16 HPTEs, each an <see cref="Hpte"/> and a <see cref="RevmapEntry"/>); per swap
/// slot the swap map's owner word (and linux-6.18's shadow, zram's size, zswap's entry); per page of the host page
/// cache's file its flags, dirtied time and LRU word; balloon and KSM tables when on. Then every workload table the
/// guests build (<see cref="WorkloadSpec.Tables"/>: each distinct Zipf table of a plain, `mix` or `phased` workload,
/// each trace's page map and in-memory requests; tables shared by key count once, plus the largest one's build
/// scratch), 96 B per time-series sample per guest, plus 64 MiB for the runtime. The run list itself costs
/// <see cref="BytesPerPlannedRun"/> per run.
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

    public static long Bytes(SimulationConfig c) => RuntimeBytes + ModelStateBytes(c) + WorkloadTableBytes(c) + SampleRowsBytes(c);

    /// <summary>
    /// The arrays the model builds for a run (<see cref="Host"/> and its guests), sized from the types they hold, for
    /// every guest as if all were admitted. Nothing is per guest page: a guest page's HPTE is found by the PTEG search.
    /// </summary>
    public static long ModelStateBytes(SimulationConfig c)
    {
        var host = c.Host;
        long pageBytes = host.PageSizeBytes;
        // Host.Pages and the LRU: one HostPage and one link word per host page of guest RAM.
        long total = c.Guests.Sum(g => g.MemoryBytes / pageBytes) * (Unsafe.SizeOf<HostPage>() + PageLists.BytesPerPage);
        // Each guest's HPT and revmap (Hpt: 2^order bytes of 16-byte HPTEs in the kernel).
        total += c.Guests.Sum(g => (1L << g.HptOrder) / Hpt.HpteBytes) * (Unsafe.SizeOf<Hpte>() + Unsafe.SizeOf<RevmapEntry>());
        // The swap map (SwapCache: the owner of each slot), and what the swap back end keeps per slot.
        long slots = host.Swap.CapacityBytes / pageBytes;
        total += slots * sizeof(int);
        if (host.Swap.IsZram) total += slots * sizeof(int);        // Zram: compressed size
        if (host.Zswap.Enabled) total += slots * 3 * sizeof(int);  // Zswap: length and LRU links
        int filePages = host.PageCache.Enabled ? PageCache.PagesFor(host.PageCache, host.PageSizeBytes) : 0;
        // PageCache: flags byte, dirtied time and LRU word per page of the file.
        total += filePages * (sizeof(FilePageFlags) + sizeof(long) + PageLists.BytesPerPage);
        // linux-6.18's workingset shadow: one word per swap slot and file page.
        if (host.Kernel.WorkingsetRefault) total += (slots + filePages) * sizeof(uint);
        foreach (var g in c.Guests.Where(c.HasBalloon))
        {
            // VirtioBalloon: a state byte and the guest LRU's two links per guest page.
            total += g.MemoryBytes / g.PageBytesOn(c.Platform, host.PageSizeBytes) * (sizeof(byte) + 2 * sizeof(int));
        }
        if (host.Ksm.Run)
        {
            // Ksm: merged key and unique flag per host page; stable mappers, unstable tree and its round per key.
            long pages = c.Guests.Sum(g => g.MemoryBytes / pageBytes);
            long keys = c.Guests.Select(g => g.MemoryBytes / pageBytes).DefaultIfEmpty(1).Max();
            total += pages * (sizeof(int) + sizeof(bool)) + keys * (2 * sizeof(int) + sizeof(long));
        }
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
