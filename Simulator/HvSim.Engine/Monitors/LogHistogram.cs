namespace HvSim.Engine.Monitors;

/// <summary>
/// Fixed-bucket logarithmic histogram of non-negative integer samples (e.g. latencies in ns): 64 linear
/// sub-buckets per power of two, so any percentile is within 1/64 (1.6 %) of the true sample, and the bucket-midpoint
/// estimate within half that. Adding allocates nothing.
/// </summary>
public sealed class LogHistogram
{
    public const int SubBits = 6;
    private const int Sub = 1 << SubBits;
    private readonly long[] _counts = new long[64 * Sub];

    public long Count { get; private set; }
    public long Min { get; private set; } = long.MaxValue;
    public long Max { get; private set; } = long.MinValue;
    public double Sum { get; private set; }
    public double Mean => Count == 0 ? double.NaN : Sum / Count;

    public void Add(long value)
    {
        if (value < 0) throw new ArgumentOutOfRangeException(nameof(value), value, "samples must be >= 0");
        _counts[BucketOf(value)]++;
        Count++;
        Sum += value;
        if (value < Min) Min = value;
        if (value > Max) Max = value;
    }

    public void Merge(LogHistogram other)
    {
        for (int i = 0; i < _counts.Length; i++) _counts[i] += other._counts[i];
        Count += other.Count;
        Sum += other.Sum;
        if (other.Count > 0)
        {
            Min = Math.Min(Min, other.Min);
            Max = Math.Max(Max, other.Max);
        }
    }

    internal static int BucketOf(long v)
    {
        if (v < Sub) return (int)v;
        int exp = 63 - System.Numerics.BitOperations.LeadingZeroCount((ulong)v); // >= SubBits
        int shift = exp - SubBits;
        return (shift + 1) * Sub + (int)((v >> shift) & (Sub - 1));
    }

    /// <summary>
    /// Inclusive lower and exclusive upper bound of bucket <paramref name="b"/> (the top bucket's upper bound,
    /// 2^63, is reported as <see cref="long.MaxValue"/>).
    /// </summary>
    public static (long Lower, long Upper) BucketBounds(int b)
    {
        if (b < Sub) return (b, b + 1);
        int shift = b / Sub - 1;
        long lower = ((long)Sub + b % Sub) << shift;
        long width = 1L << shift;
        return (lower, lower > long.MaxValue - width ? long.MaxValue : lower + width);
    }

    /// <summary>Non-empty buckets in increasing order.</summary>
    public IEnumerable<(long Lower, long Upper, long Count)> Buckets()
    {
        for (int b = 0; b < _counts.Length; b++)
            if (_counts[b] != 0)
            {
                var (lo, hi) = BucketBounds(b);
                yield return (lo, hi, _counts[b]);
            }
    }

    /// <summary>The q-quantile (0..1): midpoint of the bucket holding the ceil(q*Count)-th sample, clamped to [Min, Max].</summary>
    public double Quantile(double q)
    {
        if (Count == 0) return double.NaN;
        long rank = Math.Max(1, (long)Math.Ceiling(q * Count));
        long seen = 0;
        for (int b = 0; b < _counts.Length; b++)
        {
            seen += _counts[b];
            if (seen >= rank)
            {
                var (lo, hi) = BucketBounds(b);
                return Math.Clamp(lo + (hi - 1 - lo) / 2.0, Min, Max);
            }
        }
        return Max;
    }
}
