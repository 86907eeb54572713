using CsvHelper;
using HvSim.Analysis.Results;
using HvSim.Analysis.Tables;
using HvSim.Scenarios.Planning;

namespace HvSim.Analysis.Planning;

/// <summary>One row of plan.csv: a platform's answer for one SLO bound. Its numbers are plain decimals (<see cref="PlainNumberConverter"/>).</summary>
[CsvRecord]
public sealed partial class PlanRow
{
    [CsvColumn("scenario")] public string Scenario { get; set; } = "";
    [CsvColumn("platform")] public string Platform { get; set; } = "";
    [CsvColumn("max_guests")] public int MaxGuests { get; set; }
    [CsvColumn("search_cap_reached")] public bool SearchCapReached { get; set; }
    [CsvColumn("slo_metric")] public string SloMetric { get; set; } = "";
    [CsvColumn("limit"), CsvConverter(typeof(PlainNumberConverter))] public double Limit { get; set; }
    [CsvColumn("confidence"), CsvConverter(typeof(PlainNumberConverter))] public double Confidence { get; set; }
    [CsvColumn("replications")] public int Replications { get; set; }
    [CsvColumn("mean"), CsvConverter(typeof(PlainNumberConverter))] public double? Mean { get; set; }
    [CsvColumn("ci95_low"), CsvConverter(typeof(PlainNumberConverter))] public double? CiLow { get; set; }
    [CsvColumn("ci95_high"), CsvConverter(typeof(PlainNumberConverter))] public double? CiHigh { get; set; }
    [CsvColumn("consolidation_ratio"), CsvConverter(typeof(PlainNumberConverter))] public double? ConsolidationRatio { get; set; }
    [CsvColumn("min_host_memory_bytes", Optional = true)] public long? MinHostMemoryBytes { get; set; }
    [CsvColumn("min_host_memory_guests", Optional = true)] public int? MinHostMemoryGuests { get; set; }
    [CsvColumn("verdict")] public string Verdict { get; set; } = "";
}

/// <summary>
/// One row of plan_probes.csv: one SLO bound of one probed configuration, and why the probe failed. Every other metric
/// of each probe run is in the folder's stats.csv and run tables (docs/results-format.md).
/// </summary>
[CsvRecord]
public sealed partial class PlanProbeRow
{
    [CsvColumn("platform")] public string Platform { get; set; } = "";
    [CsvColumn("guests")] public int Guests { get; set; }
    [CsvColumn("host_memory_bytes")] public long? HostMemoryBytes { get; set; }
    [CsvColumn("all_admitted")] public bool AllAdmitted { get; set; }
    [CsvColumn("meets_slo")] public bool MeetsSlo { get; set; }
    [CsvColumn("slo_metric")] public string SloMetric { get; set; } = "";
    [CsvColumn("limit"), CsvConverter(typeof(PlainNumberConverter))] public double Limit { get; set; }
    [CsvColumn("n")] public int N { get; set; }
    [CsvColumn("mean"), CsvConverter(typeof(PlainNumberConverter))] public double? Mean { get; set; }
    [CsvColumn("ci95_low"), CsvConverter(typeof(PlainNumberConverter))] public double? CiLow { get; set; }
    [CsvColumn("ci95_high"), CsvConverter(typeof(PlainNumberConverter))] public double? CiHigh { get; set; }
    [CsvColumn("order", Optional = true)] public int? Order { get; set; }
    [CsvColumn("search", Optional = true)] public string? Search { get; set; }
    [CsvColumn("upper_bound", Optional = true), CsvConverter(typeof(PlainNumberConverter))] public double? UpperBound { get; set; }
    [CsvColumn("meets_limit", Optional = true)] public bool? MeetsLimit { get; set; }
    [CsvColumn("verdict", Optional = true)] public string? Verdict { get; set; }
}

/// <summary>A probe row of a plan with `levers:`: plan_probes.csv with the lever (`none`: the scenario as it is) in front.</summary>
[CsvRecord]
public sealed partial class LeverProbeRow
{
    [CsvColumn("lever")] public string Lever { get; set; } = "";
    public PlanProbeRow Row { get; set; } = new();
}

/// <summary>
/// One row of plan_levers.csv (a plan with `levers:`): one lever on one platform, the most guests under the SLO and
/// that count over pinned PPC970's and over plain POWER7 swapping's (the scenario as it is, lever `none`); a lever the
/// platform refuses has no count, and the reason.
/// </summary>
[CsvRecord]
public sealed partial class PlanLeverRow
{
    [CsvColumn("lever")] public string Lever { get; set; } = "";
    [CsvColumn("platform")] public string Platform { get; set; } = "";
    [CsvColumn("sets")] public string Sets { get; set; } = "";
    [CsvColumn("max_guests")] public int? MaxGuests { get; set; }
    [CsvColumn("search_cap_reached")] public bool? SearchCapReached { get; set; }
    [CsvColumn("ratio_vs_pinned_ppc970"), CsvConverter(typeof(PlainNumberConverter))] public double? RatioVsPinned { get; set; }
    [CsvColumn("ratio_vs_power7_swapping"), CsvConverter(typeof(PlainNumberConverter))] public double? RatioVsSwapping { get; set; }
    [CsvColumn("refused")] public string? Refused { get; set; }
    [CsvColumn("verdict")] public string Verdict { get; set; } = "";
}

