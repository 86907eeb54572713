using CsvHelper;
using HvSim.Analysis.Results;
using HvSim.Analysis.Tables;

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

/// <summary>plan.csv and plan_probes.csv as read back: enough to redraw the plan plot and report section from files alone.</summary>
public sealed record PlanTables(IReadOnlyList<PlanRow> Plan, IReadOnlyList<PlanProbeRow> Probes);

/// <summary>Writes and reads the planner's CSV files.</summary>
public static class PlanFiles
{
    public const string PlanFile = ResultsFolder.PlanFile;
    public const string ProbesFile = "plan_probes.csv";

    public static void Write(string directory, PlanResult result)
    {
        double? ratio = result.ConsolidationRatio;
        var rows = new List<PlanRow>();
        var probes = new List<PlanProbeRow>();
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
                probes.Add(new PlanProbeRow
                {
                    Platform = HvSim.Scenarios.Language.ScenarioKeys.PlatformName(probe.Point.Platform), Guests = probe.Point.Guests,
                    HostMemoryBytes = probe.Point.HostMemoryBytes, AllAdmitted = probe.AllAdmitted, MeetsSlo = probe.MeetsSlo,
                    SloMetric = limit.MetricName, Limit = limit.Limit,
                    N = s.N, Mean = Finite(s.Mean), CiLow = Finite(s.CiLow), CiHigh = Finite(s.CiHigh),
                    Order = probe.Order, Search = probe.Search, UpperBound = Finite(upper), MeetsLimit = holds, Verdict = probe.Verdict,
                });
            }
        ResultsTables.WriteCsv(Path.Combine(directory, PlanFile), rows);
        ResultsTables.WriteCsv(Path.Combine(directory, ProbesFile), probes);
    }

    /// <summary>The plan files of <paramref name="directory"/>, or null when it has none.</summary>
    public static PlanTables? TryRead(string directory)
    {
        string plan = Path.Combine(directory, PlanFile), probes = Path.Combine(directory, ProbesFile);
        if (!ResultsFolder.Present(plan)) return null;
        return new PlanTables(ResultsFolder.ReadTable<PlanRow>(plan), ResultsFolder.Present(probes) ? ResultsFolder.ReadTable<PlanProbeRow>(probes) : []);
    }

    private static double? Finite(double? v) => v is { } x && double.IsFinite(x) ? x : null;
}
