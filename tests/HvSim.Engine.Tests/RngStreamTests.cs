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
}
