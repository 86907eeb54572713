using MathNet.Numerics.Distributions;

namespace HvSim.Analysis.Compare;

/// <summary>One run's value of a metric, with the replication and seed that tell a pair of runs apart.</summary>
public readonly record struct Sample(int Replication, ulong Seed, double Value);

/// <summary>How the interval of a difference was found.</summary>
public enum IntervalMethod
{
    /// <summary>No interval: a side has fewer than two runs, so the run-to-run spread is unknown.</summary>
    None,
    /// <summary>Student-t on the per-pair differences B − A: both folders ran the same replications with the same seeds.</summary>
    PairedT,
    /// <summary>Welch's t (unequal variances, Welch–Satterthwaite degrees of freedom): independent replications.</summary>
    WelchT,
}

/// <summary>
/// The difference B − A of one metric between two results folders, over their replications, with a two-sided
/// <see cref="Confidence"/> interval. Runs with the same replication and seed on both sides are paired (the same
/// random numbers, so the seed-to-seed noise cancels); otherwise the replications are independent samples.
/// </summary>
public readonly record struct MetricDifference(int NA, double MeanA, int NB, double MeanB, double CiLow, double CiHigh, IntervalMethod Method, double Confidence)
{
    public double Difference => MeanB - MeanA;

    /// <summary>(B − A) / |A|; null when A is 0 or missing (no relative change of nothing).</summary>
    public double? Relative => NA > 0 && NB > 0 && MeanA != 0 ? Difference / Math.Abs(MeanA) : null;

    public bool HasInterval => Method != IntervalMethod.None;

    /// <summary>The interval excludes 0: B differs from A beyond the replications' noise at this confidence.</summary>
    public bool Significant => HasInterval && (CiLow > 0 || CiHigh < 0);

    public const string NoSignificantDifference = "no significant difference";

    /// <summary>What the row says in words (compare.csv `verdict`, the report's last column).</summary>
    public string Verdict =>
        NA == 0 ? "only in B" :
        NB == 0 ? "only in A" :
        !HasInterval ? (NA == 1 && NB == 1 && MeanA == MeanB ? "equal (one run each: no interval)" : NA == 1 && NB == 1 ? "no interval (one run each)" : "no interval (one run on a side)") :
        !Significant ? NoSignificantDifference :
        Difference > 0 ? "B higher" : "B lower";

    /// <summary>
    /// B − A from each side's samples (non-finite values, such as the p99 of a run without faults, left out). Paired
    /// when both sides hold the same (replication, seed) runs, at least two; else Welch when each side has at least two.
    /// </summary>
    public static MetricDifference Of(IReadOnlyList<Sample> a, IReadOnlyList<Sample> b, double confidence = Statistics.ReplicationStats.DefaultConfidence)
    {
        var fa = a.Where(s => double.IsFinite(s.Value)).ToList();
        var fb = b.Where(s => double.IsFinite(s.Value)).ToList();
        double meanA = fa.Count > 0 ? fa.Average(s => s.Value) : double.NaN;
        double meanB = fb.Count > 0 ? fb.Average(s => s.Value) : double.NaN;
        var none = new MetricDifference(fa.Count, meanA, fb.Count, meanB, double.NaN, double.NaN, IntervalMethod.None, confidence);
        if (fa.Count < 2 || fb.Count < 2) return none;

        var pairs = Pairs(fa, fb);
        if (pairs is not null)
        {
            var d = pairs.Select(p => p.B - p.A).ToArray();
            var (low, high) = TInterval(d.Average(), Variance(d) / d.Length, d.Length - 1, confidence);
            return none with { CiLow = low, CiHigh = high, Method = IntervalMethod.PairedT };
        }
        double va = Variance(fa.Select(s => s.Value).ToArray()) / fa.Count, vb = Variance(fb.Select(s => s.Value).ToArray()) / fb.Count;
        // Welch–Satterthwaite; a side without spread adds nothing to the variance or the degrees of freedom.
        double denominator = (va > 0 ? va * va / (fa.Count - 1) : 0) + (vb > 0 ? vb * vb / (fb.Count - 1) : 0);
        double df = denominator > 0 ? (va + vb) * (va + vb) / denominator : 1; // no spread: the interval is the difference itself
        var (l, h) = TInterval(meanB - meanA, va + vb, df, confidence);
        return none with { CiLow = l, CiHigh = h, Method = IntervalMethod.WelchT };
    }

    /// <summary>The runs matched by (replication, seed) when both sides hold exactly the same ones; else null.</summary>
    private static List<(double A, double B)>? Pairs(List<Sample> a, List<Sample> b)
    {
        if (a.Count != b.Count) return null;
        var byKey = a.GroupBy(s => (s.Replication, s.Seed)).ToDictionary(g => g.Key, g => g.ToList());
        if (byKey.Values.Any(g => g.Count > 1)) return null;
        var pairs = new List<(double, double)>(b.Count);
        foreach (var s in b)
        {
            if (!byKey.Remove((s.Replication, s.Seed), out var match)) return null;
            pairs.Add((match[0].Value, s.Value));
        }
        return pairs;
    }

    /// <summary>estimate ± t(1 − α/2, df)·√variance; without spread the interval is the estimate itself.</summary>
    private static (double Low, double High) TInterval(double estimate, double variance, double df, double confidence)
    {
        if (!(variance > 0)) return (estimate, estimate);
        double t = StudentT.InvCDF(0, 1, df, 1 - (1 - confidence) / 2);
        double half = t * Math.Sqrt(variance);
        return (estimate - half, estimate + half);
    }

    /// <summary>Sample variance (n − 1).</summary>
    private static double Variance(double[] values) => MathNet.Numerics.Statistics.Statistics.Variance(values);
}
