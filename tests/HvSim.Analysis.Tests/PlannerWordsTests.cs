using HvSim.Analysis.Results;
using HvSim.Analysis.Statistics;
using HvSim.Analysis.Tables;
using HvSim.Model.Config;
using HvSim.Model.Results;

namespace HvSim.Analysis.Tests;

/// <summary>The numbers a capacity planner reads: the measured window, one percentile definition, work and slowdown.</summary>
public class PlannerWordsTests
{
    [Fact]
    public void WarnsWhenHostReclaimFirstStartsAfterTheWarmUp()
    {
        // swap-hdd-vs-ssd as shipped before: 20 s, 2 s warm-up, paging from 12 s: 10 of the 18 measured seconds (56 %)
        // had no reclaim. The second replication starts reclaim at 5 s (3 s of 18, 17 %): the warning quotes the worst.
        using var fx = new ResultsFixture();
        fx.Guest("power7", 1, "a").Guest("power7", 2, "a").Guest("ppc970", 1, "a")
            .Host("power7", 1, measuredS: 18, warmupS: 2, reclaimStartS: 12)
            .Host("power7", 2, measuredS: 18, warmupS: 2, reclaimStartS: 5)
            .Host("ppc970", 1, measuredS: 18, warmupS: 2, reclaimStartS: null) // never reclaimed: nothing to say
            .Write();
        var w = Assert.Single(MeasuredWindow.Warnings(ResultsFolder.Load(fx.Dir)));
        Assert.Equal("power7", w.Platform);
        Assert.Equal(10.0 / 18, w.UnpressuredFraction, 12);
        Assert.Equal("host reclaim first starts at 12 s, after the 2 s warm-up: 10 s of the 18 s measured window (56%) had none (worst of 2 of 2 runs); use a warm-up past 12 s or warmup: auto.", w.Text);
    }

    [Fact]
    public void NoWarningWhenReclaimStartedDuringTheWarmUp()
    {
        using var fx = new ResultsFixture();
        fx.Guest("power7", 1, "a").Host("power7", 1, measuredS: 60, warmupS: 40, reclaimStartS: 39.5).Write();
        Assert.Empty(MeasuredWindow.Warnings(ResultsFolder.Load(fx.Dir)));
    }

    [Fact]
    public void TheP99InSummaryCsvAndOnTheConsoleIsTheReportsP99OfTheSameBuckets()
    {
        // One guest's latencies: 990 samples at 1 ms and 10 spread over 5-9.5 ms. The console and summary.csv take the
        // model's histogram; the report reads fault_latency.csv's buckets back: one definition, one number.
        var g = new GuestResult { Guest = "a", Admitted = true };
        for (int i = 0; i < 990; i++) g.FaultLatency.Add(1_000_000 + i * 37);
        for (int i = 0; i < 10; i++) g.FaultLatency.Add(5_000_000 + i * 500_000);
        var result = new RunResult
        {
            Config = new SimulationConfig { Host = new HostConfig(), Guests = [] }, Guests = [g], Host = new HostResult(), HostSeries = [], GuestSeries = [],
        };
        var rows = RunRows.From(new RunKey("s", Platform.Power7, 1, 1), result);
        var fromCsv = BucketQuantile.Quantile(rows.FaultLatency.Select(RunMetrics.ToBucket).ToList(), 0.99);
        // By hand: rank 0.99 × 1000 = 990 is the last 1 ms sample, 1,000,000 + 989 × 37 = 1,036,593 ns. Its bucket
        // (64 per power of two: 8192 ns wide in [2^19, 2^20)) is [126 × 8192, 127 × 8192) = [1,032,192, 1,040,384) ns
        // and holds samples 871..989 (119); rank 990 is its last, so the interpolation gives its upper end, 1040.384 µs.
        Assert.Equal(1040.384, fromCsv, 9);
        Assert.Equal(fromCsv, rows.Summary[0].FaultLatencyP99Us!.Value, 9);
        Assert.Equal(fromCsv, g.FaultLatency.Quantile(0.99) / 1e3, 9); // what `hvsim run` prints (in ms)
    }

    [Theory]
    [InlineData(0.0, 1.0)]
    [InlineData(0.5, 2.0)]
    [InlineData(0.75, 4.0)]
    [InlineData(0.94, 1 / 0.06)] // the example: 94 % stall is a 16.7x slowdown, not 1.94x
    public void SlowdownIsVcpuTimeOverUsefulTime(double stall, double factor)
    {
        Assert.Equal(factor, Slowdown.OfStallFraction(stall), 9);
        Assert.Equal(factor, Slowdown.Factor(stall * 10, 10), 9);
    }
}
