using HvSim.Analysis.Results;

namespace HvSim.Analysis.Statistics;

/// <summary>
/// A named quantity computed per run (and per guest where it makes sense); stats.csv has one row per metric. A metric
/// that is a results column's per-run total is that column's declaration (<see cref="ColumnDocAttribute.Stat"/>):
/// name, unit, description and heading come from it, and <see cref="RunMetrics"/> totals it without a line of its own.
/// </summary>
public sealed record Metric(string Name, string Unit, string Description, string? Header = null)
{
    /// <summary>The column this metric totals per run (summed over guests of summary.csv, host.csv's value); null for computed metrics.</summary>
    public ResultColumn? Column { get; private init; }

    /// <summary>What a reader calls it, without a unit (Report/MetricDisplay adds the unit a value is shown in): the declared label, else the name.</summary>
    public string Label => Header ?? Name;

    /// <summary>Shown only when some run has it: the total of a column that older results folders lack.</summary>
    public bool IsOptional => Column?.Optional == true;

    private static Metric Total(ResultColumn c) => new(c.Name, c.Unit, c.Description, c.Doc.Header) { Column = c };

    public static readonly Metric AdmittedGuests = new("admitted_guests", "guests", "guests that started (PPC970 refuses a guest whose pinned memory does not fit or that finds no RMA free)", "Admitted guests");
    public static readonly Metric RefusedGuests = new("refused_guests", "guests", "guests refused at start");
    public static readonly Metric StallFraction = new("stall_fraction", "fraction", "stall fraction: vCPU time stalled in exits, faults, I/O and reclaim / vCPU time (mean over admitted guests for the run)", "Stall");
    public static readonly Metric StallFractionMax = new("stall_fraction_max", "fraction", "largest stall fraction of any admitted guest", "Largest stall");
    public static readonly Metric SlowdownFactor = new("slowdown_factor", "x", "time to do the same work relative to running unpressured: vCPU time / (vCPU time - stalled time), over the admitted guests together (Statistics/Slowdown)", "Slowdown");
    public static readonly Metric SlowdownFactorMax = new("slowdown_factor_max", "x", "largest slowdown factor of any admitted guest", "Largest slowdown");
    public static readonly Metric HostThroughput = new("host_throughput", "accesses/s", "useful work: guest accesses of all guests per measured second", "Host throughput");
    public static readonly Metric OvercommitRatio = new("overcommit_ratio", "ratio", "memory of the admitted guests / host memory", "Overcommit (guest / host memory)");
    public static readonly Metric WorkVsPpc970 = new("work_vs_ppc970", "ratio", "consolidation in work terms: this POWER7 run's host throughput / the paired PPC970 run's (same point, replication and seed)", "Work vs PPC970");
    // Where the stall went (summary.csv's stall_*_s over vcpu_s); per guest the six add up to its stall_fraction.
    public static readonly Metric StallExit = new("stall_exit", "fraction", "share of vCPU time in guest exits and hcalls (real-mode HDSI or H_ENTER, exit and re-entry, HPTE instantiation and tlbie)", "exits and tlbies");
    public static readonly Metric StallSwapQueue = new("stall_swap_queue", "fraction", "share of vCPU time waiting for a swap read queued behind other requests", "swap read queue");
    public static readonly Metric StallSwapService = new("stall_swap_service", "fraction", "share of vCPU time waiting for a swap read in service", "swap device service");
    public static readonly Metric StallDirectReclaim = new("stall_direct_reclaim", "fraction", "share of vCPU time in direct reclaim in the fault path", "direct reclaim");
    public static readonly Metric StallSibling = new("stall_sibling", "fraction", "share of vCPU time waiting for a sibling thread's exit or fault in the same vcore", "sibling's fault (vcore)");
    public static readonly Metric StallOther = new("stall_other", "fraction", "share of vCPU time in the rest of the fault path (minor faults, first touches)", "other");

    /// <summary>The stall breakdown in stacking order, with summary.csv's column for each.</summary>
    public static readonly IReadOnlyList<(Metric Metric, Func<Results.SummaryRow, double?> Seconds)> StallParts =
    [
        (StallSwapQueue, r => r.StallSwapQueueS), (StallSwapService, r => r.StallSwapServiceS), (StallDirectReclaim, r => r.StallDirectReclaimS),
        (StallExit, r => r.StallExitS), (StallSibling, r => r.StallSiblingS), (StallOther, r => r.StallOtherS),
    ];

