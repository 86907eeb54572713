using CsvHelper;

namespace HvSim.Analysis.Tables;

/// <summary>One row of timeseries.csv: a guest's (or, with guest=host, the host's) state at the end of one interval.</summary>
[CsvRecord]
public sealed partial class TimeseriesRecord : IRunKeyed
{
    public const string HostGuest = "host";

    [CsvColumn("run_id", Optional = true)] public string RunId { get; set; } = "";
    [CsvColumn("scenario")] public string Scenario { get; set; } = "";
    [CsvColumn("platform")] public string Platform { get; set; } = "";
    [CsvColumn("replication")] public int Replication { get; set; }
    [CsvColumn("seed")] public string Seed { get; set; } = "";
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

    public bool IsHost => Guest == HostGuest;
}
