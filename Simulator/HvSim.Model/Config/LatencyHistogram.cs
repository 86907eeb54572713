using HvSim.Engine;

namespace HvSim.Model.Config;

/// <summary>One bucket of a measured service-time histogram: <see cref="Weight"/> of the requests took [lower, upper) ns.</summary>
public readonly record struct LatencyBucket(long LowerNs, long UpperNs, double Weight);

/// <summary>
/// An empirical service-time distribution (what `hvsim calibrate swap` measures): a bucket is drawn with probability
/// proportional to its weight, then a time uniformly inside it. Its quantiles are therefore those of the histogram
/// to within one bucket width, whatever shape the device has (a body near 50 us and a millisecond tail, which one
/// lognormal cannot match both of).
/// </summary>
public sealed class LatencyHistogram
{
    private readonly double[] _cumulative = [];

    public LatencyHistogram(IReadOnlyList<LatencyBucket> buckets) => Buckets = buckets;

    /// <summary>The buckets in increasing order (gaps allowed, no overlap), each with a weight >= 0; some weight > 0.</summary>
    public IReadOnlyList<LatencyBucket> Buckets
    {
        get;
        init
        {
            if (value.Count == 0) throw new ArgumentException("a latency histogram needs at least one bucket", nameof(Buckets));
            var cumulative = new double[value.Count];
            double sum = 0;
            long previousUpper = 0;
            for (int i = 0; i < value.Count; i++)
            {
                var b = value[i];
                if (b.LowerNs < previousUpper || b.UpperNs <= b.LowerNs)
                    throw new ArgumentException($"bucket {i + 1} [{b.LowerNs} ns, {b.UpperNs} ns) must be non-empty and start at or after the previous one's end", nameof(Buckets));
                if (!(b.Weight >= 0) || double.IsInfinity(b.Weight))
                    throw new ArgumentException($"bucket {i + 1} has weight {b.Weight}; weights must be finite and >= 0", nameof(Buckets));
                sum += b.Weight;
                cumulative[i] = sum;
                previousUpper = b.UpperNs;
            }
            if (!(sum > 0)) throw new ArgumentException("a latency histogram needs a bucket with a positive weight", nameof(Buckets));
            field = [.. value];
            _cumulative = cumulative;
        }
    }

    /// <summary>One service time, ns.</summary>
    public long Sample(RngStream rng)
    {
        double u = rng.NextDouble() * _cumulative[^1];
        int i = Array.BinarySearch(_cumulative, u);
        i = i < 0 ? ~i : i + 1; // the first bucket whose cumulative weight exceeds u
        if (i >= _cumulative.Length) i = _cumulative.Length - 1;
        while (Buckets[i].Weight == 0) i++; // u landed exactly on the end of a run of empty buckets
        var b = Buckets[i];
        return b.LowerNs + (long)(rng.NextDouble() * (b.UpperNs - b.LowerNs));
    }
}