    public static readonly Metric EffectiveAccessTime = new("effective_access_time_us", "us", "access cost + stalled time per access (access-weighted over guests)", "Effective access time");
    public static readonly Metric FaultLatencyMean = new("fault_latency_mean_us", "us", "mean HDSI latency, fault to guest resume");
    public static readonly Metric FaultLatencyP50 = new("fault_latency_p50_us", "us", "median HDSI latency from the merged histogram buckets");
    public static readonly Metric FaultLatencyP90 = new("fault_latency_p90_us", "us", "90th percentile HDSI latency from the merged histogram buckets");
    public static readonly Metric FaultLatencyP99 = new("fault_latency_p99_us", "us", "99th percentile HDSI latency from the merged histogram buckets", "p99 fault latency");
    public static readonly Metric FaultLatencyP999 = new("fault_latency_p999_us", "us", "99.9th percentile HDSI latency from the merged histogram buckets");
    public static readonly Metric HdsiFaultRate = new("hdsi_faults_per_s", "1/s", "HDSI faults per measured second (after warm-up)", "HDSI faults/s");
    public static readonly Metric MinorFaultRate = new("minor_faults_per_s", "1/s", "host minor faults (no I/O) taken in the HDSI path per measured second (after warm-up)");
    public static readonly Metric MajorFaultRate = new("major_faults_per_s", "1/s", "host major faults (swap-in I/O) per measured second (after warm-up)", "Major faults/s");
    public static readonly Metric MajorFaultRatePerGuest = new("major_faults_per_s_per_guest", "1/s", "major faults per measured second (after warm-up), mean over admitted guests", "Major faults/s per guest");
    public static readonly Metric UnmapHvaRate = new("unmap_hva_per_s", "1/s", "kvm_unmap_hva calls per measured second (after warm-up)");
    public static readonly Metric TlbieRate = new("tlbies_per_s", "1/s", "tlbie sequences per measured second (after warm-up)");
    public static readonly Metric PagesSwappedOut = new("pages_swapped_out", "pages", "pages written to swap", "Pages swapped out");
    public static readonly Metric PagesSwappedIn = new("pages_swapped_in", "pages", "pages read back from swap");
    public static readonly Metric PagesReclaimed = Total(ResultColumns.Of<SummaryRow>(nameof(SummaryRow.PagesReclaimed)));
    public static readonly Metric PinnedPages = Total(ResultColumns.Of<SummaryRow>(nameof(SummaryRow.PinnedPages)));
    public static readonly Metric KswapdWakeups = Total(ResultColumns.Of<HostRow>(nameof(HostRow.KswapdWakeups)));
    public static readonly Metric DirectReclaims = Total(ResultColumns.Of<HostRow>(nameof(HostRow.DirectReclaims)));
    public static readonly Metric PagesScanned = Total(ResultColumns.Of<HostRow>(nameof(HostRow.PagesScanned)));
    public static readonly Metric ScannedPerFreed = new("scanned_per_freed", "ratio", "inactive-list pages reclaim scanned per page it freed (pgscan / pgsteal, host.csv)");
    public static readonly Metric SwapFullEvents = Total(ResultColumns.Of<HostRow>(nameof(HostRow.SwapFullEvents)));
    public static readonly Metric HostFreeMin = new("host_free_min_bytes", "bytes", "lowest host free memory after warm-up");
    public static readonly Metric SwapUsedMax = new("swap_used_max_bytes", "bytes", "largest swap use after warm-up");
    public static readonly Metric ResidentMean = new("resident_mean_bytes", "bytes", "mean resident guest memory after warm-up", "Mean resident");
    public static readonly Metric SwapBusyFraction = Total(ResultColumns.Of<HostRow>(nameof(HostRow.SwapBusyFraction)));
    public static readonly Metric SwapReadWaitP99 = Total(ResultColumns.Of<HostRow>(nameof(HostRow.SwapReadWaitP99Us)));
    public static readonly Metric FaultsInFlightAtEnd = Total(ResultColumns.Of<SummaryRow>(nameof(SummaryRow.FaultsInFlightAtEnd)));
    public static readonly Metric OldestFaultInFlight = new("oldest_fault_in_flight_us", "us", "age at the end of the run of the oldest unfinished fault (largest over guests)");

    /// <summary>Every metric, in the order stats.csv lists them: these, then the totals of columns declared later.</summary>
    public static readonly IReadOnlyList<Metric> All = WithColumnTotals(
    [
        AdmittedGuests, RefusedGuests, StallFraction, StallFractionMax, SlowdownFactor, SlowdownFactorMax, HostThroughput,
        OvercommitRatio, WorkVsPpc970, EffectiveAccessTime, FaultLatencyMean, FaultLatencyP50,
        FaultLatencyP90, FaultLatencyP99, FaultLatencyP999, HdsiFaultRate, MinorFaultRate, MajorFaultRate,
        MajorFaultRatePerGuest, UnmapHvaRate, TlbieRate, PagesSwappedOut, PagesSwappedIn, PagesReclaimed, PinnedPages,
        KswapdWakeups, DirectReclaims, PagesScanned, ScannedPerFreed, SwapFullEvents, HostFreeMin, SwapUsedMax, ResidentMean,
        SwapBusyFraction, SwapReadWaitP99, FaultsInFlightAtEnd, OldestFaultInFlight,
        StallSwapQueue, StallSwapService, StallDirectReclaim, StallExit, StallSibling, StallOther,
    ]);

    private static List<Metric> WithColumnTotals(List<Metric> listed) =>
    [
        .. listed,
        .. ResultColumns.All.Where(c => c.Doc.Stat && !listed.Any(m => m.Column == c)).Select(Total),
    ];

    /// <summary>A fraction lies in [0, 1], and so must its confidence interval.</summary>
    public bool IsFraction => Unit == "fraction";

    public static Metric? ByName(string name) => All.FirstOrDefault(m => m.Name == name);
}
