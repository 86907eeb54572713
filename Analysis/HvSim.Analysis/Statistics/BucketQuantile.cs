namespace HvSim.Analysis.Statistics;

/// <summary>One bucket [Lower, Upper) of a latency histogram as fault_latency.csv lists it.</summary>
public readonly record struct LatencyBucket(double Lower, double Upper, long Count);

/// <summary>Percentiles and CDF points of a bucketed histogram (the LogHistogram buckets written to fault_latency.csv).</summary>
public static class BucketQuantile
{
    /// <summary>The q-quantile (0..1) of the buckets, merged: <see cref="HvSim.Engine.Monitors.LogHistogram.Quantile(IEnumerable{ValueTuple{double, double, long}}, double)"/>, the one definition.</summary>
    public static double Quantile(IReadOnlyList<LatencyBucket> buckets, double q) =>
        HvSim.Engine.Monitors.LogHistogram.Quantile(Merge(buckets).Select(b => (b.Lower, b.Upper, b.Count)), q);

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
