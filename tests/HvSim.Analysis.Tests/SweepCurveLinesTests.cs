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

    [Fact]
    public void LinesComeInTheOrderOfTheirValuesAndNameThemAsAScenarioWritesThem()
    {
        // capacity-study's grid: runs.csv keeps host.memory in bytes (16 GiB = 17179869184) and guests.count as numbers.
        string[] parameters = ["host.memory", "guests.count"];
        var rows = (from count in new[] { "2", "4", "6", "8", "10" }
                    from memory in new[] { "17179869184", "34359738368" }
                    select new StatRow("capacity", "power7", new SweepPoint([memory, count], parameters), "", Metric.StallFraction,
                        new ReplicationStats(2, int.Parse(count), 0.01, 0, 1))).ToList();
        // By host.memory, one line per count: 2 before 10 (as numbers, not as text).
        var byMemory = SweepCurvePlot.Lines(rows, "host.memory");
        Assert.Equal(["guests.count=2", "guests.count=4", "guests.count=6", "guests.count=8", "guests.count=10"], byMemory.Select(l => l.Label));
        // By count, one line per host size, named in GiB as the scenario writes it.
        Assert.Equal(["host.memory=16GiB", "host.memory=32GiB"], SweepCurvePlot.Lines(rows, "guests.count").Select(l => l.Label));
    }

    [Theory]
    [InlineData("host.memory", new[] { 17179869184.0, 34359738368.0 }, 1073741824.0, " (GiB)")] // 16 and 32 GiB
    [InlineData("guests.memory_max", new[] { 805306368.0, 1610612736.0 }, 1073741824.0, " (GiB)")] // 0.75 and 1.5 GiB
    [InlineData("host.page_size", new[] { 4096.0, 65536.0 }, 1024.0, " (KiB)")] // 4 and 64 KiB
    [InlineData("guests.workload.think", new[] { 20000.0, 50000.0 }, 1000.0, " (µs)")] // 20 and 50 us in ns
    [InlineData("host.page_cache.rate", new[] { 0.0, 100000000.0 }, 1e6, " (MB/s)")] // 0 and 100 MB/s in bytes/s
    [InlineData("guests.count", new[] { 2.0, 10.0 }, 1.0, " (count)")]
    [InlineData("host.swappiness", new[] { 10.0, 100.0 }, 1.0, "")]
    public void TheAxisShowsCanonicalValuesInTheUnitThatSuitsTheLargest(string parameter, double[] values, double divisor, string unit)
    {
        Assert.Equal(new SweepCurvePlot.Axis(divisor, unit), SweepCurvePlot.AxisOf(parameter, values));
    }

    [Theory]
    [InlineData("host.memory", "17179869184", "16GiB")]
    [InlineData("guests.memory_max", "1610612736", "1536MiB")] // exact: 1.5 GiB is 1536 MiB
    [InlineData("guests.memory_max", "auto", "auto")]
    [InlineData("host.page_cache.rate", "100000000", "100MB/s")]
    [InlineData("guests.workload.think", "50000", "50us")]
    [InlineData("host.swap.device", "zram", "zram")]
    [InlineData("host.swappiness", "60", "60")]
    [InlineData("not.a.key", "17179869184", "17179869184")]
    public void ASweptValueReadsAsTheScenarioWritesIt(string parameter, string canonical, string shown)
    {
        Assert.Equal(shown, SweepPoint.DisplayValue(parameter, canonical));
    }
}
