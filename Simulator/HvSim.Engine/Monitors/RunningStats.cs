namespace HvSim.Engine.Monitors;

/// <summary>Running count, mean, variance, min and max of samples (Welford's update: stable, O(1), allocation-free).</summary>
public sealed class RunningStats
{
    private double _mean;
    private double _m2;

    public long Count { get; private set; }
    public double Min { get; private set; } = double.NaN;
    public double Max { get; private set; } = double.NaN;
    public double Mean => Count == 0 ? double.NaN : _mean;

    /// <summary>Unbiased sample variance (n - 1 denominator); NaN below two samples.</summary>
    public double Variance => Count < 2 ? double.NaN : _m2 / (Count - 1);

    public double StdDev => Math.Sqrt(Variance);

    public void Add(double x)
    {
        Count++;
        double delta = x - _mean;
        _mean += delta / Count;
        _m2 += delta * (x - _mean);
        if (Count == 1) { Min = x; Max = x; }
        else
        {
            if (x < Min) Min = x;
            if (x > Max) Max = x;
        }
    }

    /// <summary>Combine with another set of samples (Chan et al. parallel update).</summary>
    public void Merge(RunningStats other)
    {
        if (other.Count == 0) return;
        if (Count == 0)
        {
            Count = other.Count; _mean = other._mean; _m2 = other._m2; Min = other.Min; Max = other.Max;
            return;
        }
        long n = Count + other.Count;
        double delta = other._mean - _mean;
        _m2 += other._m2 + delta * delta * Count * other.Count / n;
        _mean += delta * other.Count / n;
        Count = n;
        Min = Math.Min(Min, other.Min);
        Max = Math.Max(Max, other.Max);
    }
}
