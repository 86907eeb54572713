using HvSim.Analysis.Report;
using HvSim.Analysis.Statistics;

namespace HvSim.Analysis.Compare;

/// <summary>
/// A metric's values and differences as a reader wants them, by the metric's unit: fractions in % (differences in
/// percentage points), latencies in µs, ms or s, sizes in KiB, MiB or GiB; never raw bytes or exponent notation.
/// </summary>
public static class MetricText
{
    public static string Value(Metric metric, double value) => Format(metric, value, difference: false);

    /// <summary>A difference B − A, signed ("+1.2 ms", "−3 pp").</summary>
    public static string Difference(Metric metric, double value) =>
        !double.IsFinite(value) ? "–" : (value > 0 ? "+" : value < 0 ? "−" : "") + Format(metric, Math.Abs(value), difference: true);

    private static string Format(Metric metric, double v, bool difference)
    {
        if (!double.IsFinite(v)) return "–";
        switch (metric.Unit)
        {
            case "fraction":
                return $"{HtmlReport.Num(v * 100)} {(difference ? "pp" : "%")}";
            case "us":
                double a = Math.Abs(v);
                return a >= 1e6 ? $"{HtmlReport.Num(v / 1e6)} s" : a >= 1e3 ? $"{HtmlReport.Num(v / 1e3)} ms" : $"{HtmlReport.Num(v)} µs";
            case "bytes":
                foreach (var (suffix, factor) in Binary)
                    if (Math.Abs(v) >= factor) return $"{HtmlReport.Num(v / factor)} {suffix}";
                return $"{HtmlReport.Num(v)} B";
            case "1/s":
                return $"{HtmlReport.Num(v)} /s";
            case "ratio" or "x": // overcommit, and the slowdown factor (MetricDisplay shows "x" as × too)
                return $"{HtmlReport.Num(v)}×";
            case "count" or "guests" or "pages":
                return HtmlReport.Num(v); // the metric's name says what is counted
            default:
                return $"{HtmlReport.Num(v)} {metric.Unit}";
        }
    }

    /// <summary>" [low, high]" after a difference; " (no spread)" when every replication gave the same difference; empty without an interval.</summary>
    public static string Interval(Metric metric, MetricDifference d) =>
        !d.HasInterval ? "" : d.CiLow == d.CiHigh ? " (no spread)" : $" [{Difference(metric, d.CiLow)}, {Difference(metric, d.CiHigh)}]";

    private static readonly (string Suffix, double Factor)[] Binary = [("GiB", 1L << 30), ("MiB", 1L << 20), ("KiB", 1L << 10)];
}
