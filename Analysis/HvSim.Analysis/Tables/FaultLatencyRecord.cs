using CsvHelper;

namespace HvSim.Analysis.Tables;

/// <summary>One non-empty bucket of a guest's HDSI latency histogram (fault_latency.csv), bounds [lower, upper) in µs.</summary>
[CsvRecord]
public sealed partial class FaultLatencyRecord : IRunKeyed
{
    [CsvColumn("run_id", Optional = true)] public string RunId { get; set; } = "";
    [CsvColumn("scenario")] public string Scenario { get; set; } = "";
    [CsvColumn("platform")] public string Platform { get; set; } = "";
    [CsvColumn("replication")] public int Replication { get; set; }
    [CsvColumn("seed")] public string Seed { get; set; } = "";
    [CsvColumn("guest")] public string Guest { get; set; } = "";
    [CsvColumn("bucket_lower_us")] public double BucketLowerUs { get; set; }
    [CsvColumn("bucket_upper_us")] public double BucketUpperUs { get; set; }
    [CsvColumn("count")] public long Count { get; set; }
}
