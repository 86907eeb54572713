using CsvHelper;

namespace HvSim.Analysis.Tables;

/// <summary>One row of summary.csv (docs/results-format.md): one guest of one run.</summary>
[CsvRecord]
public sealed partial class SummaryRecord : IRunKeyed
{
    [CsvColumn("run_id", Optional = true)] public string RunId { get; set; } = "";
    [CsvColumn("scenario")] public string Scenario { get; set; } = "";
    [CsvColumn("platform")] public string Platform { get; set; } = "";
    [CsvColumn("replication")] public int Replication { get; set; }
    [CsvColumn("seed")] public string Seed { get; set; } = "";
    [CsvColumn("guest")] public string Guest { get; set; } = "";
    [CsvColumn("admitted")] public bool Admitted { get; set; }
    [CsvColumn("refusal_reason")] public string RefusalReason { get; set; } = "";
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
    [CsvColumn("stalled_s")] public double StalledS { get; set; }
    [CsvColumn("vcpu_s")] public double VcpuS { get; set; }
    [CsvColumn("stall_fraction")] public double? StallFraction { get; set; }
    [CsvColumn("simulated_s")] public double SimulatedS { get; set; }
}
