namespace HvSim.Engine.Tests;

public class RngStreamTests
{
    private const int N = 1_000_000;

    [Fact]
    public void NextDoubleIsUniformOnTheUnitInterval()
    {
        var rng = new Simulation(5).Rng("uniform");
        double sum = 0, sumSq = 0, min = 1, max = 0;
        for (int i = 0; i < N; i++)
        {
            double u = rng.NextDouble();
            sum += u; sumSq += u * u;
            min = Math.Min(min, u); max = Math.Max(max, u);
        }
        double mean = sum / N, variance = sumSq / N - mean * mean;
        Assert.InRange(mean, 0.5 - 5 * Math.Sqrt(1.0 / 12 / N), 0.5 + 5 * Math.Sqrt(1.0 / 12 / N));
        // Var of the sample variance of U(0,1): (mu4 - sigma^4) / n = (1/80 - 1/144) / n
        double sdVar = Math.Sqrt((1.0 / 80 - 1.0 / 144) / N);
        Assert.InRange(variance, 1.0 / 12 - 5 * sdVar, 1.0 / 12 + 5 * sdVar);
        Assert.True(min >= 0 && max < 1);
    }

    [Fact]
    public void NextDoubleUsesAll53Bits()
    {
        // With 53 random bits, some of 1,000 draws have a non-zero lowest mantissa bit at scale 2^53.
        var rng = new Simulation(6).Rng("bits");
        int odd = 0;
        for (int i = 0; i < 1000; i++)
            if (((ulong)(rng.NextDouble() * (1UL << 53)) & 1) == 1) odd++;
        Assert.InRange(odd, 400, 600);
    }

    [Fact]
    public void NextExponentialHasTheRightMeanAndVariance()
    {
        const double m = 2.5;
        var rng = new Simulation(7).Rng("exp");
        double sum = 0, sumSq = 0;
        for (int i = 0; i < N; i++)
        {
            double x = rng.NextExponential(m);
            Assert.True(x >= 0);
            sum += x; sumSq += x * x;
        }
        double mean = sum / N, variance = sumSq / N - mean * mean;
        Assert.InRange(mean, m - 5 * m / Math.Sqrt(N), m + 5 * m / Math.Sqrt(N));
        // Exponential: sigma^2 = m^2, mu4 = 9 m^4, so sd of the sample variance ~ sqrt(8) m^2 / sqrt(n)
        double sdVar = Math.Sqrt(8) * m * m / Math.Sqrt(N);
        Assert.InRange(variance, m * m - 5 * sdVar, m * m + 5 * sdVar);
    }

    [Fact]
    public void ZigguratTablesMatchMarsagliaAndTsang()
    {
        // Their paper gives R = 7.69711747013104972 and V = 0.0039496598225815571993 for 256 layers of e^-x.
        Assert.Equal(7.69711747013104972, ExponentialZiggurat.R, 1e-12);
        Assert.Equal(0.0039496598225815571993, ExponentialZiggurat.V, 1e-15);
        var x = ExponentialZiggurat.X;
        var f = ExponentialZiggurat.F;
        // Every rectangle above the base has the base's area, and the stack ends exactly at e^0.
        for (int i = 1; i < ExponentialZiggurat.Layers; i++)
            Assert.Equal(ExponentialZiggurat.V, x[i] * (f[i + 1] - f[i]), 1e-14);
        Assert.Equal(1.0, f[ExponentialZiggurat.Layers]);
    }

    [Fact]
    public void NextExponentialFillsEveryZigguratLayerAsExpOneDoes()
    {
        // Chi-square over quarters of the strips between the layers' edges (where a wrong table or a wrong
        // acceptance test would show, also within a strip), each quarter's probability e^-a - e^-b, plus the tail
        // beyond R.
        var rng = new Simulation(9).Rng("exp-layers");
        var layerEdges = ExponentialZiggurat.X.Skip(1).Reverse().ToArray();   // 0, ..., R ascending
        var edges = new List<double>();
        for (int k = 0; k + 1 < layerEdges.Length; k++)
            for (int q = 0; q < 4; q++) edges.Add(layerEdges[k] + q * (layerEdges[k + 1] - layerEdges[k]) / 4);
        edges.Add(layerEdges[^1]);
        var lower = edges.ToArray();
        int bins = lower.Length;   // the last bin is the tail
        var counts = new long[bins];
        const int n = 4_000_000;
        for (int i = 0; i < n; i++)
        {
            int k = Array.BinarySearch(lower, rng.NextExponential(1));
            counts[k >= 0 ? k : ~k - 1]++;
        }
        double chi2 = 0;
        for (int k = 0; k < bins; k++)
        {
            double expected = n * (Math.Exp(-lower[k]) - (k + 1 < bins ? Math.Exp(-lower[k + 1]) : 0));
            chi2 += (counts[k] - expected) * (counts[k] - expected) / expected;
        }
        double critical = MathNet.Numerics.Distributions.ChiSquared.InvCDF(bins - 1, 0.9999);
        Assert.True(chi2 < critical, $"chi2 {chi2} >= {critical}");
    }

