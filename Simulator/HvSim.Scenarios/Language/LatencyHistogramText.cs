using System.Globalization;
using HvSim.Model.Config;

namespace HvSim.Scenarios.Language;

/// <summary>
/// The written form of a measured latency histogram (`swap.latency_histogram`): comma-separated buckets
/// `LOWER..UPPER WEIGHT`, durations with units, e.g. `40us..50us 120, 50us..60us 300, 1ms..2ms 9`.
/// `hvsim calibrate swap` writes it with <see cref="Format"/>; the loader reads it with <see cref="Parse"/>.
/// </summary>
public static class LatencyHistogramText
{
    public const string Allowed = "comma-separated buckets LOWER..UPPER WEIGHT in increasing order, e.g. '40us..50us 120, 50us..60us 300, 1ms..2ms 9'";

    /// <summary>Parses the written form; a bad bucket throws <see cref="ArgumentException"/> naming it.</summary>
    public static LatencyHistogram Parse(string text)
    {
        var buckets = new List<LatencyBucket>();
        foreach (var (item, index) in text.Split(',').Select((item, index) => (item.Trim(), index + 1)))
        {
            var parts = item.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var range = parts.Length == 2 ? parts[0].Split("..") : [];
            if (range.Length != 2 || !Units.TryParseDuration(range[0], out long lower) || !Units.TryParseDuration(range[1], out long upper)
                || !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double weight))
                throw new ArgumentException($"bucket {index} '{ValueParser.Shorten(item)}' is not LOWER..UPPER WEIGHT (durations with units, a number)");
            buckets.Add(new LatencyBucket(lower, upper, weight));
        }
        return new LatencyHistogram(buckets);
    }

    /// <summary>The written form of <paramref name="histogram"/>, which <see cref="Parse"/> reads back exactly.</summary>
    public static string Format(LatencyHistogram histogram) =>
        string.Join(", ", histogram.Buckets.Select(b =>
            $"{Units.FormatDuration(b.LowerNs)}..{Units.FormatDuration(b.UpperNs)} {b.Weight.ToString("R", CultureInfo.InvariantCulture)}"));
}
