namespace HvSim.Analysis.Statistics;

/// <summary>Guest names in natural order: guest2 before guest10.</summary>
public sealed class GuestNameComparer : IComparer<string>
{
    public static readonly GuestNameComparer Instance = new();

    public int Compare(string? a, string? b)
    {
        a ??= "";
        b ??= "";
        var (pa, na) = Split(a);
        var (pb, nb) = Split(b);
        int c = string.CompareOrdinal(pa, pb);
        return c != 0 ? c : na != nb ? na.CompareTo(nb) : string.CompareOrdinal(a, b);
    }

    private static (string Prefix, long Number) Split(string s)
    {
        int i = s.Length;
        while (i > 0 && char.IsAsciiDigit(s[i - 1])) i--;
        return i < s.Length && i > s.Length - 18 ? (s[..i], long.Parse(s[i..], System.Globalization.CultureInfo.InvariantCulture)) : (s, -1);
    }
}
