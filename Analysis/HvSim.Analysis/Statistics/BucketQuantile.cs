namespace HvSim.Analysis.Statistics;

/// <summary>One bucket [Lower, Upper) of a latency histogram as fault_latency.csv lists it.</summary>
public readonly record struct LatencyBucket(double Lower, double Upper, long Count);

/// <summary>Percentiles and CDF points of a bucketed histogram (the LogHistogram buckets written to fault_latency.csv).</summary>
public static class BucketQuantile
{
    /// <summary>
    /// The q-quantile (0..1) assuming samples are spread evenly inside their bucket: find the bucket that holds rank
    /// q·N and interpolate linearly between its bounds (the usual histogram_quantile estimate; error below one bucket
    /// width, i.e. 1/64 of a power of two). NaN for an empty histogram.
    /// </summary>
    public static double Quantile(IReadOnlyList<LatencyBucket> buckets, double q)
    {
        if (q is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(q), q, "quantile must be in [0, 1]");
        var sorted = Merge(buckets);
        long total = sorted.Sum(b => b.Count);
        if (total == 0) return double.NaN;
        double rank = q * total;
        long before = 0;
        foreach (var b in sorted)
        {
            if (before + b.Count >= rank)
                return b.Lower + (b.Upper - b.Lower) * Math.Max(0, rank - before) / b.Count;
            before += b.Count;
        }
        return sorted[^1].Upper;
    }

    /// <summary>Buckets with the same bounds added together (e.g. all guests of a run), sorted by lower bound.</summary>
    public static List<LatencyBucket> Merge(IEnumerable<LatencyBucket> buckets) =>
        buckets.Where(b => b.Count > 0)
            .GroupBy(b => (b.Lower, b.Upper))
            .Select(g => new LatencyBucket(g.Key.Lower, g.Key.Upper, g.Sum(b => b.Count)))
            .OrderBy(b => b.Lower)
            .ToList();

    /// <summary>Empirical CDF at each bucket's upper bound: the fraction of samples below it.</summary>
    public static (double[] X, double[] F) Cdf(IEnumerable<LatencyBucket> buckets)
    {
        var sorted = Merge(buckets);
        double total = sorted.Sum(b => b.Count);
        var x = new double[sorted.Count];
        var f = new double[sorted.Count];
        long seen = 0;
        for (int i = 0; i < sorted.Count; i++)
        {
            seen += sorted[i].Count;
            x[i] = sorted[i].Upper;
            f[i] = seen / total;
        }
        return (x, f);
    }
}
