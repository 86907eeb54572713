using CsvHelper;

namespace HvSim.Analysis.Results;

// Row types of the results tables (docs/results-format.md). Column names are the documented ones; the run key
// `scenario,platform,replication,seed` comes first in every table. Columns added after the first release are
// `Optional` and nullable, so results folders written before them still read: a missing column reads as null, which
// readers tell apart from a counted 0.

/// <summary>The run key every results table starts with, declared once for the four.</summary>
public abstract class RunKeyColumns
{
    [ColumnDoc("", "the scenario's `name:` (by default its file name without .yaml)")]
    [CsvColumn("scenario")] public string Scenario { get; set; } = "";
    [ColumnDoc("", "`power7` or `ppc970`")]
    [CsvColumn("platform")] public string Platform { get; set; } = "";
    [ColumnDoc("", "replication number, from 1 (`replications:` of the scenario)")]
    [CsvColumn("replication")] public int Replication { get; set; }
    [ColumnDoc("", "the run's seed, derived from the master seed")]
    [CsvColumn("seed")] public ulong Seed { get; set; }
}

[CsvRecord]
public sealed partial class SummaryRow : RunKeyColumns
{
    [ColumnDoc("", "guest name")]
    [CsvColumn("guest")] public string Guest { get; set; } = "";
    [ColumnDoc("", "whether the guest started: PPC970 refuses a guest whose pinned memory does not fit or that finds no RMA or LPID free")]
    [CsvColumn("admitted")] public bool Admitted { get; set; }
    [ColumnDoc("", "why the guest was refused; empty when admitted")]
    [CsvColumn("refusal_reason")] public string? RefusalReason { get; set; }
    [ColumnDoc("bytes", "the guest's memory")]
    [CsvColumn("guest_memory_bytes")] public long GuestMemoryBytes { get; set; }
    [ColumnDoc("count", "guest memory accesses executed")]
    [CsvColumn("accesses")] public long Accesses { get; set; }
    [ColumnDoc("count", "accesses that found a valid HPTE")]
    [CsvColumn("hpte_hits")] public long HpteHits { get; set; }
    [ColumnDoc("count", "H_ENTER hcalls")]
    [CsvColumn("h_enter_calls")] public long HEnterCalls { get; set; }
    [ColumnDoc("count", "HDSIs (accesses that found the HPTE absent and exited to the host)")]
    [CsvColumn("hdsi_faults")] public long HdsiFaults { get; set; }
    [ColumnDoc("count", "host minor faults (no I/O) taken in the HDSI path")]
    [CsvColumn("minor_faults")] public long MinorFaults { get; set; }
    [ColumnDoc("count", "host major faults (swap-in I/O)")]
    [CsvColumn("major_faults")] public long MajorFaults { get; set; }
    [ColumnDoc("count", "faults retried because `mmu_notifier_seq` moved (`mmu_notifier_retry`)")]
    [CsvColumn("fault_retries")] public long FaultRetries { get; set; }
    [ColumnDoc("count", "`kvm_unmap_hva` calls on the guest's pages")]
    [CsvColumn("unmap_hva_calls")] public long UnmapHvaCalls { get; set; }
    [ColumnDoc("count", "HPTEs `kvm_unmap_rmapp` made absent")]
    [CsvColumn("hptes_invalidated")] public long HptesInvalidated { get; set; }
    [ColumnDoc("count", "tlbie sequences")]
    [CsvColumn("tlbies")] public long Tlbies { get; set; }
    [ColumnDoc("count", "`kvm_age_hva` calls on the guest's pages")]
    [CsvColumn("age_hva_calls")] public long AgeHvaCalls { get; set; }
    [ColumnDoc("pages", "guest pages freed by host reclaim", Stat = true)]
    [CsvColumn("pages_reclaimed")] public long PagesReclaimed { get; set; }
    [ColumnDoc("pages", "guest pages read back from swap")]
    [CsvColumn("swap_ins")] public long SwapIns { get; set; }
    [ColumnDoc("pages", "guest pages written to swap")]
    [CsvColumn("swap_outs")] public long SwapOuts { get; set; }
    [ColumnDoc("pages", "guest pages pinned by get_user_pages (PPC970; the pages its RMA backs are not counted)", Stat = true)]
    [CsvColumn("pinned_pages")] public long PinnedPages { get; set; }
    [ColumnDoc("us", "mean HDSI latency, faulting access to the vcore's re-entry (so it includes sibling faults served first in the same exit); empty when the guest took no fault")]
    [CsvColumn("fault_latency_mean_us")] public double? FaultLatencyMeanUs { get; set; }
    [ColumnDoc("us", "median HDSI latency")]
    [CsvColumn("fault_latency_p50_us")] public double? FaultLatencyP50Us { get; set; }
    [ColumnDoc("us", "90th percentile HDSI latency")]
    [CsvColumn("fault_latency_p90_us")] public double? FaultLatencyP90Us { get; set; }
    [ColumnDoc("us", "99th percentile HDSI latency")]
    [CsvColumn("fault_latency_p99_us")] public double? FaultLatencyP99Us { get; set; }
    [ColumnDoc("us", "99.9th percentile HDSI latency")]
    [CsvColumn("fault_latency_p999_us")] public double? FaultLatencyP999Us { get; set; }
    // A refused guest never ran: its stall cells are empty (F36). Readers of admitted guests use the non-null views.
    [ColumnDoc("s", "vCPU time stalled in exits, faults, I/O and reclaim, summed over vCPUs; empty for a refused guest")]
    [CsvColumn("stalled_s")] public double? StalledSCell { get; set; }
    [ColumnDoc("s", "vCPU time simulated, summed over vCPUs; empty for a refused guest")]
    [CsvColumn("vcpu_s")] public double? VcpuSCell { get; set; }
    [ColumnDoc("fraction", "`stalled_s / vcpu_s`; empty for a refused guest")]
    [CsvColumn("stall_fraction")] public double? StallFractionCell { get; set; }
    [ColumnDoc("s", "simulated time of the whole run, warm-up included")]
    [CsvColumn("simulated_s")] public double SimulatedS { get; set; }
    [ColumnDoc("count", "H_REMOVE hcalls (the guest evicting its own HPTEs from full PTEGs)")]
    [CsvColumn("h_remove_calls", Optional = true)] public long? HRemoveCalls { get; set; }
    [ColumnDoc("count", "HDSIs taken by a store to an HPTE the host mapped read-only")]
    [CsvColumn("protection_faults", Optional = true)] public long? ProtectionFaults { get; set; }
    [ColumnDoc("count", "full exits to the host kernel (HDSI virtual-mode handling, PPC970 first-touch H_ENTER)")]
    [CsvColumn("exits", Optional = true)] public long? Exits { get; set; }
    [ColumnDoc("count", "times a vCPU running guest code was pulled out because a sibling thread of its vcore exited (POWER7 guests with `threads` > 1); it stays out until the vcore re-enters, after the runner has handled every trapped thread's fault (kvmppc_run_core)")]
    [CsvColumn("vcore_exits", Optional = true)] public long? VcoreExits { get; set; }
    [ColumnDoc("count", "HDSI faults not finished when the run ended: stalls missing from the latency histogram (their time so far is in `stalled_s`); a level at the end", Stat = true)]
    [CsvColumn("faults_in_flight_at_end", Optional = true)] public long? FaultsInFlightAtEnd { get; set; }
    [ColumnDoc("us", "age at the end of the run of the oldest unfinished fault (0 when none); a level at the end")]
    [CsvColumn("oldest_fault_in_flight_us", Optional = true)] public double? OldestFaultInFlightUs { get; set; }
    [ColumnDoc("s", "the part of `stalled_s` the guest's vCPUs spent pulled out by a sibling's exit (the exit and the runner's handling of the vcore's faults), summed over vCPUs")]
    [CsvColumn("sibling_wait_s", Optional = true)] public double? SiblingWaitS { get; set; }
    // Where stalled_s went (Model/Results/StallCause): the six add up to stalled_s.
    [ColumnDoc("s", "part of `stalled_s` in guest exits and hcalls: real-mode HDSI or H_ENTER, the vcore's exit and re-entry, the HPTE instantiation and its tlbie (PPC970: the pin); 0 for a refused guest")]
    [CsvColumn("stall_exit_s", Optional = true)] public double? StallExitS { get; set; }
    [ColumnDoc("s", "part of `stalled_s` waiting for a swap read queued behind other requests (submission to dispatch)")]
    [CsvColumn("stall_swap_queue_s", Optional = true)] public double? StallSwapQueueS { get; set; }
    [ColumnDoc("s", "part of `stalled_s` waiting for a swap read the device is serving (dispatch to completion)")]
    [CsvColumn("stall_swap_service_s", Optional = true)] public double? StallSwapServiceS { get; set; }
    [ColumnDoc("s", "part of `stalled_s` in direct reclaim in the fault path (__alloc_pages_slowpath, its tlbies and get_request_wait sleeps included)")]
    [CsvColumn("stall_direct_reclaim_s", Optional = true)] public double? StallDirectReclaimS { get; set; }
    [ColumnDoc("s", "part of `stalled_s` waiting for a sibling thread of the vcore: pulled out by its exit (as `sibling_wait_s`) or trapped while the runner serves its fault")]
    [CsvColumn("stall_sibling_s", Optional = true)] public double? StallSiblingS { get; set; }
    [ColumnDoc("s", "the rest of `stalled_s`: get_user_pages on resident and swap-cache pages (minor faults), do_anonymous_page")]
    [CsvColumn("stall_other_s", Optional = true)] public double? StallOtherS { get; set; }
    [ColumnDoc("count", "reclaim passes the guest's vCPU threads ran for memory.high before re-entering the guest (`reclaim_high`)")]
    [CsvColumn("memcg_high_reclaims", Optional = true)] public long? MemcgHighReclaims { get; set; }
    [ColumnDoc("s", "vCPU time memory.high throttling slept (`mem_cgroup_handle_over_high`); part of `stalled_s`")]
    [CsvColumn("memcg_high_throttle_s", Optional = true)] public double? MemcgHighThrottleS { get; set; }
    [ColumnDoc("count", "stores that broke a KSM page (`do_wp_page` copying it)")]
    [CsvColumn("ksm_cow_faults", Optional = true)] public long? KsmCowFaults { get; set; }
    [ColumnDoc("pages", "guest pages the virtio balloon took (`fill_balloon`)")]
    [CsvColumn("balloon_inflated", Optional = true)] public long? BalloonInflated { get; set; }
    [ColumnDoc("pages", "guest pages the guest took back from its balloon when it touched them (`leak_balloon`); each is then a zero-fill fault on the host")]
    [CsvColumn("balloon_deflated", Optional = true)] public long? BalloonDeflated { get; set; }
    [ColumnDoc("pages", "guest pages the balloon gave back to the guest towards a lower target (`leak_balloon`: the balloon policy letting the guest grow)")]
    [CsvColumn("balloon_leaked", Optional = true)] public long? BalloonLeaked { get; set; }
    [ColumnDoc("pages", "host pages in RAM that the balloon's madvise(MADV_DONTNEED) freed (`zap_page_range` inside `invalidate_range_start/end`)")]
    [CsvColumn("balloon_pages_freed", Optional = true)] public long? BalloonPagesFreed { get; set; }
    [ColumnDoc("s", "time the balloon's inflate and deflate requests took (the guest's balloon thread and QEMU's handler, at `guests.balloon_rate`)")]
    [CsvColumn("balloon_cpu_s", Optional = true)] public double? BalloonCpuS { get; set; }
    [ColumnDoc("pages", "guest pages in the balloon at the end of the run")]
    [CsvColumn("balloon_pages", Optional = true)] public long? BalloonPages { get; set; }

