using MathNet.Numerics.Distributions;

namespace HvSim.Analysis.Statistics;

/// <summary>
/// Mean, sample standard deviation and two-sided Student-t confidence interval of one metric over independent
/// replications. With one replication the spread is unknown: sd and the interval are NaN (empty cells in CSV).
/// </summary>
public readonly record struct ReplicationStats(int N, double Mean, double Sd, double CiLow, double CiHigh)
{
    public const double DefaultConfidence = 0.95;

    public double HalfWidth => (CiHigh - CiLow) / 2;

    public static ReplicationStats Of(IReadOnlyList<double> values, double confidence = DefaultConfidence)
    {
        var finite = values.Where(double.IsFinite).ToArray();
        int n = finite.Length;
        if (n == 0) return new ReplicationStats(0, double.NaN, double.NaN, double.NaN, double.NaN);
        double mean = MathNet.Numerics.Statistics.Statistics.Mean(finite);
        if (n == 1) return new ReplicationStats(1, mean, double.NaN, double.NaN, double.NaN);
        double sd = MathNet.Numerics.Statistics.Statistics.StandardDeviation(finite);
        double t = StudentT.InvCDF(0, 1, n - 1, 1 - (1 - confidence) / 2);
        double half = t * sd / Math.Sqrt(n);
        return new ReplicationStats(n, mean, sd, mean - half, mean + half);
    }

    /// <summary>The interval cut to the values the metric can take (a fraction's Student-t interval can reach past 1).</summary>
    public ReplicationStats ClampedTo(double low, double high) =>
        this with { CiLow = Math.Clamp(CiLow, low, high), CiHigh = Math.Clamp(CiHigh, low, high) };
}
