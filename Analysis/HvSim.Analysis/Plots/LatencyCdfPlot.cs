using HvSim.Analysis.Statistics;
using HvSim.Analysis.Results;

namespace HvSim.Analysis.Plots;

/// <summary>CDF of HDSI fault latency per platform (all guests and replications merged), log x.</summary>
public static class LatencyCdfPlot
{
    public static Figure? Create(string directory, string name, string scenario, IReadOnlyList<FaultLatencyRow> buckets)
    {
        var platforms = buckets.Where(b => b.Count > 0).GroupBy(b => b.Platform).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        if (platforms.Count == 0) return null;
        string title = $"HDSI fault latency CDF: {scenario}";
        var plot = FigureStyle.New(title, "Fault latency (µs, log scale)", "Fraction of faults ≤ latency");
        int i = 0;
        foreach (var p in platforms)
        {
            var (x, f) = BucketQuantile.Cdf(p.Select(RunMetrics.ToBucket));
            // Start at the first bucket's lower bound so the curve rises from 0; samples are taken as spread evenly in a bucket.
            double first = p.Min(b => b.BucketLowerUs);
            var xs = new[] { Math.Log10(Math.Max(first, 1e-3)) }.Concat(x.Select(v => Math.Log10(Math.Max(v, 1e-3)))).ToArray();
            var ys = new[] { 0.0 }.Concat(f).ToArray();
            var line = plot.Add.ScatterLine(xs, ys, SeriesColors.ForPlatform(p.Key, i++));
            line.LegendText = $"{SeriesColors.PlatformLabel(p.Key)} ({p.Sum(b => b.Count):N0} faults)";
            line.LineWidth = 2.5f;
        }
        double lowest = Math.Max(buckets.Where(b => b.Count > 0).Min(b => b.BucketLowerUs), 1e-3);
        var (left, right) = LogAxis.Apply(plot.Axes.Bottom, lowest, buckets.Where(b => b.Count > 0).Max(b => b.BucketUpperUs));
        plot.Axes.SetLimitsX(left, right);
        plot.Axes.SetLimitsY(0, 1.02);
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericFixedInterval(0.1);
        plot.Add.HorizontalLine(0.99, 1.5f, ScottPlot.Colors.Gray).LegendText = "0.99 (p99)";
        return FigureStyle.Save(plot, directory, name, title,
            "Cumulative distribution of HDSI latency (fault to guest resume) from the histogram buckets, all guests and replications merged. PPC970 guests are pinned and take no HDSI faults, so they have no curve unless the model reports some.");
    }
}
