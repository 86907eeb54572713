using HvSim.Analysis.Results;
using HvSim.Analysis.Tables;
using ScottPlot;

namespace HvSim.Analysis.Plots;

/// <summary>Host free memory against the watermarks, in MiB: on a guest-sized axis they would sit on the floor.</summary>
public static class HostMemoryPlot
{
    public static Figure? Create(string directory, string name, ShownRun shown, IReadOnlyList<TimeseriesRow> series, HostRow? host, double warmupS)
    {
        var free = series.Where(r => TimeseriesRows.IsHost(r) && r.FreeBytes.HasValue).OrderBy(r => r.TimeS).ToList();
        if (free.Count == 0) return null;
        const double mib = 1 << 20;
        string title = $"Host free memory: {shown.Label}";
        var plot = FigureStyle.New(title, "Simulated time (s)", "Memory (MiB)");
        var line = plot.Add.ScatterLine(free.Select(r => r.TimeS).ToArray(), free.Select(r => r.FreeBytes!.Value / mib).ToArray(), Colors.Black);
        line.LegendText = "host free";
        line.LineWidth = 2;
        double high = 0;
        if (host is not null)
        {
            AddWatermark(plot, host.WatermarkMinBytes, $"watermark min {Mib(host.WatermarkMinBytes)}", Colors.Red);
            AddWatermark(plot, host.WatermarkLowBytes, $"watermark low {Mib(host.WatermarkLowBytes)}", Colors.DarkOrange);
            AddWatermark(plot, host.WatermarkHighBytes, $"watermark high {Mib(host.WatermarkHighBytes)}", Colors.Green);
            high = host.WatermarkHighBytes;
        }
        WarmupMarker.Add(plot, warmupS);
        // Fit the measured part (free memory at start-up is the whole host) but always show the watermarks.
        var measured = free.Where(r => r.TimeS > warmupS).DefaultIfEmpty(free[^1]);
        double top = Math.Max(measured.Max(r => (double)r.FreeBytes!.Value), high * 1.5);
        plot.Axes.SetLimits(0, series.Max(r => r.TimeS), 0, Math.Max(top, mib) / mib * 1.1);
        return FigureStyle.Save(plot, directory, name, title,
            "Host free memory at the end of each sampling interval against the watermarks: kswapd wakes below low and reclaims to high, allocations below min reclaim directly. The y axis fits the measured part; free memory during the shaded warm-up may run off the top." + shown.Why);
    }

    private static void AddWatermark(Plot plot, long bytes, string label, Color color)
    {
        var line = plot.Add.HorizontalLine(bytes / (double)(1 << 20), 1.5f, color);
        line.LegendText = label;
    }

    private static string Mib(long bytes) => $"{bytes / (double)(1L << 20):0.#} MiB";
}
