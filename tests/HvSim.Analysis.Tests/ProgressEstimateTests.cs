using HvSim.Analysis.Progress;
using HvSim.Model.Config;
using HvSim.Model.Workloads;

namespace HvSim.Analysis.Tests;

/// <summary>The ETA arithmetic of live progress, against examples worked by hand.</summary>
public class ProgressEstimateTests
{
    [Fact]
    public void RateWindowEtaMatchesAHandWorkedExample()
    {
        // A 10 s simulation: 1 s simulated after 2 s of wall time, 3 s after 4 s. Rate over (0,0)..(4,3) = 3/4 sim-s per
        // wall-s, so the 7 s left take 7 / 0.75 = 9.333 s.
        var w = new RateWindow(TimeSpan.FromSeconds(10));
        w.Add(TimeSpan.Zero, 0);
        w.Add(TimeSpan.FromSeconds(2), 1);
        w.Add(TimeSpan.FromSeconds(4), 3);
        Assert.Equal(0.75, w.Rate!.Value, 12);
        Assert.Equal(9.333, w.Remaining(10)!.Value.TotalSeconds, 3);
        // At 14 s wall, 8 s simulated: the window (10 s) starts at 4 s, so the baseline is the sample at 4 s:
        // rate (8 - 3) / (14 - 4) = 0.5 (the slow recent rate, not 8/14 since the start), and 2 s left take 4 s.
        w.Add(TimeSpan.FromSeconds(14), 8);
        Assert.Equal(0.5, w.Rate!.Value, 12);
        Assert.Equal(4, w.Remaining(10)!.Value.TotalSeconds, 9);
    }

    [Fact]
    public void RateIsUnknownUntilSomethingIsDone()
    {
        var w = new RateWindow(TimeSpan.FromSeconds(10));
        w.Add(TimeSpan.Zero, 0);
        Assert.Null(w.Remaining(10));
        w.Add(TimeSpan.FromSeconds(3), 0);
        Assert.Null(w.Remaining(10));
    }

    [Fact]
    public void BatchEtaWeighsRunsByCostNotByCount()
    {
        // Two runs of cost 1 and 3. After 5 s the cheap one is done: 1 of 4 cost units, so at 0.2 units/s the 3 left
        // take 15 s. Counting runs would say 1 of 2 done in 5 s, so 5 s left: three times too soon.
        var meter = new WorkMeter([1, 3], TimeSpan.FromMinutes(1));
        meter.Finished(0);
        var (fraction, remaining) = meter.Sample(TimeSpan.FromSeconds(5));
        Assert.Equal(0.25, fraction, 12);
        Assert.Equal(15, remaining!.Value.TotalSeconds, 9);
        Assert.Equal(1, meter.FinishedCount);
    }

    [Fact]
    public void ExpectedCostIsAccessesWithoutStalls()
    {
        // 2 guests × 2 vCPUs for 10 s at 50 µs think + 100 ns per access: 4 × 10 s / 50.1 µs = 798,403.19 accesses.
        var guest = new GuestConfig { Name = "g", MemoryBytes = 64L << 20, Vcpus = 2, Workload = new UniformWorkload { ThinkNs = 50_000 } };
        var config = new SimulationConfig { Host = new HostConfig(), Guests = [guest, guest with { Name = "h" }], DurationNs = 10_000_000_000 };
        Assert.Equal(4 * 10e9 / 50_100, RunCost.Expected(config), 6);
        // A mix weighs its streams' think times by weight: (1 × 0 + 3 × 100 µs) / 4 = 75 µs.
        var mix = new MixWorkload { Streams = [new(new UniformWorkload { ThinkNs = 0 }, 1), new(new UniformWorkload { ThinkNs = 100_000 }, 3)] };
        Assert.Equal(75_000, mix.MeanThinkNs);
    }
}
