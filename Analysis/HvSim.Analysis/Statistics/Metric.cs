namespace HvSim.Analysis.Statistics;

/// <summary>A named quantity computed per run (and per guest where it makes sense); stats.csv has one row per metric.</summary>
public sealed record Metric(string Name, string Unit, string Description)
{
    public static readonly Metric AdmittedGuests = new("admitted_guests", "guests", "guests that started (PPC970 refuses a guest whose pinned memory does not fit or that finds no RMA free)");
    public static readonly Metric RefusedGuests = new("refused_guests", "guests", "guests refused at start");
    public static readonly Metric Slowdown = new("slowdown", "fraction", "stall fraction: vCPU time stalled in exits, faults, I/O and reclaim / vCPU time (mean over admitted guests for the run)");
    public static readonly Metric SlowdownMax = new("slowdown_max", "fraction", "largest stall fraction of any admitted guest");
    public static readonly Metric EffectiveAccessTime = new("effective_access_time_us", "us", "access cost + stalled time per access (access-weighted over guests)");
    public static readonly Metric FaultLatencyMean = new("fault_latency_mean_us", "us", "mean HDSI latency, fault to guest resume");
    public static readonly Metric FaultLatencyP50 = new("fault_latency_p50_us", "us", "median HDSI latency from the merged histogram buckets");
    public static readonly Metric FaultLatencyP90 = new("fault_latency_p90_us", "us", "90th percentile HDSI latency from the merged histogram buckets");
    public static readonly Metric FaultLatencyP99 = new("fault_latency_p99_us", "us", "99th percentile HDSI latency from the merged histogram buckets");
    public static readonly Metric FaultLatencyP999 = new("fault_latency_p999_us", "us", "99.9th percentile HDSI latency from the merged histogram buckets");
    public static readonly Metric HdsiFaultRate = new("hdsi_faults_per_s", "1/s", "HDSI faults per measured second (after warm-up)");
    public static readonly Metric MinorFaultRate = new("minor_faults_per_s", "1/s", "host minor faults (no I/O) taken in the HDSI path per measured second (after warm-up)");
    public static readonly Metric MajorFaultRate = new("major_faults_per_s", "1/s", "host major faults (swap-in I/O) per measured second (after warm-up)");
    public static readonly Metric MajorFaultRatePerGuest = new("major_faults_per_s_per_guest", "1/s", "major faults per measured second (after warm-up), mean over admitted guests");
    public static readonly Metric UnmapHvaRate = new("unmap_hva_per_s", "1/s", "kvm_unmap_hva calls per measured second (after warm-up)");
    public static readonly Metric TlbieRate = new("tlbies_per_s", "1/s", "tlbie sequences per measured second (after warm-up)");
    public static readonly Metric PagesSwappedOut = new("pages_swapped_out", "pages", "pages written to swap");
    public static readonly Metric PagesSwappedIn = new("pages_swapped_in", "pages", "pages read back from swap");
    public static readonly Metric PagesReclaimed = new("pages_reclaimed", "pages", "guest pages freed by host reclaim");
    public static readonly Metric PinnedPages = new("pinned_pages", "pages", "guest pages pinned by get_user_pages (PPC970; the pages its RMA backs are not counted)");
    public static readonly Metric KswapdWakeups = new("kswapd_wakeups", "count", "times kswapd was woken (free memory below the low watermark)");
    public static readonly Metric DirectReclaims = new("direct_reclaims", "count", "allocations that reclaimed themselves (free memory below the min watermark)");
    public static readonly Metric PagesScanned = new("pages_scanned", "pages", "inactive-list pages scanned by reclaim (pgscan)");
    public static readonly Metric ScannedPerFreed = new("scanned_per_freed", "ratio", "inactive-list pages reclaim scanned per page it freed (pgscan / pgsteal, host.csv)");
    public static readonly Metric SwapFullEvents = new("swap_full_events", "count", "times the swap device was full");
    public static readonly Metric HostFreeMin = new("host_free_min_bytes", "bytes", "lowest host free memory after warm-up");
    public static readonly Metric SwapUsedMax = new("swap_used_max_bytes", "bytes", "largest swap use after warm-up");
    public static readonly Metric ResidentMean = new("resident_mean_bytes", "bytes", "mean resident guest memory after warm-up");
    public static readonly Metric SwapBusyFraction = new("swap_busy_fraction", "fraction", "fraction of the measured time the swap device was busy (host.csv)");
    public static readonly Metric SwapReadWaitP99 = new("swap_read_wait_p99_us", "us", "99th percentile time a swap read waited in the device queue (host.csv)");
    public static readonly Metric FaultsInFlightAtEnd = new("faults_in_flight_at_end", "count", "HDSI faults not finished when the run ended: stalls missing from the latency histogram");
    public static readonly Metric OldestFaultInFlight = new("oldest_fault_in_flight_us", "us", "age at the end of the run of the oldest unfinished fault (largest over guests)");

    /// <summary>Every metric, in the order stats.csv lists them.</summary>
    public static readonly IReadOnlyList<Metric> All =
    [
        AdmittedGuests, RefusedGuests, Slowdown, SlowdownMax, EffectiveAccessTime, FaultLatencyMean, FaultLatencyP50,
        FaultLatencyP90, FaultLatencyP99, FaultLatencyP999, HdsiFaultRate, MinorFaultRate, MajorFaultRate,
        MajorFaultRatePerGuest, UnmapHvaRate, TlbieRate, PagesSwappedOut, PagesSwappedIn, PagesReclaimed, PinnedPages,
        KswapdWakeups, DirectReclaims, PagesScanned, ScannedPerFreed, SwapFullEvents, HostFreeMin, SwapUsedMax, ResidentMean,
        SwapBusyFraction, SwapReadWaitP99, FaultsInFlightAtEnd, OldestFaultInFlight,
    ];

    /// <summary>A fraction lies in [0, 1], and so must its confidence interval.</summary>
    public bool IsFraction => Unit == "fraction";

    public static Metric? ByName(string name) => All.FirstOrDefault(m => m.Name == name);
}
