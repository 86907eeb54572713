using HvSim.Analysis.Statistics;
using HvSim.Analysis.Results;
using HvSim.Analysis.Tables;
using ScottPlot;

namespace HvSim.Analysis.Plots;

/// <summary>Paging curve of one run: each guest's resident memory and the host's swap use and swap cache over time.</summary>
public static class PagingCurvePlot
{
    // Solid lines only (SkiaSharp's SVG canvas cannot draw dash patterns), so guests whose lines coincide are told
    // apart by marker shape.
    private static readonly MarkerShape[] GuestMarkers =
    [
        MarkerShape.FilledCircle, MarkerShape.OpenSquare, MarkerShape.FilledTriangleUp, MarkerShape.OpenDiamond,
        MarkerShape.Cross, MarkerShape.OpenTriangleDown, MarkerShape.FilledSquare, MarkerShape.Eks,
    ];

    public static Figure? Create(string directory, string name, ShownRun shown, IReadOnlyList<TimeseriesRow> series, HostRow? host, double warmupS)
    {
        var hostRows = series.Where(TimeseriesRows.IsHost).OrderBy(r => r.TimeS).ToList();
        var guests = series.Where(r => !TimeseriesRows.IsHost(r) && r.ResidentBytes.HasValue).GroupBy(r => r.Guest).OrderBy(g => g.Key, GuestNameComparer.Instance).ToList();
        if (guests.Count == 0) return null;
        double max = new[]
        {
            hostRows.Select(r => (double)(r.SwapUsedBytes ?? 0)).DefaultIfEmpty(0).Max(),
            hostRows.Select(r => (double)(r.SwapCacheBytes ?? 0)).DefaultIfEmpty(0).Max(),
            guests.SelectMany(g => g).Select(r => (double)r.ResidentBytes!.Value).DefaultIfEmpty(0).Max(),
        }.Max();
        var scale = ByteScale.For(max);
        string title = $"Paging curve: {shown.Label}";
        var plot = FigureStyle.New(title, "Simulated time (s)", $"Memory ({scale.Unit})");

        if (guests.Count > MaxGuestLines) AddGuestBand(plot, guests, scale);
        else AddGuestLines(plot, guests, scale);
        AddHostLine(plot, hostRows, r => r.SwapUsedBytes, scale, "swap used (host)", Colors.DarkOrange);
        AddHostLine(plot, hostRows, r => r.SwapCacheBytes, scale, "swap cache (host)", Colors.Gray);
        string overlap = guests.Count > MaxGuestLines ? "" : OverlapNote(guests, scale, warmupS, max);
        if (overlap.Length > 0)
        {
            // A legend entry without a line: says why fewer guest lines are visible than the legend lists.
            var note = plot.Add.ScatterLine(Array.Empty<double>(), Array.Empty<double>(), Colors.Transparent);
            note.LegendText = overlap;
        }
        WarmupMarker.Add(plot, warmupS);
        plot.Axes.SetLimits(0, series.Max(r => r.TimeS), 0, Math.Max(max, 1) / scale.Divisor * 1.08);
        return FigureStyle.Save(plot, directory, name, title,
            "Resident memory of each guest, the host's swap use and swap cache (pages on their way to or from swap) at the end of each sampling interval (host free memory and the watermarks are in the host memory plot)." +
            (guests.Count > MaxGuestLines ? $" With {guests.Count} guests, one band shows the least and most resident guest at each time and a line their mean." : "") + shown.Why);
    }

    /// <summary>More guests than this get one band (least to most resident) and a mean line instead of a line each: a legend of 32 lines does not fit.</summary>
    public const int MaxGuestLines = 12;

