using HvSim.Analysis.Progress;
using HvSim.Model.Config;
using HvSim.Model.Workloads;

namespace HvSim.Analysis.Tests;

/// <summary>The ETA arithmetic of live progress, against examples worked by hand.</summary>
public class ProgressEstimateTests : IDisposable
{
    private readonly TempFolders _temp = new();

    public void Dispose() => _temp.Dispose();

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
    public void BatchEtaIsNeverLessThanTheLastRunningRunNeedsAtItsOwnRate()
    {
        // Two runs of cost 1 on two workers. At 5 s the first is done and the second a quarter through. Together 1.25
        // units in 5 s: 0.25 units/s, so the 0.75 left would take 3 s; but the second run alone goes 0.25 units in
        // 5 s (0.05/s), so it needs 0.75 / 0.05 = 15 s, and nothing else can help it.
        double second = 0;
        var meter = new WorkMeter([1, 1], TimeSpan.FromMinutes(1));
        meter.Started(0, () => 0);
        meter.Started(1, () => second);
        meter.Sample(TimeSpan.Zero);
        meter.Finished(0);
        second = 0.25;
        var (fraction, remaining) = meter.Sample(TimeSpan.FromSeconds(5));
        Assert.Equal(0.625, fraction, 12);
        Assert.Equal(15, remaining!.Value.TotalSeconds, 9);
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

    [Fact]
    public void PlanEtaWeighsTheProbesItsBracketStillNeedsByTheirCost()
    {
        var spec = GuestSearchPlan();
        // A replication costs its guest count.
        var meter = new PlanMeter(spec, p => p.Guests, TimeSpan.FromMinutes(1));
        // Nothing probed: the bracket is (0, 9), so about ⌈log2 9⌉ = 4 probes at the middle count 4, of 2 replications
        // costing 4 each: 32.
        Assert.Equal(32, meter.EstimatedCostLeft(), 12);
        var one = new HvSim.Analysis.Planning.PlanPoint(Platform.Power7, 1);
        meter.Running(0, one);
        meter.Running(1, one);
        meter.Finished(0);
        meter.Finished(1);
        var pass = new HvSim.Analysis.Planning.ProbeMetrics(true, double.NaN, 0, 0);
        meter.ProbeDone(HvSim.Analysis.Planning.Probe.Judge(one, [pass, pass], spec.Slo));
        // 1 guest passes: the bracket is (1, 9), ⌈log2 8⌉ = 3 probes at count 5 (2 × 5 each) = 30 left, and 1 guest has
        // no count below it to confirm. Done 2 of 32; at 2 units in 4 s the 30 left take 60 s. Counting probes (1 of
        // about 4 done in 4 s) would say 12 s.
        Assert.Equal(30, meter.EstimatedCostLeft(), 12);
        var (fraction, remaining) = meter.Sample(TimeSpan.FromSeconds(4));
        Assert.Equal(2.0 / 32, fraction, 12);
        Assert.Equal(60, remaining!.Value.TotalSeconds, 9);
        Assert.Equal("1 probe done, last power7 1 guest: pass", meter.Tally);
    }

    [Fact]
    public void PlanEtaIsNeverLessThanTheSlowestRunningReplicationNeedsAtItsOwnRate()
    {
        var spec = GuestSearchPlan();
        var meter = new PlanMeter(spec, p => p.Guests, TimeSpan.FromMinutes(1));
        // The first probe, at 4 guests: two replications costing 4 each. At 10 s the first is done and the second a
        // tenth through: 4.4 of the bracket's 32 done (nothing judged yet: 4 probes at count 4, 2 x 4 each), so the
        // pooled rate, 0.44/s, says (32 - 4.4) / 0.44 = 62.7 s. But no later probe can start before this one's verdict,
        // and its second replication alone goes 0.4 in 10 s: its 3.6 left take 90 s.
        var four = new HvSim.Analysis.Planning.PlanPoint(Platform.Power7, 4);
        double second = 0;
        meter.Running(0, four);
        meter.Running(1, four);
        meter.Started(0, () => 0);
        meter.Started(1, () => second);
        meter.Sample(TimeSpan.Zero);
        meter.Finished(0);
        second = 0.1;
        var (fraction, remaining) = meter.Sample(TimeSpan.FromSeconds(10));
        Assert.Equal(4.4 / 32, fraction, 12);
        Assert.Equal(90, remaining!.Value.TotalSeconds, 9);
    }

    /// <summary>A plan searching 1 to 8 one-guest-profile guests on POWER7, 2 replications per probe.</summary>
    private HvSim.Analysis.Planning.PlanSpec GuestSearchPlan()
    {
        var dir = _temp.New("hvsim-planmeter-");
        File.WriteAllText(Path.Combine(dir, "s.yaml"), "name: s\nduration: 1s\nhost: {memory: 4GiB}\nguests: {count: 1, memory: 256MiB, workload: {kind: uniform}}\n");
        File.WriteAllText(Path.Combine(dir, "plan.yaml"), "scenario: s.yaml\nslo: {mean_stall_fraction: 5%}\nreplications: 2\nmax_guests: 8\nplatforms: power7\n");
        var spec = HvSim.Analysis.Planning.PlanFile.Load(Path.Combine(dir, "plan.yaml"));
        return spec;
    }
}
