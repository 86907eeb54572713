using System.Runtime.CompilerServices;
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

    /// <summary>
    /// A choice is a function of the random stream alone: not of the time, and with no state of its own (so it never
    /// ends). A stream of such choices can be drawn ahead (<see cref="AccessWindow"/>) and the drawn accesses dropped
    /// again, without a trace, when someone else turns out to draw from the same generator.
    /// </summary>
    bool Pure { get; }

    /// <summary>All the draws of the next page choice at <paramref name="now"/>, from <paramref name="rng"/>.</summary>
    PageDraw Draw(ref RngState rng, long now);

    /// <summary>A hint that <see cref="Resolve"/> will soon read what it reads for <paramref name="draw"/> (<see cref="CacheHint"/>).</summary>
    void Prefetch(in PageDraw draw);

    /// <summary>The guest page <paramref name="draw"/> lands on, or -1 when the stream has ended.</summary>
    int Resolve(in PageDraw draw);
}

/// <summary>
/// What every synthetic stream shares: a page choice from the workload, then a load/store draw with the spec's write
/// fraction and an exponential think time with the spec's mean. A pure choice (<see cref="IPageChoice.Pure"/>) fills a
/// vCPU's <see cref="AccessWindow"/> with a window of accesses at a time, drawn from a local copy of the generator; else
/// the window gets one access at a time (<see cref="Next"/>), and a choice that reads a table looks ahead for prefetch
/// hints (<see cref="AccessLookahead"/>), which draws nothing from the stream.
/// </summary>
internal sealed class SyntheticSource<TChoice> : IAccessSource where TChoice : struct, IPageChoice
{
    private readonly RngStream _rng;
    private readonly AccessDraws _draws;
    private readonly AccessLookahead? _lookahead;
    /// <summary>A window's page draws between its draw pass and its resolve pass (a pure choice that looks ahead).</summary>
    private readonly PageDraw[]? _pageDraws;
    private TChoice _choice;

    public SyntheticSource(WorkloadSpec spec, TChoice choice, RngStream rng)
    {
        _rng = rng;
        _draws = new AccessDraws(spec);
        _choice = choice;
        _lookahead = choice.LooksAhead ? new AccessLookahead(rng) : null;
        _pageDraws = choice.LooksAhead && choice.Pure ? new PageDraw[AccessWindow.Size] : null;
    }

    public bool Next(long now, ref GuestAccess access)
    {
        int page = _choice.Resolve(_choice.Draw(ref _rng.State, now));
        if (page < 0) return false;
        access.Page = page;
        _draws.Draw(ref _rng.State, ref access);
        _lookahead?.Advance(ref _choice, _draws, now);
        return true;
    }

    /// <summary>
    /// A pure choice's accesses, <see cref="AccessWindow.Size"/> at a time, each drawn as <see cref="Next"/> draws it, on a
    /// copy of the generator held in registers (from where the window's last access left it); the window records the
    /// generator's state before each access, to put the generator where <see cref="Next"/> would have left it
    /// (<see cref="AccessWindow.Leave"/>). A choice that reads a
    /// table draws the whole window first, hinting each table read, then resolves it: the window's cache misses overlap.
    /// </summary>
    public bool Fill(long now, AccessWindow window)
    {
        if (!_choice.Pure) return window.FillOne(this, now);
        // The think time's draw has a slow path that is a call, across which the loop would keep the generator's words
        // in memory: a stream without think time is drawn by a loop without that draw.
        return _draws.Thinks ? Fill<WithThinkTime>(now, window) : Fill<WithoutThinkTime>(now, window);
    }

