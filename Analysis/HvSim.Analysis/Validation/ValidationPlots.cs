using System.Globalization;
using HvSim.Analysis.Plots;
using ScottPlot;

namespace HvSim.Analysis.Validation;

/// <summary>Real kernel (solid) against HvSim (dashed) per pattern, against the cgroup limit as a share of the footprint.</summary>
public static class ValidationPlots
{
    private static readonly (string Name, string Label, Func<ComparisonRow, double?> Real, Func<ComparisonRow, double?> Hvsim)[] Metrics =
    [
        ("major_faults_per_access", "major faults per access", r => r.RealMajorPerAccess, r => r.HvsimMajorPerAccess),
        ("swapouts_per_access", "swap-outs per access", r => r.RealSwapoutsPerAccess, r => r.HvsimSwapoutsPerAccess),
        ("stall_per_access", "stall per access (us)", r => r.RealStallUsPerAccess, r => r.HvsimStallUsPerAccess),
    ];

    public static List<Figure> Write(string directory, IReadOnlyList<ComparisonRow> rows)
    {
        var figures = new List<Figure>();
        foreach (var warmup in rows.Where(r => r.Runner == "process").Select(r => r.Turnovers).Distinct().Order())
            foreach (var (name, label, real, hvsim) in Metrics)
            {
                var at = rows.Where(r => r.Runner == "process" && r.Turnovers == warmup).ToList();
                string turnovers = warmup.ToString(CultureInfo.InvariantCulture);
                string title = $"{label}: real kernel vs HvSim, warm-up {turnovers} turnovers";
                var plot = FigureStyle.New(title, "cgroup limit / footprint", label);
                int i = 0;
                foreach (var pattern in at.GroupBy(r => r.Pattern).OrderBy(g => g.Key, StringComparer.Ordinal))
                {
                    var color = SeriesColors.Nth(i++);
                    var points = pattern.OrderBy(r => r.Ratio).ToList();
                    Add(plot, points, real, color, $"{pattern.Key} real", LinePattern.Solid, MarkerShape.FilledCircle);
                    Add(plot, points, hvsim, color, $"{pattern.Key} HvSim", LinePattern.Dashed, MarkerShape.OpenSquare);
                }
                plot.Axes.AutoScale();
                plot.Axes.SetLimitsY(0, Math.Max(1e-9, plot.Axes.GetLimits().Top * 1.05));
                figures.Add(FigureStyle.Save(plot, directory, $"{name}_t{turnovers}", title,
                    $"Solid: the real kernel (validation/run.sh); dashed: HvSim over the same access window. Warm-up of {turnovers} cache turnovers of faults."));
            }
        return figures;
    }

    private static void Add(Plot plot, List<ComparisonRow> points, Func<ComparisonRow, double?> value, Color color, string legend, LinePattern pattern, MarkerShape marker)
    {
        var shown = points.Where(p => value(p) is not null).ToList();
        if (shown.Count == 0) return;
        var line = plot.Add.ScatterLine(shown.Select(p => p.Ratio).ToArray(), shown.Select(p => value(p)!.Value).ToArray(), color);
        line.LinePattern = pattern;
        line.LineWidth = 2;
        line.MarkerShape = marker;
        line.MarkerSize = 8;
        line.LegendText = legend;
    }
}
