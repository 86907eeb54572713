using HvSim.Model.Config;
using HvSim.Model.Results;

namespace HvSim.Model.Tests.Model;

/// <summary>`warmup: auto` (SteadyState): the rule worked by hand on short series, and what a run reports.</summary>
public class SteadyStateTests
{
    private const long S = 1_000_000_000, GiB = 1L << 30;

    /// <summary>The index (1-based) of the interval at whose end the rule ends the warm-up, 0 if it never does.</summary>
    private static int FirstSteady(long[] accesses, long[] resident, long reclaimStartNs, long hostBytes = 8 * GiB)
    {
        var rule = new SteadyState(hostBytes, S);
        for (int i = 0; i < accesses.Length; i++)
            if (rule.Add((i + 1) * S, accesses[i], resident[i], reclaimStartNs)) return i + 1;
        return 0;
    }

    [Fact]
    public void EndsTheWarmUpOnceReclaimHasRunAWindowAndThroughputAndMemoryHaveSettled()
    {
        // W = 5 one-second intervals on an 8 GiB host (1 % = 81.9 MiB). Memory fills during 1-6 s, reclaim starts at
        // 6.5 s, throughput drops from 1000 to 800 per interval at 7 s and stays there.
        long[] a = [1000, 1000, 1000, 1000, 1000, 1000, 800, 800, 800, 800, 800, 800, 800, 800, 800, 800, 800];
        long[] r = [1, 2, 3, 4, 5, 6, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7];
        for (int i = 0; i < r.Length; i++) r[i] = r[i] * GiB + (i % 2) * (10L << 20); // ±10 MiB of churn
        // n = 10, 11: reclaim (6.5 s) did not start 5 s before the end of n. n = 12: resident 7 GiB at 12 s and at 7 s
        // (within 1 %), but the throughput of 8-12 (800) against 3-7 (mean 960) differs by 17 %; n = 13: 9-13 against
        // 4-8 (920): 13 %; n = 14: 10-14 against 5-9 (880): 9.1 %; n = 15: 11-15 against 6-10 (840): 4.8 % <= 5 %.
        Assert.Equal(15, FirstSteady(a, r, (long)(6.5 * S)));
    }

    [Fact]
    public void WithoutReclaimItWaitsOnlyForMemoryAndThroughput()
    {
        long[] a = Enumerable.Repeat(500L, 12).ToArray();
        long[] r = [1, 2, 3, 4, 4, 4, 4, 4, 4, 4, 4, 4];
        for (int i = 0; i < r.Length; i++) r[i] *= GiB;
        // Resident stops growing at 4 s; R(n) - R(n-5) is within 1 % from n = 9 (R(4) = 4 GiB); n >= 10 is needed anyway.
        Assert.Equal(10, FirstSteady(a, r, -1));
        // Still growing by 1 GiB a second: never.
        Assert.Equal(0, FirstSteady(a, Enumerable.Range(1, 12).Select(i => i * GiB).ToArray(), -1));
    }

    [Fact]
    public void ARunWithAutoWarmupMeasuresFromSteadyStateAfterReclaimStarted()
    {
        // Two 48 MiB guests on 56 MiB usable: memory fills and reclaim starts early; the warm-up ends after it.
        var config = ModelKit.Small(hostMib: 64, guestMib: 48, durationMs: 2000, workload: new HvSim.Model.Workloads.UniformWorkload { ThinkNs = 2_000 })
            with { WarmupAuto = true, SampleIntervalNs = 50_000_000 };
        var r = SimulationRunner.Run(config);
        Assert.InRange(r.Host.FirstReclaimNs, 0, r.Host.WarmupNs - SteadyState.Window * config.SampleIntervalNs);
        Assert.True(r.Host.WarmupNs < config.DurationNs / 2, $"steady state at {r.Host.WarmupNs} ns, not the half-way fallback");
        Assert.Equal(0, r.Host.WarmupNs % config.SampleIntervalNs); // at the end of a sampling interval
        Assert.Equal(config.DurationNs - r.Host.WarmupNs, r.Host.MeasuredNs);
        Assert.All(r.Guests, g => Assert.Equal(2 * (config.DurationNs - r.Host.WarmupNs), g.VcpuNs)); // 2 vCPUs each
    }
}
