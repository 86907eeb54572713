using HvSim.Engine;
using HvSim.Model.Replacement;
using HvSim.Model.Workloads;

namespace HvSim.Model.Tests.Replacement;

public class CheApproximationTests
{
    /// <summary>
    /// Che's approximation of LRU under independent references: page i stays in an LRU cache of C pages for the
    /// characteristic time T that solves sum_i (1 - exp(-p_i T)) = C, and hits with probability 1 - exp(-p_i T).
    /// </summary>
    private static double CheMissRatio(double[] p, int capacity)
    {
        double Occupancy(double t) => p.Sum(pi => 1 - Math.Exp(-pi * t));
        double lo = 0, hi = 1;
        while (Occupancy(hi) < capacity) hi *= 2;
        for (int i = 0; i < 200; i++)
        {
            double mid = (lo + hi) / 2;
            if (Occupancy(mid) < capacity) lo = mid; else hi = mid;
        }
        double t = (lo + hi) / 2;
        return 1 - p.Sum(pi => pi * (1 - Math.Exp(-pi * t)));
    }

    [Theory]
    [InlineData(0.9, 100)]
    [InlineData(0.9, 1000)]
    [InlineData(0.9, 5000)]
    [InlineData(1.2, 500)]
    public void LruMissRatioUnderZipfMatchesChe(double alpha, int capacity)
    {
        // Che's approximation is known to be within about 1% for Zipf popularity; with 1M measured references the
        // sampling error is ~0.0005. Tolerance: 0.01 absolute.
        const int n = 10_000, warmup = 200_000, measured = 1_000_000;
        double h = Enumerable.Range(1, n).Sum(r => Math.Pow(r, -alpha));
        double[] p = [.. Enumerable.Range(1, n).Select(r => Math.Pow(r, -alpha) / h)];
        double expected = CheMissRatio(p, capacity);
        var source = new ZipfWorkload { Alpha = alpha }.Create(n, 0, 1, new RngStream(23, "che"));
        var cache = new ReplayCache(new LruPolicy(n), capacity, n);
        var access = new GuestAccess();
        for (int i = 0; i < warmup; i++) { source.Next(0, ref access); cache.Access(access.Page); }
        long before = cache.Misses;
        for (int i = 0; i < measured; i++) { source.Next(0, ref access); cache.Access(access.Page); }
        double missRatio = (double)(cache.Misses - before) / measured;
        Assert.InRange(missRatio, expected - 0.01, expected + 0.01);
    }
}
