using CsvHelper;

namespace HvSim.Analysis.Results;

// Row types of the results tables (docs/results-format.md). Column names are the documented ones; the run key
// `scenario,platform,replication,seed` comes first in every table. Columns added after the first release are
// `Optional` and nullable, so results folders written before them still read: a missing column reads as null, which
// readers tell apart from a counted 0.

[CsvRecord]
public sealed partial class SummaryRow
{
    [CsvColumn("scenario")] public string Scenario { get; set; } = "";
    [CsvColumn("platform")] public string Platform { get; set; } = "";
    [CsvColumn("replication")] public int Replication { get; set; }
    [CsvColumn("seed")] public ulong Seed { get; set; }
    [CsvColumn("guest")] public string Guest { get; set; } = "";
    [CsvColumn("admitted")] public bool Admitted { get; set; }
    [CsvColumn("refusal_reason")] public string? RefusalReason { get; set; }
    [CsvColumn("guest_memory_bytes")] public long GuestMemoryBytes { get; set; }
    [CsvColumn("accesses")] public long Accesses { get; set; }
    [CsvColumn("hpte_hits")] public long HpteHits { get; set; }
    [CsvColumn("h_enter_calls")] public long HEnterCalls { get; set; }
    [CsvColumn("hdsi_faults")] public long HdsiFaults { get; set; }
    [CsvColumn("minor_faults")] public long MinorFaults { get; set; }
    [CsvColumn("major_faults")] public long MajorFaults { get; set; }
    [CsvColumn("fault_retries")] public long FaultRetries { get; set; }
    [CsvColumn("unmap_hva_calls")] public long UnmapHvaCalls { get; set; }
    [CsvColumn("hptes_invalidated")] public long HptesInvalidated { get; set; }
    [CsvColumn("tlbies")] public long Tlbies { get; set; }
    [CsvColumn("age_hva_calls")] public long AgeHvaCalls { get; set; }
    [CsvColumn("pages_reclaimed")] public long PagesReclaimed { get; set; }
    [CsvColumn("swap_ins")] public long SwapIns { get; set; }
    [CsvColumn("swap_outs")] public long SwapOuts { get; set; }
    [CsvColumn("pinned_pages")] public long PinnedPages { get; set; }
    [CsvColumn("fault_latency_mean_us")] public double? FaultLatencyMeanUs { get; set; }
    [CsvColumn("fault_latency_p50_us")] public double? FaultLatencyP50Us { get; set; }
    [CsvColumn("fault_latency_p90_us")] public double? FaultLatencyP90Us { get; set; }
    [CsvColumn("fault_latency_p99_us")] public double? FaultLatencyP99Us { get; set; }
    [CsvColumn("fault_latency_p999_us")] public double? FaultLatencyP999Us { get; set; }
    // A refused guest never ran: its stall cells are empty (F36). Readers of admitted guests use the non-null views.
    [CsvColumn("stalled_s")] public double? StalledSCell { get; set; }
    [CsvColumn("vcpu_s")] public double? VcpuSCell { get; set; }
    [CsvColumn("stall_fraction")] public double? StallFractionCell { get; set; }
    [CsvColumn("simulated_s")] public double SimulatedS { get; set; }
    [CsvColumn("h_remove_calls", Optional = true)] public long? HRemoveCalls { get; set; }
    [CsvColumn("protection_faults", Optional = true)] public long? ProtectionFaults { get; set; }
    [CsvColumn("exits", Optional = true)] public long? Exits { get; set; }
    [CsvColumn("vcore_exits", Optional = true)] public long? VcoreExits { get; set; }
    [CsvColumn("faults_in_flight_at_end", Optional = true)] public long? FaultsInFlightAtEnd { get; set; }
    [CsvColumn("oldest_fault_in_flight_us", Optional = true)] public double? OldestFaultInFlightUs { get; set; }
    [CsvColumn("sibling_wait_s", Optional = true)] public double? SiblingWaitS { get; set; }

    /// <summary>Stall time, vCPU time and stall fraction; 0 for a refused guest, whose cells are empty.</summary>
    [CsvIgnore] public double StalledS => StalledSCell ?? 0;
    [CsvIgnore] public double VcpuS => VcpuSCell ?? 0;
    [CsvIgnore] public double StallFraction => StallFractionCell ?? 0;
}

