using HvSim.Engine;

namespace HvSim.Model.Workloads;

/// <summary>
/// The random part of one page choice, drawn before the page is known: a slot (a page, a popularity rank, an alias-table
/// column) and, for an alias table, the fraction of the column that decides between its rank and its alias.
/// </summary>
internal readonly record struct PageDraw(int Slot, double Fraction = 0);

/// <summary>
/// How a synthetic workload picks its pages, in two parts so that a look-ahead can draw a choice early and resolve it
/// later: <see cref="Draw"/> takes every random number the choice needs, <see cref="Resolve"/> turns the draw into a page.
/// A struct, so <see cref="SyntheticSource{TChoice}"/> is compiled once per workload kind with both inlined.
/// </summary>
internal interface IPageChoice
{
    /// <summary>
    /// <see cref="Resolve"/> reads a table at a random place (a cache miss worth hinting ahead: <see cref="AccessLookahead"/>),
    /// and the draws are a function of the random stream alone (and the time), so a copy of the stream predicts them.
    /// </summary>
    bool LooksAhead { get; }

    /// <summary>All the draws of the next page choice at <paramref name="now"/>, from <paramref name="rng"/>.</summary>
    PageDraw Draw(RngStream rng, long now);

    /// <summary>A hint that <see cref="Resolve"/> will soon read what it reads for <paramref name="draw"/> (<see cref="CacheHint"/>).</summary>
    void Prefetch(in PageDraw draw);

    /// <summary>The guest page <paramref name="draw"/> lands on, or -1 when the stream has ended.</summary>
    int Resolve(in PageDraw draw);
}

/// <summary>
/// What every synthetic stream shares: a page choice from the workload, then a load/store draw with the spec's write
/// fraction and an exponential think time with the spec's mean. A choice that reads a table looks ahead for prefetch
/// hints (<see cref="AccessLookahead"/>), which draws nothing from the stream.
/// </summary>
internal sealed class SyntheticSource<TChoice> : IAccessSource where TChoice : struct, IPageChoice
{
    private readonly RngStream _rng;
    private readonly AccessDraws _draws;
    private readonly AccessLookahead? _lookahead;
    private TChoice _choice;

    public SyntheticSource(WorkloadSpec spec, TChoice choice, RngStream rng)
    {
        _rng = rng;
        _draws = new AccessDraws(spec);
        _choice = choice;
        _lookahead = choice.LooksAhead ? new AccessLookahead(rng) : null;
    }

    public bool Next(long now, ref GuestAccess access)
    {
        int page = _choice.Resolve(_choice.Draw(_rng, now));
        if (page < 0) return false;
        access.Page = page;
        _draws.Draw(_rng, ref access);
        _lookahead?.Advance(ref _choice, _draws, now);
        return true;
    }
}

/// <summary>The draws of an access after its page: a store with the spec's write fraction, then the think time before it.</summary>
internal readonly struct AccessDraws(WorkloadSpec spec)
{
    private readonly double _writeFraction = spec.WriteFraction;
    private readonly double _thinkNs = spec.ThinkNs;

    /// <summary>Draws <paramref name="access"/>'s store flag and think time from <paramref name="rng"/>.</summary>
    public void Draw(RngStream rng, ref GuestAccess access)
    {
        access.IsWrite = _writeFraction > 0 && rng.NextDouble() < _writeFraction;
        access.ThinkNs = _thinkNs > 0 ? (long)Math.Round(rng.NextExponential(_thinkNs)) : 0;
    }
}
