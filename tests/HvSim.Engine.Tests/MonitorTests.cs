using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using HvSim.Engine.Monitors;

namespace HvSim.Engine.Tests;

public class MonitorTests
{
    [Fact]
    public void RunningStatsAgreeWithATwoPassComputation()
    {
        var rng = new Random(3);
        var xs = Enumerable.Range(0, 10_000).Select(_ => 1e6 + rng.NextDouble() * 10).ToArray();
        var all = new RunningStats();
        var left = new RunningStats();
        var right = new RunningStats();
        for (int i = 0; i < xs.Length; i++)
        {
            all.Add(xs[i]);
            (i < 3_000 ? left : right).Add(xs[i]);
        }
        left.Merge(right);
        double mean = xs.Average();
        double variance = xs.Sum(x => (x - mean) * (x - mean)) / (xs.Length - 1);
        foreach (var s in new[] { all, left })
        {
            Assert.Equal(xs.Length, s.Count);
            Assert.Equal(mean, s.Mean, 1e-6);           // relative 1e-12 at this magnitude
            Assert.Equal(variance, s.Variance, 1e-9);   // variance ~8: relative 1e-10
            Assert.Equal(xs.Min(), s.Min);
            Assert.Equal(xs.Max(), s.Max);
        }
        Assert.True(double.IsNaN(new RunningStats().Mean));
    }

    [Fact]
    public void LevelStatsWeighEachLevelByHowLongItHeld()
    {
        // Level 0 on [0,10), 4 on [10,30), 1 on [30,40): mean 90/40, E[x^2] = 330/40.
        var sim = new Simulation();
        var level = new LevelStats(sim);
        sim.Schedule(10, () => level.Set(4));
        sim.Schedule(30, () => level.Add(-3));
        sim.Run(40);
        Assert.Equal(2.25, level.Mean, 12);
        Assert.Equal(330.0 / 40 - 2.25 * 2.25, level.Variance, 12);
        Assert.Equal((0.0, 4.0, 1.0, 40L), (level.Min, level.Max, level.Current, level.Duration));
    }

    [Fact]
    public void MonitorsAllocateNothingPerSample()
    {
        var sim = new Simulation();
        var stats = new RunningStats();
        var level = new LevelStats(sim);
        var hist = new LogHistogram();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100_000; i++)
        {
            stats.Add(i);
            level.Set(i);
            hist.Add(i);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static Arbitrary<long[]> Samples() =>
        Gen.Choose(0, 62).SelectMany(bits => Gen.Choose(0, int.MaxValue).Select(r => (long)((ulong)r * 0x9E3779B97F4A7C15UL >> (63 - bits))))
           .ArrayOf().Where(a => a.Length > 0).ToArbitrary();

    [Property(MaxTest = 300)]
    public Property LogHistogramQuantilesAreWithinOneBucketWidthOfTheExactSampleQuantiles() =>
        Prop.ForAll(Samples(), xs =>
        {
            var h = new LogHistogram();
            foreach (var x in xs) h.Add(x);
            var sorted = xs.OrderBy(x => x).ToArray();
            foreach (var q in new[] { 0.0, 0.5, 0.9, 0.99, 0.999, 1.0 })
            {
                long exact = sorted[Math.Max(1, (long)Math.Ceiling(q * sorted.Length)) - 1];
                double est = h.Quantile(q);
                // One bucket is 1/64 of a power of two wide (1 below 64).
                if (Math.Abs(est - exact) > Math.Max(1, exact / 64.0)) return false;
            }
            return h.Count == xs.Length && h.Min == sorted[0] && h.Max == sorted[^1];
        });

    [Property(MaxTest = 100)]
    public Property MergingHistogramsEqualsAddingAllSamples() =>
        Prop.ForAll(Samples(), Samples(), (a, b) =>
        {
            var ha = new LogHistogram();
            var hb = new LogHistogram();
            var all = new LogHistogram();
            foreach (var x in a) { ha.Add(x); all.Add(x); }
            foreach (var x in b) { hb.Add(x); all.Add(x); }
            ha.Merge(hb);
            return ha.Buckets().SequenceEqual(all.Buckets()) && ha.Count == all.Count && ha.Min == all.Min
                && ha.Max == all.Max && ha.Quantile(0.999) == all.Quantile(0.999);
        });
}
