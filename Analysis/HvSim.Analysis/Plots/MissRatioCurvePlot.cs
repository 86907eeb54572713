using HvSim.Analysis.Tables;

namespace HvSim.Analysis.Plots;

/// <summary>Miss-ratio curve from mrc.csv (`hvsim mrc`): miss ratio against cache capacity in pages.</summary>
public static class MissRatioCurvePlot
{
    /// <param name="trace">The trace the curve is of, for the title.</param>
    public static Figure? Create(string directory, string name, IReadOnlyList<MrcRecord> points, string trace)
    {
        if (points.Count == 0) return null;
        var sorted = points.OrderBy(p => p.Capacity).ToList();
        string title = $"LRU miss-ratio curve: {trace}";
        var plot = FigureStyle.New(title, "Capacity (pages)", "Miss ratio (misses / accesses)");
        var line = plot.Add.ScatterLine(sorted.Select(p => (double)p.Capacity).ToArray(), sorted.Select(p => p.MissRatio).ToArray(), SeriesColors.Nth(0));
        line.LineWidth = 2.5f;
        line.MarkerSize = sorted.Count <= 60 ? 6 : 0;
        plot.Axes.SetLimitsY(0, Math.Max(1.0, sorted.Max(p => p.MissRatio)) * 1.02);
        return FigureStyle.Save(plot, directory, name, title,
            "Fraction of accesses that miss in a memory of the given size (pages): the guest's demand curve, read by the planner as a pre-estimate.");
    }
}
