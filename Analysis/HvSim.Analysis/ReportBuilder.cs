using HvSim.Analysis.Results;
using HvSim.Analysis.Planning;
using HvSim.Analysis.Plots;
using HvSim.Analysis.Report;
using HvSim.Analysis.Statistics;
using HvSim.Analysis.Tables;

namespace HvSim.Analysis;

/// <summary>What <see cref="ReportBuilder.Build"/> wrote; no stats.csv (null) for a folder without simulation runs (`hvsim mrc`, `hvsim plan`).</summary>
public sealed record ReportOutput(string? StatsCsv, string ReportHtml, IReadOnlyList<Figure> Figures, IReadOnlyList<StatRow> Stats);

/// <summary>
/// The analysis entry point: from a results folder's CSV files alone, writes stats.csv, every plot (PNG + SVG) and
/// report.html next to them. Idempotent: running it again rewrites the same files.
/// </summary>
public static class ReportBuilder
{
    /// <summary>Metrics drawn against each swept parameter.</summary>
    private static readonly Metric[] SweepMetrics =
    [
        Metric.AdmittedGuests, Metric.HostThroughput, Metric.StallFraction, Metric.SlowdownFactor, Metric.FaultLatencyP99, Metric.MajorFaultRate,
        Metric.EffectiveAccessTime,
    ];

    /// <exception cref="ResultsFolderException">Not a results folder, or a file that does not follow docs/results-format.md.</exception>
    public static ReportOutput Build(string resultsDir, double? warmupSeconds = null)
    {
        var folder = ResultsFolder.Load(resultsDir);
        var observations = RunMetrics.Compute(folder, warmupSeconds);
        var stats = StatsTable.Aggregate(observations);
        string? statsPath = null;
        if (folder.Summary.Count > 0)
        {
            statsPath = Path.Combine(resultsDir, StatsTable.FileName);
            StatsTable.Write(statsPath, stats, folder.Runs?.Parameters ?? []);
            WideTable.Write(Path.Combine(resultsDir, WideTable.FileName), observations, folder.Runs?.Parameters ?? []);
        }

        var figures = new List<Figure>();
        var plotNotes = new List<string>();
        void Add(Figure? f) { if (f is not null) figures.Add(f); }
        foreach (var shown in RepresentativeRuns(folder))
        {
            var series = folder.Timeseries.Where(r => r.Run == shown.Run).Select(r => r.Row).ToList();
            var host = folder.Host.Where(h => h.Run == shown.Run).Select(h => h.Row).FirstOrDefault();
            string platform = shown.Run.Platform;
            double warmup = folder.WarmupSeconds(shown.Run, warmupSeconds);
            Add(PagingCurvePlot.Create(resultsDir, $"paging_{platform}", shown, series, host, warmup));
            Add(HostMemoryPlot.Create(resultsDir, $"host_memory_{platform}", shown, series, host, warmup));
            Add(SwapDevicePlot.Create(resultsDir, $"swap_device_{platform}", shown, series, warmup));
            var faults = FaultCurvePlot.Faults(resultsDir, $"faults_{platform}", shown, series, warmup);
            var notifier = FaultCurvePlot.Notifier(resultsDir, $"notifier_{platform}", shown, series, warmup);
            Add(faults);
            Add(notifier);
            if (series.Count > 0 && (faults is null || notifier is null))
                plotNotes.Add(MissingPlotsNote(shown, faults is null, notifier is null));
        }
        if ((folder.Runs?.Parameters.Count ?? 0) > 0)
            foreach (var (scenario, platform, first, points) in PointSeries(folder))
                Add(PointCurvesPlot.MajorFaults(resultsDir, $"major_faults_by_point_{Slug(scenario)}_{platform}", scenario, platform, points,
                    folder.WarmupSeconds(first, warmupSeconds)));
        Add(StallBreakdownPlot.Create(resultsDir, "stall_breakdown", stats));
        Add(LatencyCdfPlot.Create(resultsDir, "fault_latency_cdf", string.Join(", ", stats.Select(s => s.Scenario).Distinct()), folder.FaultLatency.Select(r => r.Row).ToList()));
        foreach (var parameter in folder.Runs?.Parameters ?? [])
            foreach (var metric in SweepMetrics)
                Add(SweepCurvePlot.Create(resultsDir, $"sweep_{Slug(SweepPoint.DisplayName(parameter))}_{metric.Name}", stats, parameter, metric));
        Add(MissRatioCurvePlot.Create(resultsDir, "mrc", folder.Mrc, folder.Manifest.Trace() ?? Path.GetFileName(Path.GetFullPath(resultsDir).TrimEnd('/'))));

        var sections = new List<string>();
        if (LeverReportSection.Html(folder) is { } levers) sections.Add(levers);
        var plan = PlanFiles.TryRead(resultsDir);
        if (plan is not null)
        {
            figures.AddRange(PlanPlot.Create(resultsDir, plan));
            Add(PlanLeverPlot.Create(resultsDir, plan));
            sections.Add(PlanReportSection.Html(plan));
        }
        string reportPath = Path.Combine(resultsDir, HtmlReport.FileName);
        HtmlReport.Write(reportPath, folder, stats, figures, sections, plotNotes);
        return new ReportOutput(statsPath, reportPath, figures, stats);
    }

