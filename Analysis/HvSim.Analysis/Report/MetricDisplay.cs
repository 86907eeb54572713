using HvSim.Analysis.Statistics;

namespace HvSim.Analysis.Report;

/// <summary>
/// How a metric is shown to a reader, in the report and on the console alike: its label and a unit a person reads
/// (%, ×, µs/ms/s, KiB/MiB/GiB, M accesses/s), never raw fractions, bytes or ns. Times and sizes pick the unit that
/// suits the largest value shown, so a column reads 4.48 ms rather than 4,480 µs.
/// </summary>
public sealed record MetricDisplay(string Label, string Unit, double Scale)
{
    public string Header => Unit.Length == 0 ? Label : $"{Label} ({Unit})";

    /// <summary>The display of <paramref name="metric"/> for values up to <paramref name="largest"/> (in the metric's own unit).</summary>
    /// <param name="perGuest">For one guest's value: host-wide labels ("Host throughput") lose their "host".</param>
    public static MetricDisplay For(Metric metric, double largest = double.NaN, bool perGuest = false)
    {
        string label = metric.Label;
        if (perGuest && metric == Metric.HostThroughput) label = "Throughput";
        double max = double.IsFinite(largest) ? Math.Abs(largest) : 0;
        return metric.Unit switch
        {
            "fraction" => new(label, "%", 100),
            "x" => new(label, "×", 1),
            "accesses/s" => max >= 1e6 ? new(label, "M accesses/s", 1e-6) : max >= 1e3 ? new(label, "k accesses/s", 1e-3) : new(label, "accesses/s", 1),
            "us" => max >= 1e6 ? new(label, "s", 1e-6) : max >= 1e3 ? new(label, "ms", 1e-3) : new(label, "µs", 1),
            "bytes" => max >= 1L << 30 ? new(label, "GiB", 1.0 / (1L << 30)) : max >= 1 << 20 ? new(label, "MiB", 1.0 / (1 << 20)) : new(label, "KiB", 1.0 / 1024),
            "guests" or "count" or "pages" or "ratio" => new(label, "", 1),
            "1/s" => new(label, "", 1), // the label says per second
            var unit => new(label, unit, 1),
        };
    }

    /// <summary>The largest mean of a column's cells, which picks its unit (ms or µs, MiB or GiB).</summary>
    public static double Largest(IEnumerable<ReplicationStats> cells) =>
        cells.Where(s => s.N > 0 && double.IsFinite(s.Mean)).Select(s => Math.Abs(s.Mean)).DefaultIfEmpty(double.NaN).Max();

    /// <summary>"POWER7" or "PPC970", with the sweep point when there is one: who a row or a warning is about.</summary>
    public static string Who(string platform, Tables.SweepPoint point) =>
        Plots.SeriesColors.PlatformLabel(platform) + (point.Parameters.Count > 0 ? $" ({point})" : "");

    /// <summary>A time given in µs in the unit that suits it: "850 µs", "4.48 ms", "17.6 s".</summary>
    public static string Time(double us) => For(TimeUs, us) is var d ? $"{d.Format(us)} {d.Unit}" : "";

    private static readonly Metric TimeUs = new("time", "us", "");

    /// <summary>A value in this display's unit, as <see cref="HtmlReport.Num"/> writes numbers ("–" when undefined).</summary>
    public string Format(double value) => double.IsFinite(value) ? HtmlReport.Num(value * Scale) : "–";
}
