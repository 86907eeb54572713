using System.Globalization;
using System.Text.RegularExpressions;

namespace HvSim.Scenarios.Language;

/// <summary>Values with units as scenario files write them: sizes (64KiB), durations (250ns, 8ms), percentages (30%).</summary>
public static partial class Units
{
    public static readonly IReadOnlyList<(string Suffix, long Factor)> SizeUnits =
    [
        ("B", 1), ("KiB", 1L << 10), ("MiB", 1L << 20), ("GiB", 1L << 30), ("TiB", 1L << 40),
        ("KB", 1_000), ("MB", 1_000_000), ("GB", 1_000_000_000), ("TB", 1_000_000_000_000),
    ];

    public static readonly IReadOnlyList<(string Suffix, long Factor)> DurationUnits =
    [
        ("ns", 1), ("us", 1_000), ("µs", 1_000), ("ms", 1_000_000), ("s", 1_000_000_000), ("min", 60_000_000_000), ("h", 3_600_000_000_000),
    ];

    public const string SizeAllowed = "an integer number of bytes or a number with a unit B, KiB, MiB, GiB, TiB, KB, MB, GB, TB (e.g. 64KiB, 8GiB, 1.5GiB)";
    public const string DurationAllowed = "a number with a unit ns, us, ms, s, min, h (e.g. 250ns, 10us, 8ms, 60s)";
    public const string BandwidthAllowed = "a size per second, e.g. 500MB/s or 120MiB/s (0 = unlimited)";
    public const string FractionAllowed = "a fraction 0..1 or a percentage such as 30%";

    [GeneratedRegex(@"^\s*([0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)\s*([A-Za-zµ]*)\s*$")]
    private static partial Regex NumberWithUnit();

    public static bool TryParseSize(string text, out long bytes) => TryParseScaled(text, SizeUnits, defaultFactor: 1, out bytes);

    public static bool TryParseDuration(string text, out long ns) =>
        // A bare 0 is unambiguous; any other bare number must say its unit.
        text.Trim() == "0" ? (ns = 0) == 0 : TryParseScaled(text, DurationUnits, defaultFactor: null, out ns);

    public static bool TryParseBandwidth(string text, out long bytesPerSecond)
    {
        var t = text.Trim();
        if (t == "0") { bytesPerSecond = 0; return true; }
        if (!t.EndsWith("/s", StringComparison.Ordinal)) { bytesPerSecond = 0; return false; }
        return TryParseScaled(t[..^2], SizeUnits, defaultFactor: null, out bytesPerSecond);
    }

    public static bool TryParseFraction(string text, out double fraction)
    {
        var t = text.Trim();
        bool percent = t.EndsWith('%');
        if (percent) t = t[..^1].TrimEnd();
        if (!double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out fraction) || !double.IsFinite(fraction))
            return false;
        if (percent) fraction /= 100;
        return true;
    }

    private static bool TryParseScaled(string text, IReadOnlyList<(string Suffix, long Factor)> units, long? defaultFactor, out long value)
    {
        value = 0;
        var m = NumberWithUnit().Match(text);
        if (!m.Success) return false;
        long factor;
        var unit = m.Groups[2].Value;
        if (unit.Length == 0)
        {
            if (defaultFactor is null) return false;
            factor = defaultFactor.Value;
        }
        else
        {
            var found = units.FirstOrDefault(u => string.Equals(u.Suffix, unit, StringComparison.Ordinal));
            if (found.Suffix is null) return false;
            factor = found.Factor;
        }
        var number = m.Groups[1].Value;
        if (!number.Contains('.') && !number.Contains('e') && !number.Contains('E'))
        {
            if (!long.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var whole)) return false;
            try { value = checked(whole * factor); return true; }
            catch (OverflowException) { return false; }
        }
        if (!decimal.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)) return false;
        var scaled = d * factor;
        // Fractional values must land on a whole byte / nanosecond.
        if (scaled != decimal.Truncate(scaled) || scaled > long.MaxValue) return false;
        value = (long)scaled;
        return true;
    }

    /// <summary>Shortest exact rendering with the largest binary unit (for docs and messages).</summary>
    public static string FormatSize(long bytes) => FormatExact(bytes, [("TiB", 1L << 40), ("GiB", 1L << 30), ("MiB", 1L << 20), ("KiB", 1L << 10)], "B");

    /// <summary>A size in the largest binary unit it reaches, to 2 decimals (95.37GiB), for messages that compare sizes.</summary>
    public static string FormatSizeApprox(long bytes)
    {
        foreach (var (suffix, factor) in new[] { ("TiB", 1L << 40), ("GiB", 1L << 30), ("MiB", 1L << 20), ("KiB", 1L << 10) })
            if (Math.Abs(bytes) >= factor) return (bytes / (double)factor).ToString("0.##", CultureInfo.InvariantCulture) + suffix;
        return bytes.ToString(CultureInfo.InvariantCulture) + "B";
    }

    /// <summary>
    /// A size for error messages: exact when that reads well (16GiB), otherwise to 2 decimals with the exact value
    /// after it (62.51GiB (65544688KiB)), so a limit can be read at a glance and still be copied into the file.
    /// </summary>
    public static string FormatSizeReadable(long bytes)
    {
        string exact = FormatSize(bytes), approx = FormatSizeApprox(bytes);
        return exact == approx ? exact : $"{approx} ({exact})";
    }

    public static string FormatDuration(long ns) => ns == 0 ? "0" :
        FormatExact(ns, [("h", 3_600_000_000_000), ("min", 60_000_000_000), ("s", 1_000_000_000), ("ms", 1_000_000), ("us", 1_000)], "ns");

    public static string FormatBandwidth(long bytesPerSecond) => bytesPerSecond == 0 ? "0" :
        FormatExact(bytesPerSecond, [("GB", 1_000_000_000), ("MB", 1_000_000), ("KB", 1_000)], "B") + "/s";

    private static string FormatExact(long value, (string Suffix, long Factor)[] units, string baseUnit)
    {
        foreach (var (suffix, factor) in units)
            if (value != 0 && value % factor == 0) return (value / factor).ToString(CultureInfo.InvariantCulture) + suffix;
        return value.ToString(CultureInfo.InvariantCulture) + baseUnit;
    }
}