    private static void AddGuestBand(Plot plot, List<IGrouping<string, TimeseriesRow>> guests, ByteScale scale)
    {
        var byTime = guests.SelectMany(g => g).GroupBy(r => r.TimeS).OrderBy(t => t.Key).ToList();
        var xs = byTime.Select(t => t.Key).ToArray();
        var color = SeriesColors.Nth(2);
        var band = plot.Add.FillY(xs, byTime.Select(t => t.Min(r => r.ResidentBytes!.Value) / scale.Divisor).ToArray(),
            byTime.Select(t => t.Max(r => r.ResidentBytes!.Value) / scale.Divisor).ToArray());
        band.FillStyle.Color = color.WithAlpha(0.25);
        band.LineStyle.Width = 0;
        band.LegendText = $"{guests.Count} guests resident: least to most";
        var mean = plot.Add.ScatterLine(xs, byTime.Select(t => t.Average(r => (double)r.ResidentBytes!.Value) / scale.Divisor).ToArray(), color);
        mean.LineWidth = 2;
        mean.LegendText = "mean guest resident";
    }

    private static void AddGuestLines(Plot plot, List<IGrouping<string, TimeseriesRow>> guests, ByteScale scale)
    {
        int colour = 2;
        int samples = guests.Max(g => g.Count());
        // Markers on every n-th sample, staggered per guest, so each guest stays visible where the lines coincide.
        int stride = Math.Max(guests.Count, samples / 15);
        foreach (var (g, i) in guests.Select((g, i) => (g, i)))
        {
            var rows = g.OrderBy(r => r.TimeS).ToList();
            var color = SeriesColors.Nth(colour++);
            var xs = rows.Select(r => r.TimeS).ToArray();
            var ys = rows.Select(r => r.ResidentBytes!.Value / scale.Divisor).ToArray();
            plot.Add.ScatterLine(xs, ys, color).LineWidth = 2;
            var marked = Enumerable.Range(0, xs.Length).Where(k => k % stride == i % stride).ToArray();
            var markers = plot.Add.Markers(marked.Select(k => xs[k]).ToArray(), marked.Select(k => ys[k]).ToArray(), GuestMarkers[i % GuestMarkers.Length], 9, color);
            markers.LegendText = $"{g.Key} resident";
        }
    }

    private static void AddHostLine(Plot plot, List<TimeseriesRow> rows, Func<TimeseriesRow, long?> value, ByteScale scale, string label, Color color)
    {
        var points = rows.Where(r => value(r).HasValue).ToList();
        if (points.Count == 0 || points.All(r => value(r) == 0)) return;
        var line = plot.Add.ScatterLine(points.Select(r => r.TimeS).ToArray(), points.Select(r => value(r)!.Value / scale.Divisor).ToArray(), color);
        line.LegendText = label;
        line.LineWidth = 2;
    }

    /// <summary>
    /// "lines overlap" when after the warm-up every guest's sample lies within 2 % of the plot's height of the others',
    /// "lines coincide" when they are equal (pinned guests); the spread in MiB when the plot's unit would round it to 0.
    /// </summary>
    internal static string OverlapNote(List<IGrouping<string, TimeseriesRow>> guests, ByteScale scale, double warmupS, double axisTop)
    {
        if (guests.Count < 2) return "";
        var samples = guests.SelectMany(g => g).Where(r => r.TimeS > warmupS).ToList();
        if (samples.Count == 0) samples = guests.SelectMany(g => g).ToList();
        double spread = samples.GroupBy(r => r.TimeS)
            .Select(t => t.Max(r => r.ResidentBytes!.Value) - t.Min(r => r.ResidentBytes!.Value)).DefaultIfEmpty(0).Max();
        if (!(axisTop > 0 && spread <= 0.02 * axisTop)) return "";
        string lines = $"{(guests.Count == 2 ? "both" : $"all {guests.Count}")} guest lines";
        if (spread == 0) return lines + " coincide";
        var unit = Math.Round(spread / scale.Divisor, 2) > 0 ? scale : ByteScale.For(0);
        return $"{lines} overlap (within {Math.Max(spread / unit.Divisor, 0.01):0.##} {unit.Unit})";
    }
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
