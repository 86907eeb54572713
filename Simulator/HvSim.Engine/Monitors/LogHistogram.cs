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

    /// <summary>The bucket of <paramref name="v"/> (inlined into <see cref="Add"/>: once per fault in the model).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
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

    /// <summary>The q-quantile (0..1) of this histogram's samples: <see cref="Quantile(IEnumerable{ValueTuple{double, double, long}}, double)"/> over its buckets.</summary>
    public double Quantile(double q) => Quantile(Buckets().Select(b => ((double)b.Lower, (double)b.Upper, b.Count)), q);

    /// <summary>
    /// THE percentile of a bucketed histogram (buckets in increasing order, [Lower, Upper)), wherever HvSim reports one:
    /// the bucket holding rank q·N, interpolated linearly between its bounds as if its samples were spread evenly
    /// (Prometheus' histogram_quantile). Within one bucket width of the exact sample quantile (1/64 of a power of two).
    /// The model's histograms, the console, summary.csv and the statistics read back from fault_latency.csv's buckets
    /// all use it, so they agree. NaN for an empty histogram.
    /// </summary>
    public static double Quantile(IEnumerable<(double Lower, double Upper, long Count)> buckets, double q)
    {
        if (q is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(q), q, "quantile must be in [0, 1]");
        var list = buckets as IReadOnlyList<(double Lower, double Upper, long Count)> ?? buckets.ToList();
        long total = 0;
        foreach (var b in list) total += b.Count;
        if (total == 0) return double.NaN;
        double rank = q * total;
        long before = 0;
        foreach (var b in list)
        {
            if (b.Count > 0 && before + b.Count >= rank)
                return b.Lower + (b.Upper - b.Lower) * Math.Max(0, rank - before) / b.Count;
            before += b.Count;
        }
        return list[^1].Upper;
    }
}
