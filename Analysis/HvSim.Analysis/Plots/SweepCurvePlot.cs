using HvSim.Analysis.Statistics;
using HvSim.Analysis.Tables;

namespace HvSim.Analysis.Plots;

/// <summary>A metric against one swept parameter: mean with its 95 % CI band, one line per platform and variant (other parameters).</summary>
public static class SweepCurvePlot
{
    public static Figure? Create(string directory, string name, IReadOnlyList<StatRow> stats, string parameter, Metric metric)
    {
        var ofMetric = stats.Where(r => r.Metric == metric && r.Guest == "").ToList();
        var rows = ofMetric.Where(r => SweepValue.TryNumber(r.Point.ValueOf(parameter), out _)).ToList();
        // A parameter of words (aging, swap device) is drawn at evenly spaced categories, one tick per value.
        bool numeric = rows.Count > 0;
        if (!numeric) rows = ofMetric.Where(r => r.Point.ValueOf(parameter) != "").ToList();
        var lines = Lines(rows, parameter);
        if (lines.Count == 0) return null;
        rows = lines.SelectMany(l => l.Rows).ToList();
        var categories = numeric ? [] : rows.Select(r => r.Point.ValueOf(parameter)).Distinct().Order(StringComparer.Ordinal).ToList();
        var axis = AxisOf(parameter, rows.Select(r => SweepValue.TryNumber(r.Point.ValueOf(parameter), out double v) ? v : double.NaN));
        double At(StatRow r) => numeric ? X(r, parameter, axis) : categories.IndexOf(r.Point.ValueOf(parameter));
        string shownName = SweepPoint.DisplayName(parameter);
        var display = Report.MetricDisplay.For(metric, Report.MetricDisplay.Largest(rows.Select(r => r.Stats)));
        double k = display.Scale;
        string title = $"{display.Label} vs {shownName}";
        var plot = FigureStyle.New(title, shownName + (numeric ? axis.Unit : ""), display.Header);
        if (!numeric)
        {
            plot.Axes.Bottom.SetTicks(categories.Select((_, k) => (double)k).ToArray(), categories.ToArray());
            plot.Axes.SetLimitsX(-0.25, categories.Count - 0.75);
        }
        else
        {
            var swept = rows.Select(r => X(r, parameter, axis)).Distinct().Order().ToArray();
            if (swept.All(x => x == Math.Floor(x)))
            {
                // Ticks at the swept counts themselves while they fit, so no tick sits between two points.
                if (swept.Length <= 15) plot.Axes.Bottom.SetTicks(swept, swept.Select(x => x.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)).ToArray());
                else plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
            }
        }
        if (rows.All(r => !double.IsFinite(r.Stats.Mean) || r.Stats.Mean * k == Math.Floor(r.Stats.Mean * k)))
            plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        int i = 0;
        foreach (var line in lines)
        {
            // Categories are not a scale: their values are grouped points with error bars, side by side, never joined.
            double offset = numeric ? 0 : (i - (lines.Count - 1) / 2.0) * Math.Min(0.12, 0.6 / lines.Count);
            var pts = line.Rows.Select(r => (X: At(r) + offset, Stats: r.Stats)).OrderBy(p => p.X).ToList();
            var color = lines.Select(l => l.Platform).Distinct().Count() == lines.Count ? SeriesColors.ForPlatform(line.Platform, i) : SeriesColors.Nth(i);
            i++;
            var xs = pts.Select(p => p.X).ToArray();
            var withCi = pts.Where(p => double.IsFinite(p.Stats.CiLow)).ToList();
            if (!numeric)
            {
                foreach (var p in withCi)
                    plot.Add.Line(p.X, p.Stats.CiLow * k, p.X, p.Stats.CiHigh * k).Color = color;
            }
            else if (withCi.Count >= 2)
            {
                var band = plot.Add.FillY(withCi.Select(p => p.X).ToArray(), withCi.Select(p => p.Stats.CiLow * k).ToArray(), withCi.Select(p => p.Stats.CiHigh * k).ToArray());
                band.FillStyle.Color = color.WithAlpha(0.2);
                band.LineStyle.Width = 0;
            }
            var mean = plot.Add.ScatterLine(xs, pts.Select(p => p.Stats.Mean * k).ToArray(), color);
            mean.LineWidth = numeric ? 2.5f : 0;
            mean.MarkerSize = numeric ? 7 : 11;
            mean.LegendText = FigureStyle.LegendText(SeriesColors.PlatformLabel(line.Platform) + (line.Label.Length > 0 ? $", {line.Label}" : ""));
        }
        return FigureStyle.Save(plot, directory, name, title,
            $"Mean of {metric.Name} over replications at each value of {shownName}; " +
            (numeric ? "the shaded band" : "the bar through each point") + $" is the 95 % Student-t confidence interval. {metric.Description}." +
            (stats.Any(r => r.Point.Parameters.Count > 1)
                ? " Each line holds the other swept parameters fixed; its label names those that differ between lines, and points where no other point differs in this parameter alone are left out."
                : ""));
    }

    /// <summary>A line of the plot: one platform, the other swept parameters fixed, this parameter varying; labelled with the other parameters that tell it from the other lines.</summary>
    internal sealed record Line(string Platform, string Label, IReadOnlyList<StatRow> Rows);

    /// <summary>
    /// One line per platform and combination of the other swept parameters, so each line varies this parameter alone.
    /// A combination met at one value only (a zip sweep's point that changes several parameters at once) shows nothing
    /// about this parameter and is left out; the labels name only the other parameters whose values differ between the
    /// lines drawn, so a zip sweep of many parameters does not give every line a legend entry of all of them.
    /// </summary>
    internal static IReadOnlyList<Line> Lines(IReadOnlyList<StatRow> rows, string parameter)
    {
        var groups = rows.GroupBy(r => (r.Platform, Variant: r.Point.LabelWithout(parameter)))
            .Where(g => g.Select(r => r.Point.ValueOf(parameter)).Distinct().Count() >= 2)
            .OrderBy(g => g.Key.Platform)
            .ThenBy(g => g.First().Point.Parameters.Where(p => p != parameter).Select(p => g.First().Point.ValueOf(p)).ToList(), SweepValueComparer.Instance)
            .ToList();
        var others = groups.SelectMany(g => g.First().Point.Parameters).Where(p => p != parameter).Distinct()
            .Where(p => groups.Select(g => g.First().Point.ValueOf(p)).Distinct().Count() > 1).ToHashSet();
        return groups.Select(g => new Line(g.Key.Platform,
            string.Join(", ", g.First().Point.Parameters.Where(others.Contains).Select(p => SweepPoint.Assignment(p, g.First().Point.ValueOf(p)))),
            g.ToList())).ToList();
    }

    private static double X(StatRow r, string parameter, Axis axis) =>
        SweepValue.TryNumber(r.Point.ValueOf(parameter), out double v) ? v / axis.Divisor : double.NaN;

    /// <summary>The swept parameter's axis: its values (canonical: bytes, ns, bytes/s) divided into the unit that suits the largest.</summary>
    internal sealed record Axis(double Divisor, string Unit);

    internal static Axis AxisOf(string parameter, IEnumerable<double> values)
    {
        double top = values.Where(double.IsFinite).Select(Math.Abs).DefaultIfEmpty(0).Max();
        static Axis Pick(double top, (string Unit, double Divisor)[] units) =>
            units.Where(u => top >= u.Divisor).Select(u => new Axis(u.Divisor, $" ({u.Unit})")).FirstOrDefault() ?? new Axis(units[^1].Divisor, $" ({units[^1].Unit})");
        return Scenarios.Loading.SweepPaths.Find(SweepPoint.DisplayName(parameter))?.Kind switch
        {
            Scenarios.Language.ValueKind.Size => Pick(top, [("TiB", 1L << 40), ("GiB", 1L << 30), ("MiB", 1L << 20), ("KiB", 1L << 10), ("bytes", 1)]),
            Scenarios.Language.ValueKind.Duration => Pick(top, [("s", 1e9), ("ms", 1e6), ("µs", 1e3), ("ns", 1)]),
            Scenarios.Language.ValueKind.Bandwidth => Pick(top, [("GB/s", 1e9), ("MB/s", 1e6), ("KB/s", 1e3), ("bytes/s", 1)]),
            Scenarios.Language.ValueKind.Integer when parameter.EndsWith("count", StringComparison.Ordinal) || parameter.EndsWith("vcpus", StringComparison.Ordinal) => new Axis(1, " (count)"),
            _ => new Axis(1, ""),
        };
    }
}
