using HvSim.Analysis.Results;
using HvSim.Analysis.Tables;
using ScottPlot;

namespace HvSim.Analysis.Plots;

/// <summary>
/// The swap device over time from the host rows of timeseries.csv: requests queued for it (reads and writes) and the
/// bytes under writeback; none for folders written before those columns, or when the device was never used.
/// </summary>
public static class SwapDevicePlot
{
    public static Figure? Create(string directory, string name, ShownRun shown, IReadOnlyList<TimeseriesRow> series, double warmupS)
    {
        var rows = series.Where(r => TimeseriesRows.IsHost(r) && (r.SwapQueuedReads.HasValue || r.SwapQueuedWrites.HasValue || r.WritebackBytes.HasValue))
            .DistinctBy(r => r.TimeS).OrderBy(r => r.TimeS).ToList();
        if (rows.Count == 0) return null;
        var times = rows.Select(r => r.TimeS).ToArray();
        double[] Column(Func<TimeseriesRow, double?> c, double scale = 1) => rows.Select(r => c(r) * scale ?? double.NaN).ToArray();
        var reads = Column(r => r.SwapQueuedReads);
        var writes = Column(r => r.SwapQueuedWrites);
        var writeback = Column(r => r.WritebackBytes, 1.0 / (1 << 20));
        if (new[] { reads, writes, writeback }.All(s => s.All(v => !double.IsFinite(v) || v == 0))) return null;

        string title = $"Swap device: {shown.Label}";
        var plot = FigureStyle.New(title, "Simulated time (s)", "Requests queued");
        double top = 1;
        foreach (var (values, label, i) in new[] { (reads, "queued swap reads", 0), (writes, "queued swap writes", 1) })
        {
            if (values.All(v => !double.IsFinite(v))) continue;
            var line = plot.Add.ScatterLine(times, values, SeriesColors.Nth(i));
            line.LegendText = label;
            line.LineWidth = 2;
            line.MarkerSize = times.Length <= 60 ? 5 : 0;
            top = Math.Max(top, values.Where(double.IsFinite).DefaultIfEmpty(0).Max());
        }
        if (writeback.Any(double.IsFinite))
        {
            var line = plot.Add.ScatterLine(times, writeback, Colors.Black);
            line.LegendText = "under writeback (MiB, right axis)";
            line.LineWidth = 2;
            line.MarkerSize = 0;
            line.Axes.YAxis = plot.Axes.Right;
            plot.Axes.Right.Label.Text = "Under writeback (MiB)";
            plot.Axes.Right.Label.FontSize = 16;
            plot.Axes.Right.Label.FontName = plot.Axes.Left.Label.FontName;
            plot.Axes.Right.TickLabelStyle.FontName = plot.Axes.Left.TickLabelStyle.FontName;
            plot.Axes.SetLimitsY(0, Math.Max(1, writeback.Where(double.IsFinite).DefaultIfEmpty(0).Max()) * 1.1, plot.Axes.Right);
        }
        WarmupMarker.Add(plot, warmupS);
        plot.Axes.SetLimitsX(0, times[^1]);
        plot.Axes.SetLimitsY(0, top * 1.1, plot.Axes.Left);
        return FigureStyle.Save(plot, directory, name, title,
            "Swap requests waiting for the device at the end of each sampling interval (reads are swap-ins of faulting guests, writes are page-outs by reclaim) and the bytes under writeback (right axis). A queue that keeps growing means the device is saturated and fault latency is mostly queueing." + shown.Why);
    }
}
