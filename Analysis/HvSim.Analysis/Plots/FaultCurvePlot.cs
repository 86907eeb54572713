using HvSim.Analysis.Results;
using HvSim.Analysis.Tables;
using ScottPlot;

namespace HvSim.Analysis.Plots;

/// <summary>Rates over time of one run, summed over guests: HDSI/minor/major faults, and notifier unmaps/tlbies; none when all are zero.</summary>
public static class FaultCurvePlot
{
    public static Figure? Faults(string directory, string name, ShownRun shown, IReadOnlyList<TimeseriesRow> series, double warmupS) =>
        Create(directory, name, shown, series, warmupS, "Fault rates",
            [("HDSI faults", r => r.HdsiFaults), ("minor faults", r => r.MinorFaults), ("major faults", r => r.MajorFaults)],
            "Faults per second of simulated time in each sampling interval, summed over guests: HDSI (absent HPTE), of which minor (page still in memory or swap cache) and major (swap-in I/O). The y axis fits the measured part; first-touch faults in the shaded warm-up may run off the top.");

    public static Figure? Notifier(string directory, string name, ShownRun shown, IReadOnlyList<TimeseriesRow> series, double warmupS) =>
        Create(directory, name, shown, series, warmupS, "MMU notifier activity",
            [("kvm_unmap_hva calls", r => r.UnmapHvaCalls), ("tlbies", r => r.Tlbies)],
            "kvm_unmap_hva calls (host reclaim making guest HPTEs absent) and tlbie sequences per second of simulated time, summed over guests. " +
            "A tlbie follows every valid HPTE invalidated or changed: by kvm_unmap_hva, by kvm_age_hva clearing an R bit, by the guest's own H_REMOVE " +
            "when an H_ENTER finds its PTEG full (pinned PPC970 guests have only these), and by a fault that makes a read-only HPTE writable.");

    private static Figure? Create(string directory, string name, ShownRun shown, IReadOnlyList<TimeseriesRow> series, double warmupS,
        string what, (string Label, Func<TimeseriesRow, long?> Count)[] counters, string caption)
    {
        var byTime = series.Where(r => !TimeseriesRows.IsHost(r)).GroupBy(r => r.TimeS).OrderBy(g => g.Key).ToList();
        if (byTime.Count == 0) return null;
        var times = byTime.Select(g => g.Key).ToArray();
        // Counts are per interval: divide by the interval's length (the first one starts at time 0).
        var lengths = times.Select((t, i) => t - (i == 0 ? 0 : times[i - 1])).ToArray();
        string title = $"{what}: {shown.Label}";
        // rates[time][counter]
        var rates = byTime.Select((g, i) => counters.Select(c => lengths[i] > 0 ? g.Sum(r => c.Count(r) ?? 0) / lengths[i] : 0).ToArray()).ToArray();
        // A flat zero line says nothing (pinned PPC970 guests take no HDSI faults and get no notifier calls): the report says so instead.
        if (rates.All(r => r.All(v => v == 0))) return null;
        var plot = FigureStyle.New(title, "Simulated time (s)", "Rate (events/s)");
        for (int c = 0; c < counters.Length; c++)
        {
            var line = plot.Add.ScatterLine(times, rates.Select(r => r[c]).ToArray(), SeriesColors.Nth(c));
            string label = counters[c].Label;
            line.LegendText = label;
            line.LineWidth = 2;
            line.MarkerSize = times.Length <= 60 ? 5 : 0;
        }
        WarmupMarker.Add(plot, warmupS);
        plot.Axes.SetLimitsX(0, times[^1]);
        // Scale to the measured part: first-touch faults of the warm-up would otherwise flatten the steady state.
        double top = rates.Where((_, i) => times[i] > warmupS || times[^1] <= warmupS).SelectMany(r => r).DefaultIfEmpty(0).Max();
        plot.Axes.SetLimitsY(0, Math.Max(1, top * 1.1));
        return FigureStyle.Save(plot, directory, name, title, caption + shown.Why);
    }
}