    /// <summary>
    /// One run per platform whose time series the paging and fault curves show: the one with the most major faults
    /// (the most paging; ties go to the first run id, then the lowest replication), named with its sweep point.
    /// </summary>
    internal static IEnumerable<ShownRun> RepresentativeRuns(ResultsFolder folder)
    {
        var majorFaults = folder.Summary.GroupBy(r => r.Run).ToDictionary(g => g.Key, g => g.Sum(r => r.Row.MajorFaults));
        return folder.Timeseries.Select(r => r.Run).Distinct()
            .GroupBy(k => k.Platform)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                var run = g.OrderByDescending(k => majorFaults.GetValueOrDefault(k))
                    .ThenBy(k => k.RunId, StringComparer.Ordinal).ThenBy(k => k.Replication).ThenBy(k => k.Seed).First();
                return new ShownRun(run, folder.PointOf(run), g.Count(), majorFaults.GetValueOrDefault(run));
            });
    }

    /// <summary>
    /// Per scenario and platform of a sweep: each point's time series (its lowest replication), in sweep order, and
    /// a run of them (whose warm-up the plot marks).
    /// </summary>
    private static IEnumerable<(string Scenario, string Platform, RunIdentity First, IReadOnlyList<(SweepPoint, IReadOnlyList<TimeseriesRow>)> Points)> PointSeries(ResultsFolder folder) =>
        folder.Timeseries.GroupBy(r => r.Run)
            .Select(g => (Run: g.Key, Point: folder.PointOf(g.Key), Rows: (IReadOnlyList<TimeseriesRow>)g.Select(r => r.Row).ToList()))
            .GroupBy(r => (r.Run.Scenario, r.Run.Platform))
            .OrderBy(g => g.Key.Scenario, StringComparer.Ordinal).ThenBy(g => g.Key.Platform, StringComparer.Ordinal)
            .Select(g => (g.Key.Scenario, g.Key.Platform, g.First().Run, (IReadOnlyList<(SweepPoint, IReadOnlyList<TimeseriesRow>)>)g
                .GroupBy(r => r.Point)
                .OrderBy(p => p.Key.Values, SweepValueComparer.Instance)
                .Select(p => (p.Key, p.OrderBy(r => r.Run.Replication).ThenBy(r => r.Run.Seed).First().Rows))
                .ToList()));

    /// <summary>Why a platform has no fault-rate or notifier plot: every counter was zero in the run shown.</summary>
    private static string MissingPlotsNote(ShownRun shown, bool noFaults, bool noNotifier)
    {
        string what = (noFaults, noNotifier) switch
        {
            (true, true) => "no fault-rate or notifier plot: no HDSI faults, kvm_unmap_hva calls or tlbies",
            (true, false) => "no fault-rate plot: no HDSI faults",
            _ => "no notifier plot: no kvm_unmap_hva calls or tlbies",
        };
        string why = shown.Run.Platform == "ppc970" ? " (its guests are pinned: they cannot fault and the MMU notifier callbacks do nothing)" : "";
        return $"{SeriesColors.PlatformLabel(shown.Run.Platform)}: {what} in {shown.Label}{why}.";
    }

    private static string Slug(string text) => new(text.Select(c => char.IsLetterOrDigit(c) ? c : '_').ToArray());
}
