using HvSim.Analysis.Statistics;
using HvSim.Analysis.Tables;

namespace HvSim.Analysis.Report;

/// <summary>The numbers a reader decides from, first in the report: one row per platform (and sweep point).</summary>
public sealed record KeyNumbersRow(string Scenario, string Platform, SweepPoint Point, IReadOnlyDictionary<Metric, ReplicationStats> Values)
{
    public static readonly IReadOnlyList<Metric> Columns =
    [
        Metric.AdmittedGuests, Metric.Slowdown, Metric.FaultLatencyP99, Metric.MajorFaultRate, Metric.MajorFaultRatePerGuest,
        Metric.PagesSwappedOut, Metric.EffectiveAccessTime,
    ];

    public static List<KeyNumbersRow> From(IReadOnlyList<StatRow> stats) =>
        stats.Where(r => r.Guest == "" && Columns.Contains(r.Metric))
            .GroupBy(r => (r.Scenario, r.Platform, r.Point))
            .Select(g => new KeyNumbersRow(g.Key.Scenario, g.Key.Platform, g.Key.Point, g.ToDictionary(r => r.Metric, r => r.Stats)))
            .ToList();
}
