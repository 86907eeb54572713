using HvSim.Engine;
using HvSim.Model.Workloads;

namespace HvSim.Model.Tests.Workloads;

public class SyntheticWorkloadTests
{
    [Theory]
    [InlineData(1000, 0.9)]
    [InlineData(1000, 1.2)]
    [InlineData(37, 0.0)]
    public void ZipfSamplerFrequenciesMatchTheExactPmf(int n, double alpha)
    {
        // Chi-square goodness of fit against p(r) = (r+1)^-alpha / H(n, alpha), with the pmf computed here.
        // For k = n - 1 degrees of freedom the statistic has mean k and sd sqrt(2k); we allow k + 6 sd (p < 1e-8).
        const int draws = 2_000_000;
        double h = Enumerable.Range(1, n).Sum(r => Math.Pow(r, -alpha));
        var sampler = ZipfSampler.For(n, alpha);
        var rng = new RngStream(11, "zipf-test");
        var counts = new long[n];
        for (int i = 0; i < draws; i++) counts[sampler.Sample(rng)]++;
        double chi2 = 0;
        for (int r = 0; r < n; r++)
        {
            double p = Math.Pow(r + 1, -alpha) / h;
            Assert.Equal(p, sampler.Pmf(r), 12);
            double expected = draws * p;
            chi2 += (counts[r] - expected) * (counts[r] - expected) / expected;
        }
        int k = n - 1;
        Assert.True(chi2 < k + 6 * Math.Sqrt(2.0 * k), $"chi-square {chi2:F1} for {k} degrees of freedom");
        // The head is what matters most for caching: rank 0's frequency within 1% of its probability.
        double p0 = 1 / h;
        Assert.InRange(counts[0] / (double)draws, p0 * 0.99, p0 * 1.01);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(5)]
    [InlineData(1000)]
    [InlineData(4097)]
    public void PagePermutationIsABijection(int n)
    {
        var permutation = new PagePermutation(n, 42);
        var seen = new bool[n];
        for (int x = 0; x < n; x++)
        {
            int y = permutation.Map(x);
            Assert.InRange(y, 0, n - 1);
            Assert.False(seen[y], $"{y} hit twice");
            seen[y] = true;
        }
    }

