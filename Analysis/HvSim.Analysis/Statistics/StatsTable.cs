using System.Globalization;
using HvSim.Analysis.Results;

namespace HvSim.Analysis.Statistics;

/// <summary>Across-replication statistics of every metric, and stats.csv (tidy: one row per scenario/platform/point/guest/metric).</summary>
public static class StatsTable
{
    public const string FileName = "stats.csv";

    /// <summary>
    /// One row per scenario, platform, sweep point (the values of EVERY swept parameter), guest and metric, so that a
    /// row's n counts replications of one configuration and never pools different configurations.
    /// </summary>
    public static List<StatRow> Aggregate(IEnumerable<Observation> observations, double confidence = ReplicationStats.DefaultConfidence)
    {
        var metricOrder = Metric.All.Select((m, i) => (m, i)).ToDictionary(t => t.m.Name, t => t.i);
        return observations
            .GroupBy(o => (o.Run.Scenario, o.Run.Platform, o.Point, o.Guest, o.Metric))
            .Select(g => new StatRow(g.Key.Scenario, g.Key.Platform, g.Key.Point, g.Key.Guest, g.Key.Metric,
                Bounded(g.Key.Metric, ReplicationStats.Of(g.Select(o => o.Value).ToList(), confidence))))
            .OrderBy(r => r.Scenario, StringComparer.Ordinal)
            .ThenBy(r => r.Platform, StringComparer.Ordinal)
            .ThenBy(r => r.Point.Values, SweepValueComparer.Instance)
            .ThenBy(r => r.Guest, GuestNameComparer.Instance)
            .ThenBy(r => metricOrder.GetValueOrDefault(r.Metric.Name, int.MaxValue))
            .ToList();
    }

    /// <summary>Every metric is a count, rate, size, latency or fraction: its interval cannot reach below 0 (nor a fraction's above 1).</summary>
    private static ReplicationStats Bounded(Metric metric, ReplicationStats s) => s.ClampedTo(0, metric.IsFraction ? 1 : double.PositiveInfinity);

    /// <summary>Writes stats.csv: scenario,platform,[swept parameters…],guest,metric,unit,n,mean,sd,ci95_low,ci95_high.</summary>
    public static void Write(string path, IReadOnlyList<StatRow> rows, IReadOnlyList<string> parameters) =>
        ResultsTables.WriteCsv(path, ["scenario", "platform", .. parameters, "guest", "metric", "unit", "n", "mean", "sd", "ci95_low", "ci95_high"],
            rows.Select(r => (string?[])[
                r.Scenario, r.Platform, .. parameters.Select(p => r.Point.ValueOf(p)), r.Guest, r.Metric.Name, r.Metric.Unit,
                r.Stats.N.ToString(CultureInfo.InvariantCulture), Number(r.Stats.Mean), Number(r.Stats.Sd), Number(r.Stats.CiLow), Number(r.Stats.CiHigh),
            ]));

    /// <summary>Shortest round-trip form; NaN (not applicable) is an empty cell, as docs/results-format.md says.</summary>
    internal static string Number(double v) => double.IsFinite(v) ? v.ToString("R", CultureInfo.InvariantCulture) : "";
}
