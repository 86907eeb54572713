using System.Globalization;

namespace HvSim.Analysis.Planning;

/// <summary>The quantities a service-level objective can bound.</summary>
public enum SloMetric
{
    /// <summary>99th percentile HDSI latency over all guests of a run, µs.</summary>
    P99FaultLatencyUs,
    /// <summary>Mean stall fraction of the admitted guests, as a fraction (0.05 = 5 %).</summary>
    MeanStallFraction,
    /// <summary>Slowdown factor of the admitted guests together (Statistics/Slowdown: 2 = the same work takes twice as long).</summary>
    SlowdownFactor,
    /// <summary>Major faults per simulated second, mean over admitted guests.</summary>
    MajorFaultsPerSecondPerGuest,
}

/// <summary>One bound "metric ≤ limit".</summary>
public sealed record SloLimit(SloMetric Metric, double Limit)
{
    public string MetricName => Names[Metric];

    public static readonly IReadOnlyDictionary<SloMetric, string> Names = new Dictionary<SloMetric, string>
    {
        [SloMetric.P99FaultLatencyUs] = "p99_fault_latency_us",
        [SloMetric.MeanStallFraction] = "mean_stall_fraction",
        [SloMetric.SlowdownFactor] = "slowdown_factor",
        [SloMetric.MajorFaultsPerSecondPerGuest] = "major_faults_per_s_per_guest",
    };

    public static bool TryParse(string name, out SloMetric metric)
    {
        foreach (var (m, n) in Names)
            if (n == name) { metric = m; return true; }
        metric = default;
        return false;
    }

    /// <summary>The unit values of this metric are shown in (the slowdown, a fraction, as a percentage).</summary>
    public string Unit => Metric switch
    {
        SloMetric.P99FaultLatencyUs => "us",
        SloMetric.MeanStallFraction => "%",
        SloMetric.SlowdownFactor => "×",
        _ => "faults/s",
    };

    /// <summary>A value of this metric as a person reads it: "12070 us", "7.12 %", "3.5 faults/s".</summary>
    public string Format(double value) => Metric == SloMetric.SlowdownFactor ? $"{Number(value)}{Unit}" : $"{Number(value)} {Unit}";

    /// <summary>
    /// The number alone, in <see cref="Unit"/>: never exponent notation ("1.207E+04" hid the magnitude), whole
    /// numbers from 1000 up, four significant digits below, and no thousands separator, as it also sits in CSV text.
    /// </summary>
    public string Number(double value)
    {
        double v = Metric == SloMetric.MeanStallFraction ? value * 100 : value;
        return Math.Abs(v) >= 1000 ? Math.Round(v).ToString("0", CultureInfo.InvariantCulture) : Report.HtmlReport.Num(v);
    }

    public override string ToString() => $"{MetricName} ≤ {Format(Limit)}";
}

/// <summary>
/// A service-level objective: every bound must hold with the stated confidence, i.e. the upper end of the metric's
/// two-sided <see cref="Confidence"/> Student-t interval over replications is at or below the limit.
/// </summary>
public sealed record Slo(IReadOnlyList<SloLimit> Limits, double Confidence = 0.95)
{
    public override string ToString() => string.Join(" and ", Limits.Select(l => l.ToString()));
}
