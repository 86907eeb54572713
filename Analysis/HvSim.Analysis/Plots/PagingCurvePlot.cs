using HvSim.Analysis.Results;
using HvSim.Analysis.Tables;
using ScottPlot;

namespace HvSim.Analysis.Plots;

/// <summary>Paging curve of one run: each guest's resident memory, host free memory and swap use over time, with the watermarks.</summary>
public static class PagingCurvePlot
{
    public static Figure? Create(string directory, string name, RunIdentity run, IReadOnlyList<TimeseriesRow> series, HostRow? host, double warmupS)
    {
        if (series.Count == 0) return null;
        var hostRows = series.Where(TimeseriesRows.IsHost).OrderBy(r => r.TimeS).ToList();
        var guests = series.Where(r => !TimeseriesRows.IsHost(r) && r.ResidentBytes.HasValue).GroupBy(r => r.Guest).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        double max = new[]
        {
            hostRows.Select(r => (double)(r.FreeBytes ?? 0)).DefaultIfEmpty(0).Max(),
            hostRows.Select(r => (double)(r.SwapUsedBytes ?? 0)).DefaultIfEmpty(0).Max(),
            guests.SelectMany(g => g).Select(r => (double)r.ResidentBytes!.Value).DefaultIfEmpty(0).Max(),
            host?.WatermarkHighBytes ?? 0,
        }.Max();
        var scale = ByteScale.For(max);
        string title = $"Paging curve: {run.Scenario}, {SeriesColors.PlatformLabel(run.Platform)}, replication {run.Replication}";
        var plot = FigureStyle.New(title, "Simulated time (s)", $"Memory ({scale.Unit})");

        int colour = 2;
        foreach (var g in guests)
        {
            var rows = g.OrderBy(r => r.TimeS).ToList();
            var line = plot.Add.ScatterLine(rows.Select(r => r.TimeS).ToArray(), rows.Select(r => r.ResidentBytes!.Value / scale.Divisor).ToArray(), SeriesColors.Nth(colour++));
            line.LegendText = $"{g.Key} resident";
            line.LineWidth = 2;
        }
        AddHostLine(plot, hostRows, r => r.FreeBytes, scale, "host free", Colors.Black);
        AddHostLine(plot, hostRows, r => r.SwapUsedBytes, scale, "swap used", Colors.DarkOrange);
        if (host is not null)
        {
            AddWatermark(plot, host.WatermarkMinBytes, scale, $"watermark min {Mib(host.WatermarkMinBytes)}", Colors.DimGray);
            AddWatermark(plot, host.WatermarkLowBytes, scale, $"watermark low {Mib(host.WatermarkLowBytes)}", Colors.DarkGray);
            AddWatermark(plot, host.WatermarkHighBytes, scale, $"watermark high {Mib(host.WatermarkHighBytes)}", Colors.Silver);
        }
        WarmupMarker.Add(plot, warmupS);
        plot.Axes.SetLimits(0, series.Max(r => r.TimeS), 0, max / scale.Divisor * 1.08);
        return FigureStyle.Save(plot, directory, name, title,
            "Resident memory of each guest, host free memory and swap use at the end of each sampling interval; grey lines are the host watermarks (min, low, high): kswapd wakes below low and reclaims to high, allocations below min reclaim directly.");
    }

    // Solid lines only: SkiaSharp's SVG canvas cannot draw dash patterns (it prints a warning and draws them solid).
    private static void AddHostLine(Plot plot, List<TimeseriesRow> rows, Func<TimeseriesRow, long?> value, ByteScale scale, string label, Color color)
    {
        var points = rows.Where(r => value(r).HasValue).ToList();
        if (points.Count == 0) return;
        var line = plot.Add.ScatterLine(points.Select(r => r.TimeS).ToArray(), points.Select(r => value(r)!.Value / scale.Divisor).ToArray(), color);
        line.LegendText = label;
        line.LineWidth = 2;
    }

    private static void AddWatermark(Plot plot, long bytes, ByteScale scale, string label, Color color)
    {
        var line = plot.Add.HorizontalLine(bytes / scale.Divisor, 1.5f, color);
        line.LegendText = label;
    }

    private static string Mib(long bytes) => $"{bytes / (double)(1L << 20):0.#} MiB";
}

/// <summary>Shades the warm-up interval, which statistics leave out.</summary>
internal static class WarmupMarker
{
    public static void Add(Plot plot, double warmupS)
    {
        if (warmupS <= 0) return;
        var span = plot.Add.HorizontalSpan(0, warmupS);
        span.FillStyle.Color = Colors.Gray.WithAlpha(0.12);
        span.LineStyle.Width = 0;
        span.LegendText = "warm-up (not in statistics)";
    }
}
