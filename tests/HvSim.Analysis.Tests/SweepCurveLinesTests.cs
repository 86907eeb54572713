using HvSim.Analysis.Plots;
using HvSim.Analysis.Statistics;
using HvSim.Analysis.Tables;

namespace HvSim.Analysis.Tests;

/// <summary>
/// Which lines a sweep plot draws and how they are labelled, on a zip sweep like levers.yaml's: several parameters
/// change at once, so most points tell nothing about one parameter alone.
/// </summary>
public class SweepCurveLinesTests
{
    private static readonly string[] Parameters = ["host.ksm", "host.swap.device", "host.swap.readahead"];

    // Five zip points, each row's mean its point number so a line's rows say which points it holds (ksm, device, readahead): plain swapping, KSM, zram (readahead 1), zram with KSM, and SSD at readahead 1.
    private static readonly string[][] Points =
    [
        ["false", "ssd", "8"], ["true", "ssd", "8"], ["false", "zram", "1"], ["true", "zram", "1"], ["false", "ssd", "1"],
    ];

    private static List<StatRow> Rows(int points = 5) => Points.Take(points).Select((v, i) => new StatRow("levers", "power7", new SweepPoint(v, Parameters), "",
        Metric.StallFraction, new ReplicationStats(2, i, 0.01, i - 0.02, i + 0.02))).ToList();

    [Fact]
    public void KsmLinesAreThePairsThatDifferInKsmAloneLabelledByWhatTellsThemApart()
    {
        var lines = SweepCurvePlot.Lines(Rows(), "host.ksm");
        // Points 0-1 (ssd, 8) and 2-3 (zram, 1) differ in ksm alone; point 4 (ssd, 1) has no partner and is left out.
        Assert.Equal(2, lines.Count);
        Assert.Equal(["host.swap.device=ssd, host.swap.readahead=8", "host.swap.device=zram, host.swap.readahead=1"], lines.Select(l => l.Label));
        Assert.Equal([0.0, 1.0], lines[0].Rows.Select(r => r.Stats.Mean));
        Assert.Equal([2.0, 3.0], lines[1].Rows.Select(r => r.Stats.Mean));
    }

    [Fact]
    public void ALineOfItsOwnNeedsNoLabel()
    {
        // Readahead alone changes only between points 0 (8) and 4 (1): one line, and nothing to tell it from another.
        var line = Assert.Single(SweepCurvePlot.Lines(Rows(), "host.swap.readahead"));
        Assert.Equal("", line.Label);
        Assert.Equal([0.0, 4.0], line.Rows.Select(r => r.Stats.Mean).Order());
    }

    [Fact]
    public void AParameterThatNeverChangesAloneGetsNoPlot()
    {
        // Without point 4 the device never changes without readahead changing too: no line, so no plot is written.
        var rows = Rows(points: 4);
        Assert.Empty(SweepCurvePlot.Lines(rows, "host.swap.device"));
        using var temp = new TempFolders();
        string dir = temp.New("hvsim-sweep-lines-");
        Assert.Null(SweepCurvePlot.Create(dir, "sweep_host_swap_device_stall_fraction", rows, "host.swap.device", Metric.StallFraction));
        Assert.Empty(Directory.GetFiles(dir));
    }
}
