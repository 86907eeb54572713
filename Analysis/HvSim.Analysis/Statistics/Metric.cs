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

    /// <summary>The report's heading: the declared one, else the name.</summary>
    public string Heading => Header ?? Name;

    /// <summary>What the report multiplies a value by to show it in <see cref="Heading"/>'s unit: fractions as %, bytes as MiB.</summary>
    public double DisplayScale => Unit switch { "fraction" => 100, "bytes" => 1.0 / (1 << 20), _ => 1 };

    /// <summary>Shown only when some run has it: the total of a column that older results folders lack.</summary>
    public bool IsOptional => Column?.Optional == true;

    private static Metric Total(ResultColumn c) => new(c.Name, c.Unit, c.Description, c.Doc.Header) { Column = c };

    public static readonly Metric AdmittedGuests = new("admitted_guests", "guests", "guests that started (PPC970 refuses a guest whose pinned memory does not fit or that finds no RMA free)", "Admitted guests");
    public static readonly Metric RefusedGuests = new("refused_guests", "guests", "guests refused at start");
    public static readonly Metric Slowdown = new("slowdown", "fraction", "stall fraction: vCPU time stalled in exits, faults, I/O and reclaim / vCPU time (mean over admitted guests for the run)", "Slowdown (stall %)");
    public static readonly Metric SlowdownMax = new("slowdown_max", "fraction", "largest stall fraction of any admitted guest");
    public static readonly Metric EffectiveAccessTime = new("effective_access_time_us", "us", "access cost + stalled time per access (access-weighted over guests)", "Effective access time (µs)");
    public static readonly Metric FaultLatencyMean = new("fault_latency_mean_us", "us", "mean HDSI latency, fault to guest resume");
    public static readonly Metric FaultLatencyP50 = new("fault_latency_p50_us", "us", "median HDSI latency from the merged histogram buckets");
    public static readonly Metric FaultLatencyP90 = new("fault_latency_p90_us", "us", "90th percentile HDSI latency from the merged histogram buckets");
    public static readonly Metric FaultLatencyP99 = new("fault_latency_p99_us", "us", "99th percentile HDSI latency from the merged histogram buckets", "p99 fault latency (µs)");
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
    public static readonly Metric ResidentMean = new("resident_mean_bytes", "bytes", "mean resident guest memory after warm-up", "Mean resident (MiB)");
    public static readonly Metric SwapBusyFraction = Total(ResultColumns.Of<HostRow>(nameof(HostRow.SwapBusyFraction)));
    public static readonly Metric SwapReadWaitP99 = Total(ResultColumns.Of<HostRow>(nameof(HostRow.SwapReadWaitP99Us)));
    public static readonly Metric FaultsInFlightAtEnd = Total(ResultColumns.Of<SummaryRow>(nameof(SummaryRow.FaultsInFlightAtEnd)));
    public static readonly Metric OldestFaultInFlight = new("oldest_fault_in_flight_us", "us", "age at the end of the run of the oldest unfinished fault (largest over guests)");

    /// <summary>Every metric, in the order stats.csv lists them: these, then the totals of columns declared later.</summary>
    public static readonly IReadOnlyList<Metric> All = WithColumnTotals(
    [
        AdmittedGuests, RefusedGuests, Slowdown, SlowdownMax, EffectiveAccessTime, FaultLatencyMean, FaultLatencyP50,
        FaultLatencyP90, FaultLatencyP99, FaultLatencyP999, HdsiFaultRate, MinorFaultRate, MajorFaultRate,
        MajorFaultRatePerGuest, UnmapHvaRate, TlbieRate, PagesSwappedOut, PagesSwappedIn, PagesReclaimed, PinnedPages,
        KswapdWakeups, DirectReclaims, PagesScanned, ScannedPerFreed, SwapFullEvents, HostFreeMin, SwapUsedMax, ResidentMean,
        SwapBusyFraction, SwapReadWaitP99, FaultsInFlightAtEnd, OldestFaultInFlight,
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
