using CsvHelper;

namespace HvSim.Analysis.Validation;

/// <summary>
/// One row of the real-kernel experiment's CSV (validation/run.sh; every column is described in docs/validation.md):
/// the columns the comparison reads. The file has more (vmstat and memory.stat deltas, histograms), kept for people.
/// </summary>
[CsvRecord]
public sealed partial class RealRunRow
{
    [CsvColumn("runner")] public string Runner { get; set; } = "";
    [CsvColumn("pattern")] public string Pattern { get; set; } = "";
    [CsvColumn("alpha")] public double? Alpha { get; set; }
    [CsvColumn("hot_pages")] public double? HotPages { get; set; }
    [CsvColumn("hot_accesses")] public double? HotAccesses { get; set; }
    [CsvColumn("mib")] public long Mib { get; set; }
    [CsvColumn("pages")] public long? Pages { get; set; }
    [CsvColumn("ratio")] public double Ratio { get; set; }
    [CsvColumn("limit_bytes")] public long LimitBytes { get; set; }
    [CsvColumn("turnovers")] public double Turnovers { get; set; }
    [CsvColumn("warmup_accesses")] public long? WarmupAccesses { get; set; }
    [CsvColumn("accesses")] public long? Accesses { get; set; }
    [CsvColumn("seed")] public ulong Seed { get; set; }
    [CsvColumn("store")] public double Store { get; set; }
    [CsvColumn("maj_faults")] public long? MajFaults { get; set; }
    [CsvColumn("min_faults")] public long? MinFaults { get; set; }
    [CsvColumn("stall_ns")] public long? StallNs { get; set; }
    [CsvColumn("wall_ns")] public long? WallNs { get; set; }
    [CsvColumn("memcg_base_bytes")] public long? MemcgBaseBytes { get; set; }
    /// <summary>The first write of every page: wall time and, in newer CSVs, system CPU time.</summary>
    [CsvColumn("write_ns")] public long? WriteNs { get; set; }
    [CsvColumn("write_stime_ns", Optional = true)] public long? WriteStimeNs { get; set; }
    /// <summary>System CPU time of the measured window (newer CSVs).</summary>
    [CsvColumn("stime_ns", Optional = true)] public long? StimeNs { get; set; }
    [CsvColumn("vmstat_pgscan_anon")] public long? PgscanAnon { get; set; }
    [CsvColumn("warmup_maj_faults")] public long? WarmupMajFaults { get; set; }
    [CsvColumn("write_maj_faults")] public long? WriteMajFaults { get; set; }
    [CsvColumn("vmstat_pswpout")] public long? PswpOut { get; set; }
    [CsvColumn("vmstat_swap_ra")] public long? SwapRa { get; set; }
    [CsvColumn("vmstat_swap_ra_hit")] public long? SwapRaHit { get; set; }
    [CsvColumn("vmstat_workingset_refault_anon")] public long? WorkingsetRefault { get; set; }
    [CsvColumn("vmstat_workingset_activate_anon")] public long? WorkingsetActivate { get; set; }
    /// <summary>vm.page-cluster of the real host: its swap readahead reads at most 2^page_cluster pages.</summary>
    [CsvColumn("page_cluster")] public int? PageCluster { get; set; }
    /// <summary>queue/rotational of the swap file's disk (1 or 0); absent in CSVs from before the column (read as 0).</summary>
    [CsvColumn("swap_rotational", Optional = true)] public int? SwapRotational { get; set; }
    [CsvColumn("exit_code")] public int ExitCode { get; set; }

    /// <summary>The run completed and measured its window.</summary>
    public bool Complete => ExitCode == 0 && Accesses > 0 && MajFaults is not null && WarmupAccesses is not null;

    /// <summary>A short name for the point: pattern, warm-up turnovers and ratio (e.g. zipf0.9-t4-r0.5).</summary>
    public string PointName =>
        FormattableString.Invariant($"{Pattern}{(Alpha is { } a ? a.ToString(System.Globalization.CultureInfo.InvariantCulture) : "")}{(HotPages is { } h ? "-hot" + h.ToString(System.Globalization.CultureInfo.InvariantCulture) : "")}-t{Turnovers}-r{Ratio}")
        + (Runner == "process" ? "" : "-" + Runner);
}