    /// <summary>Stall time, vCPU time and stall fraction; 0 for a refused guest, whose cells are empty.</summary>
    [CsvIgnore] public double StalledS => StalledSCell ?? 0;
    [CsvIgnore] public double VcpuS => VcpuSCell ?? 0;
    [CsvIgnore] public double StallFraction => StallFractionCell ?? 0;
}

[CsvRecord]
public sealed partial class HostRow : RunKeyColumns
{
    [ColumnDoc("bytes", "host memory")]
    [CsvColumn("memory_bytes")] public long MemoryBytes { get; set; }
    [ColumnDoc("bytes", "host page size")]
    [CsvColumn("page_size_bytes")] public long PageSizeBytes { get; set; }
    [ColumnDoc("bytes", "min watermark")]
    [CsvColumn("watermark_min_bytes")] public long WatermarkMinBytes { get; set; }
    [ColumnDoc("bytes", "low watermark (kswapd wakes below it)")]
    [CsvColumn("watermark_low_bytes")] public long WatermarkLowBytes { get; set; }
    [ColumnDoc("bytes", "high watermark (kswapd sleeps above it)")]
    [CsvColumn("watermark_high_bytes")] public long WatermarkHighBytes { get; set; }
    [ColumnDoc("count", "times kswapd was woken (free memory below the low watermark)", Stat = true)]
    [CsvColumn("kswapd_wakeups")] public long KswapdWakeups { get; set; }
    [ColumnDoc("count", "allocations that reclaimed themselves (free memory below the min watermark)", Stat = true)]
    [CsvColumn("direct_reclaims")] public long DirectReclaims { get; set; }
    [ColumnDoc("pages", "inactive-list pages scanned by reclaim (pgscan)", Stat = true)]
    [CsvColumn("pages_scanned")] public long PagesScanned { get; set; }
    [ColumnDoc("count", "times the swap device was full", Stat = true)]
    [CsvColumn("swap_full_events")] public long SwapFullEvents { get; set; }
    [ColumnDoc("s", "the post-warm-up window the counters, wait quantiles and busy fraction cover")]
    [CsvColumn("measured_s", Optional = true)] public double? MeasuredS { get; set; }
    [ColumnDoc("pages", "pages read from swap (swap-in including readahead)")]
    [CsvColumn("swap_reads", Optional = true)] public long? SwapReads { get; set; }
    [ColumnDoc("pages", "pages written to swap (pageout)")]
    [CsvColumn("swap_writes", Optional = true)] public long? SwapWrites { get; set; }
    [ColumnDoc("count", "swap read requests submitted (each readahead page is one, as 3.4 issues one bio per page)")]
    [CsvColumn("swap_read_requests", Optional = true)] public long? SwapReadRequests { get; set; }
    [ColumnDoc("count", "swap write requests submitted (consecutive writes of one shrink_zone pass merge, up to 512 KiB per request)")]
    [CsvColumn("swap_write_requests", Optional = true)] public long? SwapWriteRequests { get; set; }
    [ColumnDoc("pages", "pages reclaim freed (pgsteal; a page written to swap counts when a later scan frees it); `pages_scanned / pages_freed` is the `scanned_per_freed` metric")]
    [CsvColumn("pages_freed", Optional = true)] public long? PagesFreed { get; set; }
    [ColumnDoc("pages", "pages moved from the active to the inactive list (pgrefill)")]
    [CsvColumn("pages_deactivated", Optional = true)] public long? PagesDeactivated { get; set; }
    [ColumnDoc("count", "times a reclaimer slept in get_request_wait because all 128 write requests were taken")]
    [CsvColumn("write_request_waits", Optional = true)] public long? WriteRequestWaits { get; set; }
    [ColumnDoc("count", "kswapd's congestion_wait naps below priority 10")]
    [CsvColumn("kswapd_congestion_waits", Optional = true)] public long? KswapdCongestionWaits { get; set; }
    [ColumnDoc("pages", "pages page_referenced called referenced only because their guest held the 3.4 swap token")]
    [CsvColumn("swap_token_references", Optional = true)] public long? SwapTokenReferences { get; set; }
    [ColumnDoc("pages", "pages ksmd scanned (`ksm_do_scan`)")]
    [CsvColumn("ksm_pages_scanned", Optional = true)] public long? KsmPagesScanned { get; set; }
    [ColumnDoc("s", "host CPU ksmd spent scanning (`costs.ksm_scan` per page)")]
    [CsvColumn("ksm_cpu_s", Optional = true)] public double? KsmCpuS { get; set; }
    [ColumnDoc("pages", "KSM pages in RAM at the end of the run (pages_shared)")]
    [CsvColumn("ksm_pages_shared", Optional = true)] public long? KsmPagesShared { get; set; }
    [ColumnDoc("pages", "further guest pages mapping KSM pages at the end of the run (pages_sharing: the memory KSM saves)")]
    [CsvColumn("ksm_pages_sharing", Optional = true)] public long? KsmPagesSharing { get; set; }
    [ColumnDoc("fraction", "fraction of the measured time the swap device was busy (host.csv)", Stat = true, Header = "Swap busy")]
    [CsvColumn("swap_busy_fraction", Optional = true)] public double? SwapBusyFraction { get; set; }
    [ColumnDoc("us", "median queue wait (submission to dispatch) of swap reads queued after warm-up; empty when there were none")]
    [CsvColumn("swap_read_wait_p50_us", Optional = true)] public double? SwapReadWaitP50Us { get; set; }
    [ColumnDoc("us", "99th percentile time a swap read waited in the device queue (host.csv)", Stat = true, Header = "p99 swap read wait")]
    [CsvColumn("swap_read_wait_p99_us", Optional = true)] public double? SwapReadWaitP99Us { get; set; }
    [ColumnDoc("us", "median queue wait of swap writes queued after warm-up; empty when there were none")]
    [CsvColumn("swap_write_wait_p50_us", Optional = true)] public double? SwapWriteWaitP50Us { get; set; }
    [ColumnDoc("us", "99th percentile queue wait of swap writes queued after warm-up; empty when there were none")]
    [CsvColumn("swap_write_wait_p99_us", Optional = true)] public double? SwapWriteWaitP99Us { get; set; }
    [ColumnDoc("s", "the warm-up the run used: the configured one, or with `warmup: auto` where it found steady state")]
    [CsvColumn("warmup_s", Optional = true)] public double? WarmupS { get; set; }
    [ColumnDoc("s", "when host reclaim first ran (kswapd's first wake-up or the first direct reclaim); empty when it never did. After `warmup_s`, part of the measured window had no memory pressure: `hvsim run` and the report warn")]
    [CsvColumn("reclaim_start_s", Optional = true)] public double? ReclaimStartS { get; set; }
    [ColumnDoc("pages", "pages swap readahead read besides the faulting one (vmstat swap_ra)")]
    [CsvColumn("swap_ra", Optional = true)] public long? SwapRa { get; set; }
    [ColumnDoc("count", "faults that found a page swap readahead had read (vmstat swap_ra_hit)")]
    [CsvColumn("swap_ra_hit", Optional = true)] public long? SwapRaHit { get; set; }
    [ColumnDoc("pages", "linux-6.18 mode: swap-ins of pages that left a shadow entry (workingset_refault_anon); 0 on linux-3.4")]
    [CsvColumn("workingset_refault", Optional = true)] public long? WorkingsetRefault { get; set; }
    [ColumnDoc("pages", "linux-6.18 mode: those refaults activated (workingset_activate_anon); 0 on linux-3.4")]
    [CsvColumn("workingset_activate", Optional = true)] public long? WorkingsetActivate { get; set; }
    [ColumnDoc("pages", "pages stored in a compressed pool: written to zram, or kept by zswap_store (zswpout)")]
    [CsvColumn("compressed_stores", Optional = true)] public long? CompressedStores { get; set; }
    [ColumnDoc("pages", "pages read back from a compressed pool: zram reads and zswap loads (zswpin), readahead included")]
    [CsvColumn("compressed_loads", Optional = true)] public long? CompressedLoads { get; set; }
    [ColumnDoc("pages", "stores the compressed pool refused: zswap full or the page incompressible (the swap device took it), or a zram write that failed (the page stayed dirty)")]
    [CsvColumn("compressed_store_failures", Optional = true)] public long? CompressedStoreFailures { get; set; }
    [ColumnDoc("count", "zswap stores that found the pool at max_pool_percent (zswap pool_limit_hit)")]
    [CsvColumn("zswap_pool_limit_hit", Optional = true)] public long? ZswapPoolLimitHit { get; set; }
    [ColumnDoc("pages", "zswap entries the shrink worker wrote back to the swap device (written_back_pages)")]
    [CsvColumn("zswap_written_back", Optional = true)] public long? ZswapWrittenBack { get; set; }
    [ColumnDoc("s", "CPU spent compressing and decompressing (`costs.compress`, `costs.decompress`): reclaimers, faulting vCPUs and the zswap worker")]
    [CsvColumn("compress_cpu_s", Optional = true)] public double? CompressCpuS { get; set; }
    [ColumnDoc("bytes", "host memory the compressed pools of zram and zswap hold at the end of the run")]
    [CsvColumn("compressed_pool_bytes", Optional = true)] public long? CompressedPoolBytes { get; set; }
}