[CsvRecord]
public sealed partial class HostRow
{
    [CsvColumn("scenario")] public string Scenario { get; set; } = "";
    [CsvColumn("platform")] public string Platform { get; set; } = "";
    [CsvColumn("replication")] public int Replication { get; set; }
    [CsvColumn("seed")] public ulong Seed { get; set; }
    [CsvColumn("memory_bytes")] public long MemoryBytes { get; set; }
    [CsvColumn("page_size_bytes")] public long PageSizeBytes { get; set; }
    [CsvColumn("watermark_min_bytes")] public long WatermarkMinBytes { get; set; }
    [CsvColumn("watermark_low_bytes")] public long WatermarkLowBytes { get; set; }
    [CsvColumn("watermark_high_bytes")] public long WatermarkHighBytes { get; set; }
    [CsvColumn("kswapd_wakeups")] public long KswapdWakeups { get; set; }
    [CsvColumn("direct_reclaims")] public long DirectReclaims { get; set; }
    [CsvColumn("pages_scanned")] public long PagesScanned { get; set; }
    [CsvColumn("swap_full_events")] public long SwapFullEvents { get; set; }
    [CsvColumn("measured_s", Optional = true)] public double? MeasuredS { get; set; }
    [CsvColumn("swap_reads", Optional = true)] public long? SwapReads { get; set; }
    [CsvColumn("swap_writes", Optional = true)] public long? SwapWrites { get; set; }
    [CsvColumn("swap_read_requests", Optional = true)] public long? SwapReadRequests { get; set; }
    [CsvColumn("swap_write_requests", Optional = true)] public long? SwapWriteRequests { get; set; }
    [CsvColumn("pages_freed", Optional = true)] public long? PagesFreed { get; set; }
    [CsvColumn("pages_deactivated", Optional = true)] public long? PagesDeactivated { get; set; }
    [CsvColumn("write_request_waits", Optional = true)] public long? WriteRequestWaits { get; set; }
    [CsvColumn("kswapd_congestion_waits", Optional = true)] public long? KswapdCongestionWaits { get; set; }
    [CsvColumn("swap_token_references", Optional = true)] public long? SwapTokenReferences { get; set; }
    [CsvColumn("swap_busy_fraction", Optional = true)] public double? SwapBusyFraction { get; set; }
    [CsvColumn("swap_read_wait_p50_us", Optional = true)] public double? SwapReadWaitP50Us { get; set; }
    [CsvColumn("swap_read_wait_p99_us", Optional = true)] public double? SwapReadWaitP99Us { get; set; }
    [CsvColumn("swap_write_wait_p50_us", Optional = true)] public double? SwapWriteWaitP50Us { get; set; }
    [CsvColumn("swap_write_wait_p99_us", Optional = true)] public double? SwapWriteWaitP99Us { get; set; }
}

[CsvRecord]
public sealed partial class TimeseriesRow
{
    [CsvColumn("scenario")] public string Scenario { get; set; } = "";
    [CsvColumn("platform")] public string Platform { get; set; } = "";
    [CsvColumn("replication")] public int Replication { get; set; }
    [CsvColumn("seed")] public ulong Seed { get; set; }
    [CsvColumn("time_s")] public double TimeS { get; set; }
    [CsvColumn("guest")] public string Guest { get; set; } = "";
    [CsvColumn("resident_bytes")] public long? ResidentBytes { get; set; }
    [CsvColumn("free_bytes")] public long? FreeBytes { get; set; }
    [CsvColumn("swap_used_bytes")] public long? SwapUsedBytes { get; set; }
    [CsvColumn("swap_cache_bytes")] public long? SwapCacheBytes { get; set; }
    [CsvColumn("accesses")] public long? Accesses { get; set; }
    [CsvColumn("hdsi_faults")] public long? HdsiFaults { get; set; }
    [CsvColumn("minor_faults")] public long? MinorFaults { get; set; }
    [CsvColumn("major_faults")] public long? MajorFaults { get; set; }
    [CsvColumn("unmap_hva_calls")] public long? UnmapHvaCalls { get; set; }
    [CsvColumn("tlbies")] public long? Tlbies { get; set; }
    [CsvColumn("swap_queued_reads", Optional = true)] public int? SwapQueuedReads { get; set; }
    [CsvColumn("swap_queued_writes", Optional = true)] public int? SwapQueuedWrites { get; set; }
    [CsvColumn("writeback_bytes", Optional = true)] public long? WritebackBytes { get; set; }
}

[CsvRecord]
public sealed partial class FaultLatencyRow
{
    [CsvColumn("scenario")] public string Scenario { get; set; } = "";
    [CsvColumn("platform")] public string Platform { get; set; } = "";
    [CsvColumn("replication")] public int Replication { get; set; }
    [CsvColumn("seed")] public ulong Seed { get; set; }
    [CsvColumn("guest")] public string Guest { get; set; } = "";
    [CsvColumn("bucket_lower_us")] public double BucketLowerUs { get; set; }
    [CsvColumn("bucket_upper_us")] public double BucketUpperUs { get; set; }
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
