using HvSim.Traces;

namespace HvSim.Scenarios.Loading;

/// <summary>
/// Distinct pages of the traces one scenario file replays, counted by the run's own scan
/// (<see cref="TraceWorkload.DistinctPages"/>) so validate and run cannot disagree, and once per
/// <see cref="TracePageSource"/> however many guests and sweep points replay the same trace: a trace can be large.
/// </summary>
internal sealed class TracePageCounts
{
    private readonly Dictionary<TracePageSource, (int Pages, string? Error)> _counts = [];

    /// <summary>The trace's distinct pages, or why the trace cannot be read.</summary>
    public (int Pages, string? Error) Of(TraceWorkload trace)
    {
        var source = trace.PageSource;
        if (_counts.TryGetValue(source, out var known)) return known;
        try
        {
            known = (trace.DistinctPages, null);
        }
        catch (Exception e) when (e is TraceException or IOException)
        {
            known = (0, e.Message);
        }
        _counts.Add(source, known);
        return known;
    }
}
