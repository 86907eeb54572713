using HvSim.Analysis.Plots;
using HvSim.Analysis.Report;
using HvSim.Analysis.Statistics;
using HvSim.Analysis.Tables;
using ScottPlot;

namespace HvSim.Analysis.Compare;

/// <summary>
/// Per platform, the key metrics' ratio B / A of the means on a log axis (so ×0.01 and ×50 both show), each with its
/// confidence interval as a bar (a forest plot): a bar crossing the ×1 line is no significant difference. One marker
/// per sweep point.
/// </summary>
public static class ComparePlot
{
    /// <summary>Sweep points drawn per platform; more would not fit beside each other in one metric's band.</summary>
    public const int MaxPoints = 8;

    public static IEnumerable<Figure> Create(string directory, FolderComparison comparison)
    {
        var metrics = KeyNumbersRow.Columns;
        foreach (var platform in comparison.Rows.Where(r => r.Guest == "" && metrics.Contains(r.Metric) && Ratio(r.Difference) is not null)
                     .GroupBy(r => r.Group.Platform).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var shown = metrics.Where(m => platform.Any(r => r.Metric == m)).ToList();
            var groups = platform.Select(r => r.Group).Distinct().Take(MaxPoints).ToList();
            var varying = comparison.Parameters.Where(p => groups.Select(g => g.Point.ValueOf(p)).Distinct().Count() > 1).ToList();
            string title = $"{SeriesColors.PlatformLabel(platform.Key)}: B vs A, key metrics";
            var plot = FigureStyle.New(title, "B / A (ratio of the means, log scale)", "");
            plot.Add.VerticalLine(0, 1.5f, Colors.Gray);
            double low = 1, high = 1;
            for (int k = 0; k < groups.Count; k++)
            {
                var color = groups.Count == 1 ? SeriesColors.ForPlatform(platform.Key, 0) : SeriesColors.Nth(k);
                double offset = groups.Count == 1 ? 0 : (k - (groups.Count - 1) / 2.0) * 0.7 / groups.Count;
                var xs = new List<double>();
                var ys = new List<double>();
                foreach (var r in platform.Where(r => r.Group == groups[k]))
                {
                    var d = r.Difference;
                    double y = -shown.IndexOf(r.Metric) + offset, ratio = Ratio(d)!.Value;
                    xs.Add(Math.Log10(ratio));
                    ys.Add(y);
                    (low, high) = (Math.Min(low, ratio), Math.Max(high, ratio));
                    if (!d.HasInterval || d.CiLow == d.CiHigh) continue;
                    // The interval of B − A as a ratio of A's mean; a lower end at or below 0 (B could be nothing) is cut at the axis' end.
                    double from = 1 + d.CiLow / d.MeanA, to = 1 + d.CiHigh / d.MeanA;
                    (low, high) = (Math.Min(low, from > 0 ? from : low), Math.Max(high, to));
                    var bar = plot.Add.ScatterLine(new[] { Math.Log10(from > 0 ? from : Floor), Math.Log10(to) }, new[] { y, y }, color);
                    bar.LineWidth = 3;
                    bar.MarkerSize = 0;
                }
                var marks = plot.Add.Markers(xs.ToArray(), ys.ToArray(), MarkerShape.FilledCircle, 10, color);
                // Named by its label, else by the parameters that tell the drawn points apart (a plan's host.memory is often the same for all).
                string point = groups[k].Point.Label.Length > 0 ? groups[k].Point.Label
                    : string.Join(", ", varying.Select(p => SweepPoint.Assignment(p, groups[k].Point.ValueOf(p))));
                marks.LegendText = point.Length > 0 ? point : "B / A";
            }
            var (first, last) = LogAxis.Apply(plot.Axes.Bottom, Math.Max(low / 1.5, Floor), high * 1.5);
            plot.Axes.SetLimitsX(first, last);
            plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
                shown.Select((_, i) => (double)-i).ToArray(), shown.Select(m => m.Name).ToArray());
            plot.Axes.SetLimitsY(-shown.Count + 0.5, 0.5);
            string more = platform.Select(r => r.Group).Distinct().Count() > MaxPoints ? $" Only the first {MaxPoints} sweep points are drawn; compare.csv has all." : "";
            yield return FigureStyle.Save(plot, directory, $"compare_{platform.Key}", title,
                $"Each key metric's mean in B divided by its mean in A (dot), on a log scale, with the {comparison.Confidence:P0} confidence interval of B − A " +
                "as a ratio of A (bar; none when a side has a single run or the replications did not spread). A bar that crosses the grey ×1 line is no " +
                $"significant difference. Metrics that are 0 in A or in B have no ratio and are left out (compare.csv has them).{more}");
        }
    }

    /// <summary>Where the axis ends on the left: a ratio of 1/10000.</summary>
    private const double Floor = 1e-4;

    /// <summary>mean B / mean A when both are positive; else null (no point on a log axis).</summary>
    private static double? Ratio(MetricDifference d) =>
        d.NA > 0 && d.NB > 0 && d.MeanA > 0 && d.MeanB > 0 ? d.MeanB / d.MeanA : null;
}
