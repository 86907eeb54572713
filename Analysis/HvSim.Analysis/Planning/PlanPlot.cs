using HvSim.Analysis.Plots;

namespace HvSim.Analysis.Planning;

/// <summary>For each SLO metric: the metric against guest count at every probed count (mean and CI), one line per platform, the SLO limit drawn.</summary>
public static class PlanPlot
{
    public static IEnumerable<Figure> Create(string directory, PlanTables plan)
    {
        foreach (var metric in plan.BaselineProbes.Where(p => p.HostMemoryBytes is null).GroupBy(p => p.SloMetric))
        {
            string title = $"Capacity plan: {metric.Key} vs guest count";
            var plot = FigureStyle.New(title, "Guests (count)", $"{metric.Key} ({UnitOf(metric.Key)})");
            int i = 0;
            foreach (var platform in metric.GroupBy(p => p.Platform).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                // A count where a guest was refused is not a valid configuration: marked, not joined to the curve.
                var pts = platform.Where(p => p.Mean.HasValue && p.AllAdmitted).OrderBy(p => p.Guests).ToList();
                var refused = platform.Where(p => !p.AllAdmitted).OrderBy(p => p.Guests).ToList();
                var color = SeriesColors.ForPlatform(platform.Key, i++);
                var withCi = pts.Where(p => p.CiLow.HasValue && p.CiHigh.HasValue).ToList();
                if (withCi.Count >= 2)
                {
                    var band = plot.Add.FillY(withCi.Select(p => (double)p.Guests).ToArray(), withCi.Select(p => p.CiLow!.Value).ToArray(), withCi.Select(p => p.CiHigh!.Value).ToArray());
                    band.FillStyle.Color = color.WithAlpha(0.2);
                    band.LineStyle.Width = 0;
                }
                if (pts.Count == 0) continue;
                var line = plot.Add.ScatterLine(pts.Select(p => (double)p.Guests).ToArray(), pts.Select(p => p.Mean!.Value).ToArray(), color);
                line.LineWidth = 2.5f;
                line.MarkerSize = 8;
                var max = plan.Plan.FirstOrDefault(r => r.Platform == platform.Key);
                int most = max?.MaxGuests ?? 0;
                line.LegendText = $"{SeriesColors.PlatformLabel(platform.Key)}: max {most} {PlatformPlan.GuestNoun(most)}";
                if (refused.Count > 0)
                {
                    double y = pts.Count > 0 ? pts[^1].Mean!.Value : 0;
                    var marks = plot.Add.ScatterPoints(refused.Select(p => (double)p.Guests).ToArray(), refused.Select(_ => y).ToArray(), color);
                    marks.MarkerShape = ScottPlot.MarkerShape.Eks;
                    marks.MarkerSize = 14;
                    marks.LegendText = $"{SeriesColors.PlatformLabel(platform.Key)}: a guest refused";
                }
            }
            var limit = plot.Add.HorizontalLine(metric.First().Limit, 2, ScottPlot.Colors.Red);
            limit.LegendText = $"SLO limit {Report.HtmlReport.Num(metric.First().Limit)}";
            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
            yield return FigureStyle.Save(plot, directory, $"plan_{metric.Key}", title,
                $"{metric.Key} at each guest count the planner probed (mean over replications, band = 95 % CI); the red line is the SLO limit, which the CI upper bound must not exceed. Crosses mark counts at which a guest was refused (drawn at the last admitted value).");
        }
    }

    private static string UnitOf(string metric) => metric switch
    {
        "p99_fault_latency_us" => "µs",
        "mean_stall_fraction" => "fraction of vCPU time",
        "slowdown_factor" => "×",
        _ => "1/s",
    };
}
