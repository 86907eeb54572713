using HvSim.Cli.Progress;
using HvSim.Model.Results;

namespace HvSim.Cli.Tests;

/// <summary>A run's live line on a terminal (issue 12: simulated time, accesses, current stall, ETA).</summary>
public class RunLineTests
{
    [Fact]
    public void AFinishedRunShowsItsStallOverTheWholeMeasuredWindow()
    {
        // A 20 s run of 1 vCPU, warm-up 4 s, 2 s stalled after it: 2 / (20 - 4) = 12.5 %. The last live line saw
        // the same end time as the finished one, so "since the previous line" would have nothing to measure.
        var line = new RunLine("r");
        var end = new RunSnapshot(SimulatedNs: 20_000_000_000, DurationNs: 20_000_000_000, WarmupNs: 4_000_000_000, Accesses: 1000,
            StalledNs: 2_000_000_000, Vcpus: 1, Finished: false);
        line.Describe(end with { SimulatedNs = 10_000_000_000, StalledNs = 1_000_000_000 }, TimeSpan.FromSeconds(1));
        line.Describe(end, TimeSpan.FromSeconds(2));
        string last = line.Describe(end with { Finished = true }, TimeSpan.FromSeconds(2.1));
        Assert.Contains("stall 12.5%", last);
        Assert.EndsWith("done", last);
    }

    [Fact]
    public void ARunningLineShowsTheStallSinceThePreviousLineAndAnEtaFromItsRate()
    {
        // From 10 s (1 s stalled) to 15 s (2.5 s stalled) on 1 vCPU: 1.5 / 5 = 30 %. 5 simulated s in 2 wall s
        // (2.5 sim-s per s): the 5 s left take 2 s.
        var line = new RunLine("r");
        var at10 = new RunSnapshot(10_000_000_000, 20_000_000_000, 0, 1000, 1_000_000_000, 1, false);
        line.Describe(at10, TimeSpan.FromSeconds(4));
        string now = line.Describe(at10 with { SimulatedNs = 15_000_000_000, StalledNs = 2_500_000_000 }, TimeSpan.FromSeconds(6));
        Assert.Contains("15.0/20 s", now);
        Assert.Contains("stall 30.0%", now);
        Assert.EndsWith("ETA 0:00:02", now);
    }
}
