using System.Globalization;
using HvSim.Analysis.Plots;
using ScottPlot;

namespace HvSim.Analysis.Planning;

/// <summary>
/// The levers side by side (plan_levers.csv): one bar per lever and platform, its length the most guests under the
/// SLO, labelled with its ratios to pinned PPC970 and to POWER7 swapping; the two baselines (the scenario as it is,
/// pinned on PPC970 and swapping on POWER7) are drawn as lines. A lever a platform refuses has no bar, only the word.
/// </summary>
public static class PlanLeverPlot
{
    public static Figure? Create(string directory, PlanTables plan)
    {
        var rows = plan.Levers;
        if (rows.Count == 0) return null;
        const string title = "Capacity plan: most guests under the SLO, per lever";
        var plot = FigureStyle.New(title, "Guests meeting the SLO (count)", "");
        double most = Math.Max(1, rows.Max(r => r.MaxGuests ?? 0));
        // The first row at the top, as in plan_levers.csv and the report's table.
        double Y(int i) => rows.Count - 1 - i;
        foreach (var platform in rows.Select(r => r.Platform).Distinct())
        {
            var bars = rows.Select((r, i) => (r, i)).Where(b => b.r.Platform == platform && b.r.MaxGuests is not null)
                .Select(b => new Bar { Position = Y(b.i), Value = b.r.MaxGuests!.Value, FillColor = SeriesColors.ForPlatform(platform, 2), LineWidth = 0, Size = 0.7 }).ToList();
            if (bars.Count == 0) continue;
            var drawn = plot.Add.Bars(bars);
            drawn.Horizontal = true;
            drawn.LegendText = SeriesColors.PlatformLabel(platform);
        }
        for (int i = 0; i < rows.Count; i++)
        {
            var r = rows[i];
            string label = r.MaxGuests is { } n
                ? n.ToString(CultureInfo.InvariantCulture) + (r.SearchCapReached == true ? "+" : "")
                  + (r.RatioVsPinned is { } x ? $"  ({x.ToString("0.00", CultureInfo.InvariantCulture)}× pinned" + (r.RatioVsSwapping is { } y ? $", {y.ToString("0.00", CultureInfo.InvariantCulture)}× swapping)" : ")") : "")
                : "refused";
            var text = plot.Add.Text(label, (r.MaxGuests ?? 0) + most * 0.01, Y(i));
            text.LabelFontSize = 12;
            text.LabelAlignment = Alignment.MiddleLeft;
            text.LabelFontName = PlotFonts.Family;
        }
        AddBaseline(plot, rows, "ppc970", "pinned PPC970", LinePattern.Dashed);
        AddBaseline(plot, rows, "power7", "POWER7 swapping", LinePattern.Dotted);
        var labels = rows.Select(r => $"{r.Lever} ({(r.Platform == "power7" ? "P7" : r.Platform == "ppc970" ? "970" : r.Platform)})").ToArray();
        plot.Axes.Left.SetTicks(Enumerable.Range(0, rows.Count).Select(i => Y(i)).ToArray(), labels);
        plot.Axes.Left.TickLabelStyle.FontSize = rows.Count > 16 ? 11 : 14;
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        plot.Axes.SetLimitsY(-0.6, rows.Count - 0.4);
        // Room on the right for the longest label.
        plot.Axes.SetLimitsX(0, most * 1.8);
        return FigureStyle.Save(plot, directory, "plan_levers", title,
            "Each bar is the most guests that meet every SLO bound with the lever set, on POWER7 (P7, pageable) or PPC970 (970, pinned), " +
            "and that count over pinned PPC970's and over plain POWER7 swapping's (the scenario as it is, lever none; pinned: every page pinned, a guest that does not fit refused). " +
            "The dashed line is pinned PPC970's count, the dotted one plain POWER7 swapping's. '+': the search cap max_guests was reached, more may fit. " +
            "'refused': the platform does not have the lever (plan_levers.csv says why).");
    }

    private static void AddBaseline(Plot plot, IReadOnlyList<PlanLeverRow> rows, string platform, string name, LinePattern pattern)
    {
        if (rows.FirstOrDefault(r => r.Lever == HvSim.Scenarios.Planning.PlanKeys.Baseline && r.Platform == platform) is not { MaxGuests: { } n }) return;
        var line = plot.Add.VerticalLine(n, 2, SeriesColors.ForPlatform(platform, 2), pattern);
        line.LegendText = $"{name}: {n}";
    }
}
