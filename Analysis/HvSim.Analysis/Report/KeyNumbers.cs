using HvSim.Analysis.Statistics;
using HvSim.Analysis.Tables;

namespace HvSim.Analysis.Report;

/// <summary>The numbers a reader decides from, first in the report: one row per platform (and sweep point).</summary>
public sealed record KeyNumbersRow(string Scenario, string Platform, SweepPoint Point, IReadOnlyDictionary<Metric, ReplicationStats> Values)
{
    /// <summary>
    /// The key numbers, as the report's first table and the console print them: how many guests fit and how
    /// overcommitted the host is, how much work it gets done (and against PPC970), how much slower each guest runs, and why.
    /// </summary>
    public static readonly IReadOnlyList<Metric> Columns =
    [
        Metric.AdmittedGuests, Metric.OvercommitRatio, Metric.HostThroughput, Metric.WorkVsPpc970, Metric.StallFraction,
        Metric.SlowdownFactor, Metric.FaultLatencyP99, Metric.MajorFaultRatePerGuest, Metric.EffectiveAccessTime,
        Metric.SwapBusyFraction, Metric.SwapReadWaitP99,
    ];

    /// <summary>Busy more than this fraction of the measured time, the swap device is saturated.</summary>
    public const double SaturatedBusyFraction = 0.9;

    /// <summary>A p99 swap-read queue wait above this many device latencies means requests mostly wait for one another.</summary>
    public const double SaturatedWaitLatencies = 10;

    /// <summary>
    /// The plain-words notes of this row: a saturated swap device (mean busy fraction above 0.9, or mean p99 read wait
    /// above 10× the device's mean latency <paramref name="swapLatencyUs"/>) and faults still in flight at the end.
    /// </summary>
    public IEnumerable<string> Notes(double? swapLatencyUs)
    {
        double busy = Mean(Metric.SwapBusyFraction), wait = Mean(Metric.SwapReadWaitP99);
        bool busySaturated = busy > SaturatedBusyFraction;
        bool waitSaturated = swapLatencyUs is > 0 && wait > SaturatedWaitLatencies * swapLatencyUs.Value;
        if (busySaturated || waitSaturated)
        {
            var why = new List<string>();
            if (busySaturated) why.Add($"busy {HtmlReport.Num(busy * 100)} % of the measured time");
            if (waitSaturated) why.Add($"p99 read queue wait {MetricDisplay.Time(wait)}, over {SaturatedWaitLatencies:0}× the device latency of {MetricDisplay.Time(swapLatencyUs!.Value)}");
            yield return $"the swap device is saturated: fault latency is mostly queueing ({string.Join("; ", why)}).";
        }
        double inFlight = Mean(Metric.FaultsInFlightAtEnd);
        if (inFlight > 0)
        {
            double oldest = Mean(Metric.OldestFaultInFlight);
            string age = double.IsFinite(oldest) && oldest > 0 ? $", the oldest waiting {MetricDisplay.Time(oldest)}" : "";
            yield return $"{HtmlReport.Num(inFlight)} faults still in flight at the end (mean over replications{age}): stalls that are not in the fault-latency histogram.";
        }
    }

    private double Mean(Metric m) => Values.TryGetValue(m, out var s) && s.N > 0 ? s.Mean : double.NaN;

    private static readonly IReadOnlySet<Metric> Wanted = new HashSet<Metric>(Columns) { Metric.FaultsInFlightAtEnd, Metric.OldestFaultInFlight };

    public static List<KeyNumbersRow> From(IReadOnlyList<StatRow> stats) =>
        SweepPoint.InOrder(stats.Where(r => r.Guest == "" && Wanted.Contains(r.Metric))
            .GroupBy(r => (r.Scenario, r.Platform, r.Point))
            .Select(g => new KeyNumbersRow(g.Key.Scenario, g.Key.Platform, g.Key.Point, g.ToDictionary(r => r.Metric, r => r.Stats)))
            .OrderBy(r => r.Scenario, StringComparer.Ordinal).ThenBy(r => r.Platform, StringComparer.Ordinal), r => r.Point)
            .ToList();
}
