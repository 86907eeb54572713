using HvSim.Analysis.Planning;
using HvSim.Analysis.Plots;
using HvSim.Analysis.Report;
using HvSim.Analysis.Statistics;
using HvSim.Analysis.Tables;

namespace HvSim.Analysis;

/// <summary>What <see cref="ReportBuilder.Build"/> wrote.</summary>
public sealed record ReportOutput(string StatsCsv, string ReportHtml, IReadOnlyList<Figure> Figures, IReadOnlyList<StatRow> Stats);

/// <summary>
/// The analysis entry point: from a results folder's CSV files alone, writes stats.csv, every plot (PNG + SVG) and
/// report.html next to them. Idempotent: running it again rewrites the same files.
/// </summary>
public static class ReportBuilder
{
    /// <summary>Metrics drawn against each swept parameter.</summary>
    private static readonly Metric[] SweepMetrics =
    [
        Metric.AdmittedGuests, Metric.Slowdown, Metric.FaultLatencyP99, Metric.MajorFaultRate, Metric.PagesSwappedOut, Metric.EffectiveAccessTime,
    ];

    /// <exception cref="ResultsFolderException">Not a results folder, or a file that does not follow docs/results-format.md.</exception>
    public static ReportOutput Build(string resultsDir, double? warmupSeconds = null)
    {
        var folder = ResultsFolder.Load(resultsDir);
        double warmup = warmupSeconds ?? folder.Manifest.WarmupSeconds() ?? 0;
        var stats = StatsTable.Aggregate(RunMetrics.Compute(folder, warmup));
        string statsPath = Path.Combine(resultsDir, StatsTable.FileName);
        StatsTable.Write(statsPath, stats, folder.Runs?.Parameters ?? []);

        var figures = new List<Figure>();
        void Add(Figure? f) { if (f is not null) figures.Add(f); }
        foreach (var run in RepresentativeRuns(folder))
        {
            var series = folder.Timeseries.Where(r => r.Run == run).Select(r => r.Row).ToList();
            var host = folder.Host.Where(h => h.Run == run).Select(h => h.Row).FirstOrDefault();
            Add(PagingCurvePlot.Create(resultsDir, $"paging_{run.Platform}", run, series, host, warmup));
            Add(FaultCurvePlot.Faults(resultsDir, $"faults_{run.Platform}", run, series, warmup));
            Add(FaultCurvePlot.Notifier(resultsDir, $"notifier_{run.Platform}", run, series, warmup));
        }
        Add(LatencyCdfPlot.Create(resultsDir, "fault_latency_cdf", string.Join(", ", stats.Select(s => s.Scenario).Distinct()), folder.FaultLatency.Select(r => r.Row).ToList()));
        foreach (var parameter in folder.Runs?.Parameters ?? [])
            foreach (var metric in SweepMetrics)
                Add(SweepCurvePlot.Create(resultsDir, $"sweep_{Slug(parameter)}_{metric.Name}", stats, parameter, metric));
        Add(MissRatioCurvePlot.Create(resultsDir, "mrc", folder.Mrc));

        var sections = new List<string>();
        var plan = PlanFiles.TryRead(resultsDir);
        if (plan is not null)
        {
            figures.AddRange(PlanPlot.Create(resultsDir, plan));
            sections.Add(PlanReportSection.Html(plan));
        }
        string reportPath = Path.Combine(resultsDir, HtmlReport.FileName);
        HtmlReport.Write(reportPath, folder, stats, figures, sections);
        return new ReportOutput(statsPath, reportPath, figures, stats);
    }

    /// <summary>One run per platform whose time series the paging and fault curves show: the first run id, lowest replication.</summary>
    private static IEnumerable<RunIdentity> RepresentativeRuns(ResultsFolder folder) =>
        folder.Timeseries.Select(r => r.Run).Distinct()
            .GroupBy(k => k.Platform)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => g.OrderBy(k => k.RunId, StringComparer.Ordinal).ThenBy(k => k.Replication).First());

    private static string Slug(string text) => new(text.Select(c => char.IsLetterOrDigit(c) ? c : '_').ToArray());
}
