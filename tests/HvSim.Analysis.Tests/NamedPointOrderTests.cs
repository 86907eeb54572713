using HvSim.Analysis.Report;
using HvSim.Analysis.Statistics;
using HvSim.Analysis.Tables;

namespace HvSim.Analysis.Tests;

/// <summary>
/// The key numbers list named points (a sweep's `labels:`) in the order the scenario lists them, unnamed points by
/// their values (docs/analysis.md).
/// </summary>
public class NamedPointOrderTests
{
    // Three zip points whose sweep order (KSM, none, zram) is not their value order (host.ksm=false < true).
    private static readonly string[] Parameters = ["host.ksm", "host.swap.device"];
    private static readonly (string[] Values, string Label)[] Points = [(["true", "ssd"], "KSM"), (["false", "ssd"], "none"), (["false", "zram"], "zram")];

    // As stats.csv holds them: sorted by their values.
    private static List<StatRow> Rows(bool named) => Points.Select((p, i) => new StatRow("levers", "power7",
            new SweepPoint(p.Values, Parameters, named ? p.Label : "", i), "", Metric.StallFraction, new ReplicationStats(1, i, 0, i, i)))
        .OrderBy(r => r.Point.Values, SweepValueComparer.Instance).ToList();

    [Fact]
    public void NamedPointsKeepTheSweepsOrderAndUnnamedOnesTheirValues()
    {
        Assert.Equal(["KSM", "none", "zram"], KeyNumbersRow.From(Rows(named: true)).Select(r => r.Point.ToString()));
        Assert.Equal(["host.ksm=false, host.swap.device=ssd", "host.ksm=false, host.swap.device=zram", "host.ksm=true, host.swap.device=ssd"],
            KeyNumbersRow.From(Rows(named: false)).Select(r => r.Point.ToString()));
    }
}
