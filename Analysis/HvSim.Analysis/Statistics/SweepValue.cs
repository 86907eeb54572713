using System.Globalization;

namespace HvSim.Analysis.Statistics;

/// <summary>Reads a swept value as a number for plotting: plain numbers and sizes/durations with units ("64GiB", "8ms", "50%").</summary>
public static class SweepValue
{
    private static readonly (string Suffix, double Scale)[] Units =
    [
        ("KiB", 1024d), ("MiB", 1024d * 1024), ("GiB", 1024d * 1024 * 1024), ("TiB", 1024d * 1024 * 1024 * 1024),
        ("KB", 1e3), ("MB", 1e6), ("GB", 1e9), ("TB", 1e12), ("ns", 1e-9), ("us", 1e-6), ("ms", 1e-3), ("%", 1), ("s", 1),
    ];

    public static bool TryNumber(string text, out double value)
    {
        text = text.Trim();
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value)) return true;
        foreach (var (suffix, scale) in Units)
            if (text.EndsWith(suffix, StringComparison.Ordinal)
                && double.TryParse(text[..^suffix.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out double v))
            {
                value = v * scale;
                return true;
            }
        value = double.NaN;
        return false;
    }
}
