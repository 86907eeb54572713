namespace HvSim.Analysis.Statistics;

/// <summary>
/// metrics_wide.csv, beside the long stats.csv: one row per run and guest (guest empty: the whole host), every
/// <see cref="Metric"/> a column (empty where it does not apply), for pandas or a spreadsheet without a pivot.
/// </summary>
public static class WideTable
{
    public const string FileName = "metrics_wide.csv";

    public static void Write(string path, IReadOnlyList<Observation> observations, IReadOnlyList<string> parameters)
    {
        var metrics = Metric.All.Where(m => observations.Any(o => o.Metric == m)).ToList();
        var rows = observations
            .GroupBy(o => (o.Run, o.Guest))
            .OrderBy(g => g.Key.Run.Scenario, StringComparer.Ordinal).ThenBy(g => g.Key.Run.Platform, StringComparer.Ordinal)
            .ThenBy(g => g.First().Point.Values, SweepValueComparer.Instance).ThenBy(g => g.Key.Run.Replication)
            .ThenBy(g => g.Key.Run.Seed).ThenBy(g => g.Key.Guest, GuestNameComparer.Instance)
            .Select(g =>
            {
                var values = g.GroupBy(o => o.Metric).ToDictionary(m => m.Key, m => m.First().Value);
                var run = g.Key.Run;
                return (string?[])[
                    run.RunId, run.Scenario, run.Platform, .. parameters.Select(p => g.First().Point.ValueOf(p)),
                    run.Replication.ToString(System.Globalization.CultureInfo.InvariantCulture), run.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    g.Key.Guest, .. metrics.Select(m => values.TryGetValue(m, out var v) ? StatsTable.Number(v) : ""),
                ];
            });
        Results.ResultsTables.WriteCsv(path, ["run_id", "scenario", "platform", .. parameters, "replication", "seed", "guest", .. metrics.Select(m => m.Name)], rows);
    }
}