[CsvRecord]
public sealed partial class TimeseriesRow : RunKeyColumns
{
    [ColumnDoc("s", "end of the sampling interval, from the start of the run (warm-up included)")]
    [CsvColumn("time_s")] public double TimeS { get; set; }
    [ColumnDoc("", "guest name, or `host` for the host's row of the interval")]
    [CsvColumn("guest")] public string Guest { get; set; } = "";
    [ColumnDoc("bytes", "guest memory resident at the end of the interval (guest rows)")]
    [CsvColumn("resident_bytes")] public long? ResidentBytes { get; set; }
    [ColumnDoc("bytes", "host free memory at the end of the interval (host rows)")]
    [CsvColumn("free_bytes")] public long? FreeBytes { get; set; }
    [ColumnDoc("bytes", "swap in use (host rows)")]
    [CsvColumn("swap_used_bytes")] public long? SwapUsedBytes { get; set; }
    [ColumnDoc("bytes", "swap cache (host rows)")]
    [CsvColumn("swap_cache_bytes")] public long? SwapCacheBytes { get; set; }
    [ColumnDoc("count", "accesses in the interval (guest rows)")]
    [CsvColumn("accesses")] public long? Accesses { get; set; }
    [ColumnDoc("count", "HDSIs in the interval (guest rows)")]
    [CsvColumn("hdsi_faults")] public long? HdsiFaults { get; set; }
    [ColumnDoc("count", "minor faults in the interval (guest rows)")]
    [CsvColumn("minor_faults")] public long? MinorFaults { get; set; }
    [ColumnDoc("count", "major faults in the interval (guest rows)")]
    [CsvColumn("major_faults")] public long? MajorFaults { get; set; }
    [ColumnDoc("count", "`kvm_unmap_hva` calls in the interval (guest rows)")]
    [CsvColumn("unmap_hva_calls")] public long? UnmapHvaCalls { get; set; }
    [ColumnDoc("count", "tlbie sequences in the interval (guest rows)")]
    [CsvColumn("tlbies")] public long? Tlbies { get; set; }
    [ColumnDoc("count", "swap reads waiting or in service at the end of the interval (host rows)")]
    [CsvColumn("swap_queued_reads", Optional = true)] public int? SwapQueuedReads { get; set; }
    [ColumnDoc("count", "swap writes waiting or in service at the end of the interval (host rows)")]
    [CsvColumn("swap_queued_writes", Optional = true)] public int? SwapQueuedWrites { get; set; }
    [ColumnDoc("bytes", "data being written to swap at the end of the interval (host rows)")]
    [CsvColumn("writeback_bytes", Optional = true)] public long? WritebackBytes { get; set; }
}

