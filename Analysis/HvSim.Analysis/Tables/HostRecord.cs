using CsvHelper;

namespace HvSim.Analysis.Tables;

/// <summary>One row of host.csv: the host of one run.</summary>
[CsvRecord]
public sealed partial class HostRecord : IRunKeyed
{
    [CsvColumn("run_id", Optional = true)] public string RunId { get; set; } = "";
    [CsvColumn("scenario")] public string Scenario { get; set; } = "";
    [CsvColumn("platform")] public string Platform { get; set; } = "";
    [CsvColumn("replication")] public int Replication { get; set; }
    [CsvColumn("seed")] public string Seed { get; set; } = "";
    [CsvColumn("memory_bytes")] public long MemoryBytes { get; set; }
    [CsvColumn("page_size_bytes")] public long PageSizeBytes { get; set; }
    [CsvColumn("watermark_min_bytes")] public long WatermarkMinBytes { get; set; }
    [CsvColumn("watermark_low_bytes")] public long WatermarkLowBytes { get; set; }
    [CsvColumn("watermark_high_bytes")] public long WatermarkHighBytes { get; set; }
    [CsvColumn("kswapd_wakeups")] public long KswapdWakeups { get; set; }
    [CsvColumn("direct_reclaims")] public long DirectReclaims { get; set; }
    [CsvColumn("pages_scanned")] public long PagesScanned { get; set; }
    [CsvColumn("swap_full_events")] public long SwapFullEvents { get; set; }
}