    [Theory]
    [InlineData(1, 1UL)]
    [InlineData(4097, 42UL)]
    [InlineData(49_152, 7UL)]
    public void PagePermutationIsTheFourRoundFeistelNetworkCycleWalkedIntoRange(int n, ulong seed)
    {
        // The network as its definition reads, a loop of rounds each swapping the halves (left, right) -> (right, left XOR
        // F(right, key XOR round * golden ratio)), with F the SplitMix64 finaliser masked to a half.
        static ulong Mix(ulong z)
        {
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
        int bits = Math.Max(2, 64 - (int)ulong.LeadingZeroCount((ulong)(n - 1)));
        int half = (bits + 1) / 2;
        ulong mask = (1UL << half) - 1, key = Mix(seed ^ 0x5851F42D4C957F2DUL);
        var permutation = new PagePermutation(n, seed);
        for (int x = 0; x < n; x++)
        {
            ulong v = (uint)x;
            do
            {
                ulong left = v >> half, right = v & mask;
                for (int round = 0; round < 4; round++) (left, right) = (right, left ^ (Mix(right ^ key ^ ((ulong)round * 0x9E3779B97F4A7C15UL)) & mask));
                v = (left << half) | right;
            }
            while (v >= (ulong)n);
            Assert.Equal((int)v, permutation.Map(x));
        }
    }

    [Fact]
    public void ZipfHotPagesAreScatteredAndSharedByAllVcpus()
    {
        const int n = 4096;
        var spec = new ZipfWorkload { Alpha = 1.0 };
        var layout = new PagePermutation(n, spec.LayoutSeed);
        int[] hottest = [.. Enumerable.Range(0, 16).Select(layout.Map)];
        // Not one contiguous run: 16 hot pages spread over more than a quarter of the guest.
        Assert.True(hottest.Max() - hottest.Min() > n / 4);
        // Two vCPUs with different random streams draw rank 0's page most often.
        foreach (int vcpu in new[] { 0, 1 })
        {
            var source = spec.Create(n, vcpu, 2, new RngStream(3, $"vcpu{vcpu}"));
            var counts = new int[n];
            var access = new GuestAccess();
            for (int i = 0; i < 100_000; i++) { source.Next(0, ref access); counts[access.Page]++; }
            Assert.Equal(hottest[0], Array.IndexOf(counts, counts.Max()));
        }
    }

    [Fact]
    public void WriteFractionAndThinkTimeFollowTheBaseParameters()
    {
        // Bernoulli(0.25) over 200k draws: sd 0.001, tolerance 0.005. Exponential mean 1000 ns: sd of the mean 2.2 ns,
        // tolerance 15 ns.
        var source = new UniformWorkload { WriteFraction = 0.25, ThinkNs = 1000 }.Create(100, 0, 1, new RngStream(5, "wt"));
        var access = new GuestAccess();
        int writes = 0;
        double think = 0;
        const int draws = 200_000;
        for (int i = 0; i < draws; i++)
        {
            Assert.True(source.Next(0, ref access));
            Assert.InRange(access.Page, 0, 99);
            if (access.IsWrite) writes++;
            think += access.ThinkNs;
        }
        Assert.InRange(writes / (double)draws, 0.245, 0.255);
        Assert.InRange(think / draws, 985, 1015);
    }

    [Theory]
    [InlineData(16384)] // a power of two: drawn by a shift (RngState.NextBits)
    [InlineData(12288)] // not one: Lemire's bounded draw
    [InlineData(1)]
    public void UniformPagesAreBoundedDrawsOfTheStream(int pages)
    {
        // With no stores and no think time an access draws its page alone: NextBounded(pages), one after another.
        var source = new UniformWorkload { WriteFraction = 0, ThinkNs = 0 }.Create(pages, 0, 1, new RngStream(21, "uniform"));
        var reference = new RngStream(21, "uniform");
        var access = new GuestAccess();
        for (int i = 0; i < 20_000; i++)
        {
            Assert.True(source.Next(0, ref access));
            Assert.Equal((int)reference.NextBounded((ulong)pages), access.Page);
        }
    }

    public static TheoryData<double> WriteFractions
    {
        get
        {
            const double ulp = 1.0 / (1UL << 53);
            var data = new TheoryData<double> { 0, double.Epsilon, 1e-300, ulp / 2, ulp, 3 * ulp, 0.3, 1.0 / 3, 0.5, 0.7, 1 - ulp, 1 };
            // Fractions one ulp either side of a multiple of 2^-53, where the threshold's rounding up matters.
            foreach (double f in new[] { 0.25, 0.3, 0.6 }) data.Add(Math.BitIncrement(f)); data.Add(Math.BitDecrement(0.3));
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(WriteFractions))]
    public void TheStoreDrawsIntegerThresholdDecidesAsTheDoubleCompareDoes(double writeFraction)
    {
        // The store test was NextDouble() < f, with NextDouble() = j * 2^-53 for the draw's top 53 bits j; now j < T. Both
        // decided for every j next to T (where they could disagree) and for random j, with the double compare as truth.
        ulong threshold = AccessDraws.WriteThreshold(writeFraction);
        Assert.Equal(writeFraction > 0, threshold > 0);
        var rng = new RngStream(3, "j");
        var js = Enumerable.Range(-3, 7).Select(d => (long)threshold + d).Where(j => j >= 0 && j < 1L << 53).Select(j => (ulong)j)
            .Concat(Enumerable.Range(0, 10_000).Select(_ => rng.NextUInt64() >> 11)).Concat([0UL, (1UL << 53) - 1]);
        foreach (ulong j in js)
            Assert.True(j * (1.0 / (1UL << 53)) < writeFraction == j < threshold, $"f = {writeFraction:R}, j = {j}, threshold = {threshold}");
    }

    [Fact]
    public void ZeroThinkTimeAndZeroWriteFractionGiveBackToBackLoads()
    {
        var source = new ZipfWorkload { WriteFraction = 0, ThinkNs = 0 }.Create(10, 0, 1, new RngStream(5, "z"));
        var access = new GuestAccess();
        for (int i = 0; i < 1000; i++)
        {
            source.Next(0, ref access);
            Assert.False(access.IsWrite);
            Assert.Equal(0, access.ThinkNs);
        }
    }

    [Fact]
    public void BadBaseParametersAreRejectedWithTheValue()
    {
        Assert.Contains("1.5", Assert.Throws<ArgumentException>(() => new UniformWorkload { WriteFraction = 1.5 }).Message);
        Assert.Contains("-3", Assert.Throws<ArgumentException>(() => new UniformWorkload { ThinkNs = -3 }).Message);
        Assert.Contains("alpha", Assert.Throws<ArgumentException>(() => new ZipfWorkload { Alpha = -0.1 }).Message);
    }
}