    /// <summary><see cref="Fill(long, AccessWindow)"/>'s loops, with or without the think-time draw (<typeparamref name="TThink"/>).</summary>
    /// <remarks>
    /// Optimised from its first call, as the vCPU's hit loop is: tiered compilation would run it unoptimised, then
    /// instrumented, for the first tenths of a second of every run, and when its optimised version came in depended on
    /// the background compiler's timing (docs/benchmarks.md, 2026-12-07 09:50).
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool Fill<TThink>(long now, AccessWindow window) where TThink : struct, IThinkTime
    {
        var accesses = window.Accesses.AsSpan(0, AccessWindow.Size);
        var states = window.States.AsSpan(0, AccessWindow.Size + 1);
        // Locals, so the loop keeps them in registers: a pure choice has no state to write back.
        var choice = _choice;
        var rest = _draws;
        var rng = window.ContinueFrom(_rng);
        if (choice.LooksAhead)
        {
            var draws = _pageDraws!.AsSpan(0, AccessWindow.Size);
            for (int i = 0; i < draws.Length; i++)
            {
                states[i] = rng;
                draws[i] = choice.Draw(ref rng, now);
                choice.Prefetch(draws[i]);
                rest.Draw<TThink>(ref rng, ref accesses[i]);
            }
            for (int i = 0; i < draws.Length; i++) accesses[i].Page = choice.Resolve(draws[i]);
        }
        else
        {
            for (int i = 0; i < accesses.Length; i++)
            {
                states[i] = rng;
                // Drawn into locals and stored together: the window's slot is not held in a register across the draws.
                int page = choice.Resolve(choice.Draw(ref rng, now));
                bool write = rest.DrawStore(ref rng);
                accesses[i] = new GuestAccess { Page = page, IsWrite = write, ThinkNs = rest.DrawThink<TThink>(ref rng) };
            }
        }
        states[AccessWindow.Size] = rng;
        window.Drawn(_rng, AccessWindow.Size);
        return true;
    }
}

/// <summary>The draws of an access after its page: a store with the spec's write fraction, then the think time before it.</summary>
internal readonly struct AccessDraws(WorkloadSpec spec)
{
    private readonly ulong _writeThreshold = WriteThreshold(spec.WriteFraction);
    private readonly double _thinkNs = spec.ThinkNs;

    /// <summary>The spec has think time: each access draws one after its store flag.</summary>
    public bool Thinks => _thinkNs > 0;

    /// <summary>Draws <paramref name="access"/>'s store flag and think time from <paramref name="rng"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Draw(ref RngState rng, ref GuestAccess access)
    {
        if (Thinks) Draw<WithThinkTime>(ref rng, ref access);
        else Draw<WithoutThinkTime>(ref rng, ref access);
    }

    /// <summary><see cref="Draw(ref RngState, ref GuestAccess)"/> for a spec known to have think time or not (<see cref="Thinks"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Draw<TThink>(ref RngState rng, ref GuestAccess access) where TThink : struct, IThinkTime
    {
        access.IsWrite = DrawStore(ref rng);
        access.ThinkNs = DrawThink<TThink>(ref rng);
    }

    /// <summary>The store draw: true with the spec's write fraction (nothing drawn when it is 0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool DrawStore(ref RngState rng) => _writeThreshold != 0 && rng.Next53() < _writeThreshold;

    /// <summary>The think time before the access, in ns: exponential with the spec's mean, or none drawn (<typeparamref name="TThink"/>).</summary>
    /// <remarks>
    /// A rounded think time is a whole number far inside the long range, which the processor's own conversion
    /// (cvttsd2si) gives as the saturating cast does, without the cast's range checks.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long DrawThink<TThink>(ref RngState rng) where TThink : struct, IThinkTime =>
        TThink.Drawn ? double.ConvertToIntegerNative<long>(Math.Round(rng.NextExponential(_thinkNs))) : 0;

    /// <summary>
    /// The store draw's test, NextDouble() &lt; <paramref name="writeFraction"/>, on the draw's 53-bit integer j instead:
    /// NextDouble() is j · 2^-53 exactly, so it is below f exactly when j &lt; f · 2^53 (a power-of-two scaling, exact for a
    /// double), that is when j &lt; ceil(f · 2^53), an integer of at most 2^53. 0 exactly when f is 0, when nothing is drawn.
    /// </summary>
    internal static ulong WriteThreshold(double writeFraction) => (ulong)Math.Ceiling(writeFraction * (1UL << 53));
}

/// <summary>
/// Whether an access draws a think time (<see cref="AccessDraws.Thinks"/>), as a type: a loop compiled for each has no
/// test of it, and the loop without think time no call.
/// </summary>
internal interface IThinkTime
{
    static abstract bool Drawn { get; }
}

/// <summary>Accesses draw an exponential think time.</summary>
internal readonly struct WithThinkTime : IThinkTime
{
    public static bool Drawn => true;
}

/// <summary>Accesses have no think time (and draw none).</summary>
internal readonly struct WithoutThinkTime : IThinkTime
{
    public static bool Drawn => false;
}
