namespace HvSim.Cli.Bench;

/// <summary>
/// How `hvsim bench batch` compares two worker counts fairly: after a warm-up pass, each repetition times both, and
/// which goes first alternates (1 worker first in even repetitions, N first in odd ones), so neither always pays for
/// what the other left behind (a heap to collect, caches to refill) or profits from it. The speed-up is the ratio of
/// the medians, shown with the spread of the repetitions.
/// </summary>
internal static class PairedTimings
{
    /// <summary>The worker counts in the order they are timed: <paramref name="repetitions"/> pairs of 1 and <paramref name="jobs"/>, alternating which is first.</summary>
    public static IEnumerable<int> Order(int repetitions, int jobs)
    {
        for (int r = 0; r < repetitions; r++)
        {
            yield return r % 2 == 0 ? 1 : jobs;
            yield return r % 2 == 0 ? jobs : 1;
        }
    }

    /// <summary>The middle value (the mean of the two middle ones for an even count).</summary>
    public static double Median(IReadOnlyList<double> values)
    {
        if (values.Count == 0) throw new ArgumentException("no values", nameof(values));
        var sorted = values.Order().ToArray();
        int mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
