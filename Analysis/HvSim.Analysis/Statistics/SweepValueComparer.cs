namespace HvSim.Analysis.Statistics;

/// <summary>Orders sweep points numerically where values are numbers (2 before 10), else ordinally.</summary>
internal sealed class SweepValueComparer : IComparer<IReadOnlyList<string>>
{
    public static readonly SweepValueComparer Instance = new();

    public int Compare(IReadOnlyList<string>? x, IReadOnlyList<string>? y)
    {
        x ??= []; y ??= [];
        for (int i = 0; i < Math.Min(x.Count, y.Count); i++)
        {
            int c = SweepValue.TryNumber(x[i], out double a) && SweepValue.TryNumber(y[i], out double b)
                ? a.CompareTo(b) : string.CompareOrdinal(x[i], y[i]);
            if (c != 0) return c;
        }
        return x.Count.CompareTo(y.Count);
    }
}