/// <summary>
/// plan.csv, plan_probes.csv and (with levers) plan_levers.csv as read back: enough to redraw the plan plots and report
/// section from files alone. <see cref="Probes"/> are every probe; with levers, <see cref="LeverProbes"/> are the same
/// rows with each one's lever (empty without levers).
/// </summary>
public sealed record PlanTables(IReadOnlyList<PlanRow> Plan, IReadOnlyList<PlanProbeRow> Probes, IReadOnlyList<PlanLeverRow> Levers, IReadOnlyList<LeverProbeRow> LeverProbes)
{
    /// <summary>The probes of the scenario as it is (all of them without levers): what the metric-vs-count plots show.</summary>
    public IEnumerable<PlanProbeRow> BaselineProbes => LeverProbes.Count == 0 ? Probes : LeverProbes.Where(p => p.Lever == PlanKeys.Baseline).Select(p => p.Row);
}

/// <summary>Writes and reads the planner's CSV files.</summary>
public static class PlanFiles
{
    public const string PlanFile = ResultsFolder.PlanFile;
    public const string ProbesFile = "plan_probes.csv";
    public const string LeversFile = "plan_levers.csv";

    public static void Write(string directory, PlanResult result)
    {
        double? ratio = result.ConsolidationRatio;
        var rows = new List<PlanRow>();
        var probes = new List<LeverProbeRow>();
        foreach (var p in result.Platforms)
        {
            string platform = HvSim.Scenarios.Language.ScenarioKeys.PlatformName(p.Platform);
            foreach (var limit in result.Slo.Limits)
            {
                var s = p.AtLimit?.Stats[limit.Metric];
                bool memoryRow = result.Memory is not null && result.Memory.Platform == platform;
                rows.Add(new PlanRow
                {
                    Scenario = result.Scenario, Platform = platform, MaxGuests = p.MaxGuests, SearchCapReached = p.HitSearchCap,
                    SloMetric = limit.MetricName, Limit = limit.Limit, Confidence = result.Slo.Confidence, Replications = result.Replications,
                    Mean = Finite(s?.Mean), CiLow = Finite(s?.CiLow), CiHigh = Finite(s?.CiHigh), ConsolidationRatio = ratio,
                    MinHostMemoryBytes = memoryRow ? result.Memory!.MinHostMemoryBytes : null,
                    MinHostMemoryGuests = memoryRow ? result.Memory!.Guests : null,
                    Verdict = p.Summary,
                });
            }
        }
        // Every probe, in the order the searches made them: the count searches' and the min_host_memory search's steps.
        foreach (var probe in result.Probes.OrderBy(p => p.Order))
            foreach (var limit in result.Slo.Limits)
            {
                var s = probe.Stats[limit.Metric];
                var (upper, holds) = probe.Bound(limit);
                probes.Add(new LeverProbeRow { Lever = probe.Point.Lever ?? PlanKeys.Baseline, Row = new PlanProbeRow
                {
                    Platform = HvSim.Scenarios.Language.ScenarioKeys.PlatformName(probe.Point.Platform), Guests = probe.Point.Guests,
                    HostMemoryBytes = probe.Point.HostMemoryBytes, AllAdmitted = probe.AllAdmitted, MeetsSlo = probe.MeetsSlo,
                    SloMetric = limit.MetricName, Limit = limit.Limit,
                    N = s.N, Mean = Finite(s.Mean), CiLow = Finite(s.CiLow), CiHigh = Finite(s.CiHigh),
                    Order = probe.Order, Search = probe.Search, UpperBound = Finite(upper), MeetsLimit = holds, Verdict = probe.Verdict,
                } });
            }
        ResultsTables.WriteCsv(Path.Combine(directory, PlanFile), rows);
        // Without levers, plan_probes.csv stays as it always was: no lever column.
        if (result.Levers.Count == 0) ResultsTables.WriteCsv(Path.Combine(directory, ProbesFile), probes.Select(p => p.Row));
        else
        {
            ResultsTables.WriteCsv(Path.Combine(directory, ProbesFile), probes);
            ResultsTables.WriteCsv(Path.Combine(directory, LeversFile), result.Levers.Select(l => new PlanLeverRow
            {
                Lever = l.Lever, Platform = HvSim.Scenarios.Language.ScenarioKeys.PlatformName(l.Platform), Sets = l.Overrides,
                MaxGuests = l.Plan?.MaxGuests, SearchCapReached = l.Plan?.HitSearchCap,
                RatioVsPinned = l.RatioTo(result.Pinned), RatioVsSwapping = l.RatioTo(result.Swapping),
                Refused = l.Refused, Verdict = l.Plan?.Summary ?? $"{HvSim.Scenarios.Language.ScenarioKeys.PlatformName(l.Platform)} refuses it: {l.Refused}",
            }));
        }
    }

    /// <summary>The plan files of <paramref name="directory"/>, or null when it has none.</summary>
    public static PlanTables? TryRead(string directory)
    {
        string plan = Path.Combine(directory, PlanFile), probes = Path.Combine(directory, ProbesFile), levers = Path.Combine(directory, LeversFile);
        if (!ResultsFolder.Present(plan)) return null;
        if (ResultsFolder.Present(levers))
        {
            var leverProbes = ResultsFolder.ReadTable<LeverProbeRow>(probes);
            return new PlanTables(ResultsFolder.ReadTable<PlanRow>(plan), leverProbes.Select(p => p.Row).ToList(), ResultsFolder.ReadTable<PlanLeverRow>(levers), leverProbes);
        }
        return new PlanTables(ResultsFolder.ReadTable<PlanRow>(plan), ResultsFolder.Present(probes) ? ResultsFolder.ReadTable<PlanProbeRow>(probes) : [], [], []);
    }

    private static double? Finite(double? v) => v is { } x && double.IsFinite(x) ? x : null;
}