[CsvRecord]
public sealed partial class FaultLatencyRow : RunKeyColumns
{
    [ColumnDoc("", "guest name")]
    [CsvColumn("guest")] public string Guest { get; set; } = "";
    [ColumnDoc("us", "lower bound of the bucket (inclusive); buckets are those of `LogHistogram`, 64 per power of two, at most 1.6 % wide")]
    [CsvColumn("bucket_lower_us")] public double BucketLowerUs { get; set; }
    [ColumnDoc("us", "upper bound of the bucket (exclusive)")]
    [CsvColumn("bucket_upper_us")] public double BucketUpperUs { get; set; }
    [ColumnDoc("count", "HDSIs whose latency fell in the bucket")]
    [CsvColumn("count")] public long Count { get; set; }
}

// Batch tables: the same rows with `run_id` in front.

[CsvRecord]
public sealed partial class BatchSummaryRow
{
    [CsvColumn("run_id")] public string RunId { get; set; } = "";
    public SummaryRow Row { get; set; } = new();
}

[CsvRecord]
public sealed partial class BatchHostRow
{
    [CsvColumn("run_id")] public string RunId { get; set; } = "";
    public HostRow Row { get; set; } = new();
}

[CsvRecord]
public sealed partial class BatchTimeseriesRow
{
    [CsvColumn("run_id")] public string RunId { get; set; } = "";
    public TimeseriesRow Row { get; set; } = new();
}

[CsvRecord]
public sealed partial class BatchFaultLatencyRow
{
    [CsvColumn("run_id")] public string RunId { get; set; } = "";
    public FaultLatencyRow Row { get; set; } = new();
}
