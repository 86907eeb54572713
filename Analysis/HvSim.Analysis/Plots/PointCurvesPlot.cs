using HvSim.Analysis.Results;
using HvSim.Analysis.Tables;
using ScottPlot;

namespace HvSim.Analysis.Plots;

/// <summary>
/// A sweep's time series side by side: one line per sweep point (its lowest replication) of one platform, so paging at
/// every point can be compared, not only at the point the per-run plots show.
/// </summary>
public static class PointCurvesPlot
{
    /// <summary>More lines than this would be unreadable; the per-point numbers are in stats.csv and the sweep plots.</summary>
    public const int MaxPoints = 10;

    public static Figure? MajorFaults(string directory, string name, string scenario, string platform,
        IReadOnlyList<(SweepPoint Point, IReadOnlyList<TimeseriesRow> Series)> points, double warmupS)
    {
        if (points.Count < 2 || points.Count > MaxPoints) return null;
        var rates = points.Select(p => (p.Point, Rates: MajorFaultRates(p.Series))).Where(p => p.Rates.Times.Length > 0).ToList();
        if (rates.All(p => p.Rates.Values.All(v => v == 0))) return null;
        string title = $"Major faults by sweep point: {scenario}, {SeriesColors.PlatformLabel(platform)}";
        var plot = FigureStyle.New(title, "Simulated time (s)", "Major faults/s (all guests)");
        int i = 0;
        foreach (var (point, (times, values)) in rates)
        {
            var line = plot.Add.ScatterLine(times, values, SeriesColors.Nth(i++));
            line.LegendText = point.ToString();
            line.LineWidth = 2;
            line.MarkerSize = times.Length <= 60 ? 5 : 0;
        }
        WarmupMarker.Add(plot, warmupS);
        double end = rates.Max(p => p.Rates.Times[^1]);
        double top = rates.SelectMany(p => p.Rates.Times.Zip(p.Rates.Values)).Where(t => t.First > warmupS || end <= warmupS).Select(t => t.Second).DefaultIfEmpty(0).Max();
        plot.Axes.SetLimits(0, end, 0, Math.Max(1, top * 1.1));
        return FigureStyle.Save(plot, directory, name, title,
            "Major faults (swap-in I/O) per second of simulated time, summed over guests, one line per sweep point (its lowest replication): where in the sweep paging starts and how it grows. The y axis fits the measured part.");
    }

    private static (double[] Times, double[] Values) MajorFaultRates(IReadOnlyList<TimeseriesRow> series)
    {
        var byTime = series.Where(r => !TimeseriesRows.IsHost(r)).GroupBy(r => r.TimeS).OrderBy(g => g.Key).ToList();
        var times = byTime.Select(g => g.Key).ToArray();
        // Counts are per interval: divide by the interval's length (the first one starts at time 0).
        var values = byTime.Select((g, i) =>
        {
            double length = times[i] - (i == 0 ? 0 : times[i - 1]);
            return length > 0 ? g.Sum(r => r.MajorFaults ?? 0) / length : 0;
        }).ToArray();
        return (times, values);
    }
}
