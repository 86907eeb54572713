using CsvHelper;

namespace HvSim.Analysis.Tables;

/// <summary>One point of a miss-ratio curve (mrc.csv, written by `hvsim mrc`): capacity in pages, miss ratio 0..1.</summary>
[CsvRecord]
public sealed partial class MrcRecord
{
    [CsvColumn("capacity")] public long Capacity { get; set; }
    [CsvColumn("miss_ratio")] public double MissRatio { get; set; }
}
