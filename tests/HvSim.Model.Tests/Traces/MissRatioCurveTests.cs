using FsCheck.Xunit;
using HvSim.Engine;
using HvSim.Model.Tests.Replacement;
using HvSim.Model.Workloads;
using HvSim.Traces;

namespace HvSim.Model.Tests.Traces;

public class MissRatioCurveTests
{
    [Property(MaxTest = 200)]
    public void ExactCurveEqualsBruteForceLruAtEveryCapacity(byte[] raw)
    {
        int[] trace = [.. raw.Select(b => b % 30)];
        var curve = MissRatioCurve.Exact(trace, 30);
        for (int capacity = 1; capacity <= 31; capacity++)
        {
            long misses = PolicyOracles.LruByStackDistance(trace, capacity).Count(hit => !hit);
            Assert.Equal(misses, (long)Math.Round(curve.MissRatio(capacity) * trace.Length));
        }
    }

    [Fact]
    public void ShardsAtRateOneIsTheExactCurveAndAtTenPercentIsCloseOnZipf()
    {
        // 1M Zipf(0.9) references over 100k pages. SHARDS at 10% keeps ~10k pages; tolerance 0.02 absolute (the
        // SHARDS paper reports mean absolute errors near 0.01 at far lower rates on larger traces).
        const int pages = 100_000, references = 1_000_000;
        var source = new ZipfWorkload().Create(pages, 0, 1, new RngStream(17, "mrc"));
        var access = new GuestAccess();
        var trace = new int[references];
        for (int i = 0; i < references; i++) { source.Next(0, ref access); trace[i] = access.Page; }
        var exact = MissRatioCurve.Exact(trace, pages);
        var full = MissRatioCurve.Shards(trace, pages, 1.0);
        var sampled = MissRatioCurve.Shards(trace, pages, 0.1, seed: 5);
        foreach (int capacity in new[] { 100, 1000, 5000, 20000, 50000 })
        {
            Assert.Equal(exact.MissRatio(capacity), full.MissRatio(capacity));
            Assert.InRange(sampled.MissRatio(capacity), exact.MissRatio(capacity) - 0.02, exact.MissRatio(capacity) + 0.02);
        }
        Assert.InRange(sampled.DistinctPages, exact.DistinctPages * 0.9, exact.DistinctPages * 1.1);
    }

    [Fact]
    public void CapacitiesSpanOneToTheDistinctPages()
    {
        // 10 distinct pages: 4 points evenly spaced over 1..10 are 1 + 9 x i / 3 = 1, 4, 7, 10; asked for more points
        // than capacities, every capacity once.
        var curve = MissRatioCurve.Exact([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 10);
        Assert.Equal([1L, 4, 7, 10], curve.Capacities(4));
        Assert.Equal(Enumerable.Range(1, 10).Select(c => (long)c), curve.Capacities(100));
    }
}
