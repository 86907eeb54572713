using CsvHelper;

namespace HvSim.Analysis.Validation;

/// <summary>One point of the validation: the real kernel's figures and HvSim's for the same access window (comparison.csv).</summary>
[CsvRecord]
public sealed partial class ComparisonRow
{
    [CsvColumn("point")] public string Point { get; set; } = "";
    [CsvColumn("kernel_mode")] public string KernelMode { get; set; } = "";
    [CsvColumn("runner")] public string Runner { get; set; } = "";
    [CsvColumn("pattern")] public string Pattern { get; set; } = "";
    [CsvColumn("ratio")] public double Ratio { get; set; }
    [CsvColumn("turnovers")] public double Turnovers { get; set; }
    [CsvColumn("pages")] public long Pages { get; set; }
    /// <summary>Pages the HvSim host holds for the guest (the cgroup limit less the cgroup's other pages).</summary>
    [CsvColumn("available_pages")] public long AvailablePages { get; set; }
    [CsvColumn("warmup_accesses")] public long WarmupAccesses { get; set; }
    [CsvColumn("real_accesses")] public long RealAccesses { get; set; }
    [CsvColumn("hvsim_accesses")] public long HvsimAccesses { get; set; }
    /// <summary>For uniform streams, 1 - C/N with C = available_pages: any demand-paging policy's steady-state miss ratio.</summary>
    [CsvColumn("irm_miss_ratio")] public double? IrmMissRatio { get; set; }
    /// <summary>Major faults (swap-ins the faulting task waited for) per access: the figure the validation asserts.</summary>
    [CsvColumn("real_major_per_access")] public double RealMajorPerAccess { get; set; }
    [CsvColumn("hvsim_major_per_access")] public double HvsimMajorPerAccess { get; set; }
    /// <summary>HvSim / real - 1 of major faults per access (empty when the real run had none).</summary>
    [CsvColumn("major_rel_diff")] public double? MajorRelDiff { get; set; }
    /// <summary>Major plus minor faults per access (minor: swap-cache hits and write-protect faults).</summary>
    [CsvColumn("real_faults_per_access")] public double RealFaultsPerAccess { get; set; }
    [CsvColumn("hvsim_faults_per_access")] public double HvsimFaultsPerAccess { get; set; }
    [CsvColumn("real_swapouts_per_access")] public double? RealSwapoutsPerAccess { get; set; }
    [CsvColumn("hvsim_swapouts_per_access")] public double HvsimSwapoutsPerAccess { get; set; }
    [CsvColumn("real_stall_us_per_access")] public double? RealStallUsPerAccess { get; set; }
    [CsvColumn("hvsim_stall_us_per_access")] public double HvsimStallUsPerAccess { get; set; }
    [CsvColumn("real_wall_us_per_access")] public double? RealWallUsPerAccess { get; set; }
    /// <summary>Over the window: pages swap readahead read besides the faulting one, faults on them (real: vmstat, machine-wide).</summary>
    [CsvColumn("real_swap_ra")] public long? RealSwapRa { get; set; }
    [CsvColumn("hvsim_swap_ra")] public long HvsimSwapRa { get; set; }
    [CsvColumn("real_swap_ra_hit")] public long? RealSwapRaHit { get; set; }
    [CsvColumn("hvsim_swap_ra_hit")] public long HvsimSwapRaHit { get; set; }
    /// <summary>Over the window: swap-ins of pages with a shadow entry, and those activated (workingset_refault/activate_anon).</summary>
    [CsvColumn("real_workingset_refault")] public long? RealWorkingsetRefault { get; set; }
    [CsvColumn("hvsim_workingset_refault")] public long HvsimWorkingsetRefault { get; set; }
    [CsvColumn("real_workingset_activate")] public long? RealWorkingsetActivate { get; set; }
    [CsvColumn("hvsim_workingset_activate")] public long HvsimWorkingsetActivate { get; set; }
    [CsvColumn("scenario")] public string Scenario { get; set; } = "";
}
