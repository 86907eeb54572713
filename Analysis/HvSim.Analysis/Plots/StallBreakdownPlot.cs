using HvSim.Analysis.Statistics;
using ScottPlot;

namespace HvSim.Analysis.Plots;

/// <summary>
/// Why each guest is slow: its stalled share of vCPU time stacked by cause (swap queue, swap service, direct reclaim,
/// exits and tlbies, sibling, other; means over replications), one bar per guest and platform. With more bars than fit
/// (sweeps, many guests) one bar per platform and sweep point, for its guests together.
/// </summary>
public static class StallBreakdownPlot
{
    public const int MaxBars = 40;

    /// <summary>At most this much of the figure's height (px) goes to slanted bar names; a longer one is cut.</summary>
    private const float MaxLabelRoom = 220;

    public static Figure? Create(string directory, string name, IReadOnlyList<StatRow> stats)
    {
        var parts = Metric.StallParts.Select(p => p.Metric).ToHashSet();
        var rows = stats.Where(r => parts.Contains(r.Metric)).ToList();
        var perGuest = rows.Where(r => r.Guest != "").GroupBy(r => (r.Scenario, r.Platform, r.Point, r.Guest)).ToList();
        bool guests = perGuest.Count is > 0 and <= MaxBars && rows.Select(r => r.Point).Distinct().Count() == 1;
        var bars = Tables.SweepPoint.InOrder((guests ? perGuest : rows.Where(r => r.Guest == "").GroupBy(r => (r.Scenario, r.Platform, r.Point, r.Guest)).ToList())
            .OrderBy(g => g.Key.Scenario, StringComparer.Ordinal).ThenBy(g => g.Key.Platform, StringComparer.Ordinal), g => g.Key.Point)
            .ThenBy(g => g.Key.Guest, GuestNameComparer.Instance)
            .Take(MaxBars).ToList();
        if (bars.Count == 0 || bars.All(b => b.Sum(r => r.Stats.Mean) <= 0)) return null;
        string title = guests ? "Where each guest's stalled time goes" : "Where the guests' stalled time goes";
        var plot = FigureStyle.New(title, "", "share of vCPU time stalled (%)");
        var labels = bars.Select(b => (b.Key.Platform == "power7" ? "P7 " : b.Key.Platform == "ppc970" ? "970 " : b.Key.Platform + " ")
            + (guests ? b.Key.Guest : b.Key.Point.Parameters.Count > 0 ? b.Key.Point.ToString() : "all guests")).ToArray();
        int k = 0;
        var bottoms = new double[bars.Count];
        foreach (var (metric, _) in Metric.StallParts)
        {
            var color = SeriesColors.Nth(k++);
            var drawn = new List<Bar>();
            for (int i = 0; i < bars.Count; i++)
            {
                double share = (bars[i].FirstOrDefault(r => r.Metric == metric)?.Stats.Mean ?? 0) * 100;
                if (!double.IsFinite(share) || share <= 0) continue;
                drawn.Add(new Bar { Position = i, ValueBase = bottoms[i], Value = bottoms[i] + share, FillColor = color, LineWidth = 0 });
                bottoms[i] += share;
            }
            if (drawn.Count == 0) continue;
            var plottable = plot.Add.Bars(drawn);
            plottable.LegendText = metric.Label;
        }
        plot.Axes.Bottom.SetTicks(Enumerable.Range(0, bars.Count).Select(i => (double)i).ToArray(), labels);
        if (bars.Count > 12)
        {
            plot.Axes.Bottom.TickLabelStyle.Rotation = -45;
            plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleRight;
            // The layout measures a tick label as if it were level: leave room for the slanted ones (about 7 px a
            // character at 45°), or the longer names of sweep points run off the bottom of the image.
            plot.Axes.Bottom.MinimumSize = Math.Min(MaxLabelRoom, 20 + 7 * 0.71f * labels.Max(l => l.Length));
        }
        plot.Axes.SetLimitsX(-0.6, bars.Count - 0.4);
        plot.Axes.SetLimitsY(0, Math.Max(1, bottoms.Max()) * 1.08);
        return FigureStyle.Save(plot, directory, name, title,
            "Each bar is a guest's stall fraction (mean over replications), split by where the time went: waiting for a swap read " +
            "in the device queue or in service, direct reclaim in the fault path, guest exits, hcalls and tlbies, waiting for a " +
            "sibling thread's fault in the same vcore, and the rest of the fault path. summary.csv has the seconds (stall_*_s). " +
            "P7 = POWER7 (pageable), 970 = PPC970 (pinned).");
    }
}