    [Theory]
    [InlineData(7.69711747013104972)]   // R: the base layer's tail starts here
    [InlineData(10.0)]                 // beyond R + 1: the tail's own tail (a second pass through it)
    public void NextExponentialTailHasTheRightMass(double beyond)
    {
        var rng = new Simulation(10).Rng("exp-tail");
        const int n = 20_000_000;
        long over = 0;
        for (int i = 0; i < n; i++)
            if (rng.NextExponential(1) > beyond) over++;
        double p = Math.Exp(-beyond), expected = p * n, sd = Math.Sqrt(n * p * (1 - p));
        Assert.InRange(over, expected - 5 * sd - 1, expected + 5 * sd + 1);
    }

    [Fact]
    public void NextBoundedIsUniformOverItsRange()
    {
        var rng = new Simulation(8).Rng("bounded");
        const int k = 10, n = 200_000;
        var counts = new int[k];
        for (int i = 0; i < n; i++) counts[rng.NextBounded(k)]++;
        double expected = (double)n / k;
        double chi2 = counts.Sum(c => (c - expected) * (c - expected) / expected);
        double critical = MathNet.Numerics.Distributions.ChiSquared.InvCDF(k - 1, 0.9999);
        Assert.True(chi2 < critical, $"chi2 {chi2} >= {critical}");
        Assert.Equal(0UL, rng.NextBounded(1));
    }

    [Theory]
    [InlineData(1UL)]
    [InlineData(3UL)]
    [InlineData(5000UL)]
    [InlineData((1UL << 32) + 1)]
    [InlineData((1UL << 63) + 1)] // nearly half of all draws fall in the biased part and are drawn again
    [InlineData(ulong.MaxValue)]
    public void NextBoundedIsLemiresMethodOnTheStreamsDraws(ulong bound)
    {
        // Lemire (2019), "Fast random integer generation in an interval", as written there with a 128-bit product: the
        // same draws from a generator of the same seed, so both the result and the number of draws must agree.
        var rng = new RngStream(13, "bounded");
        var reference = new RngStream(13, "bounded");
        for (int i = 0; i < 20_000; i++)
        {
            UInt128 m = (UInt128)reference.NextUInt64() * bound;
            if ((ulong)m < bound)
            {
                ulong threshold = (0 - bound) % bound;
                while ((ulong)m < threshold) m = (UInt128)reference.NextUInt64() * bound;
            }
            Assert.Equal((ulong)(m >> 64), rng.NextBounded(bound));
        }
        Assert.Equal(reference.NextUInt64(), rng.NextUInt64());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(14)] // a 1 GiB guest of 64 KiB pages
    [InlineData(32)]
    [InlineData(63)]
    public void NextBitsIsNextBoundedOfThatPowerOfTwo(int bits)
    {
        // Lemire's method (checked against the paper above) with the bound 2^bits: the same results from the same draws.
        var rng = new RngStream(17, "bits");
        var reference = new RngStream(17, "bits");
        for (int i = 0; i < 20_000; i++) Assert.Equal(reference.NextBounded(1UL << bits), rng.State.NextBits(bits));
        Assert.Equal(reference.NextUInt64(), rng.NextUInt64());
    }

    /// <summary>Marsaglia and Tsang's ziggurat for Exp(1) on the module's tables, written out as in their paper.</summary>
    private static double ZigguratReference(RngStream rng)
    {
        double offset = 0;
        ulong bits = rng.NextUInt64();
        while (true)
        {
            int i = (int)(bits & 255);
            ulong j = bits >> 11;
            var layer = ExponentialZiggurat.Table[i];
            if (j < layer.Accept) return offset + j * layer.Scale;
            if (i == 0) offset += ExponentialZiggurat.R; // the tail: R + Exp(1)
            else
            {
                double x = j * layer.Scale, f = ExponentialZiggurat.F[i], next = ExponentialZiggurat.F[i + 1];
                if (f + rng.NextDouble() * (next - f) < Math.Exp(-x)) return offset + x;
            }
            bits = rng.NextUInt64();
        }
    }

    [Fact]
    public void ALocalCopyOfTheStateDrawsWhatTheStreamWouldDraw()
    {
        // RngState is the stream's state as a value: a copy taken at any point draws the stream's next numbers, checked
        // against the algorithms written out on a stream of the same seed (the exponential's slow path, which takes the
        // state by value and hands it back, included: over 100,000 draws about 1 % take it), and storing the copy back
        // puts the stream after them.
        var stream = new RngStream(21, "s");
        var copy = stream.State;
        var reference = new RngStream(21, "s");
        for (int i = 0; i < 100_000; i++)
        {
            Assert.Equal(3.5 * ZigguratReference(reference), copy.NextExponential(3.5));
            ulong x = reference.NextUInt64();
            Assert.Equal((x >> 11) * (1.0 / (1UL << 53)), copy.NextDouble());
            Assert.Equal(reference.NextUInt64() >> 11, copy.Next53());
        }
        Assert.NotEqual(reference.StateWord, stream.StateWord);
        stream.State = copy;
        Assert.Equal(reference.NextUInt64(), stream.NextUInt64());
    }
}
