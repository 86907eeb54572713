using System.Runtime.CompilerServices;
using HvSim.Engine;

namespace HvSim.Model.Workloads;

/// <summary>
/// A speculative look-ahead of one synthetic access stream, for prefetch hints only: like the processor's own hardware
/// prefetcher it changes no value the model reads, only how soon the simulator's next loads find their cache lines.
/// Guest accesses are random, so the alias-table column a Zipf draw reads and the primary PTEG the access then looks up
/// are cache misses the hardware cannot predict; this class can, because the stream's future is already fixed by its
/// random generator's state.
/// <para>
/// It keeps its own copy of the stream's generator, <see cref="DrawLead"/> accesses ahead, and on that copy makes each
/// future access's draws with the very code the stream uses (<see cref="IPageChoice.Draw"/>, <see cref="AccessDraws"/>),
/// so draw counts (a bounded draw's rejection, the ziggurat's slow path) come out the same. It hints what resolving
/// each future choice will read (<see cref="IPageChoice.Prefetch"/>: a Zipf alias column) and, <see cref="PageLead"/>
/// accesses ahead, resolves the page for the vCPU's PTEG hint. Results cannot change: the stream itself is never
/// advanced (the copy draws, the stream does not), and the prediction only picks an address to prefetch. A
/// prediction can be wrong (a working set that moves with time, a generator someone else also advanced): the
/// look-ahead notices the stream's state is not the one it predicted and starts again from the stream's position.
/// </para>
/// </summary>
internal sealed class AccessLookahead(RngStream stream)
{
    /// <summary>Accesses ahead at which the look-ahead draws a page choice and hints what resolving it will read (a power of two).</summary>
    public const int DrawLead = 8;

    /// <summary>Accesses ahead at which it resolves the page for the vCPU's PTEG hint (less than <see cref="DrawLead"/>).</summary>
    public const int PageLead = 3;

    private const int Mask = DrawLead - 1;

    /// <summary>The copy of the stream's generator, at the start of access <see cref="_made"/> + <see cref="DrawLead"/>.</summary>
    private readonly RngStream _ahead = new(0, "lookahead");

    /// <summary>Per future access (its index modulo <see cref="DrawLead"/>): the stream's <see cref="RngStream.StateWord"/> expected before it draws.</summary>
    private Ring<ulong> _stateBefore;

    /// <summary>Per future access: its page choice, drawn on the copy.</summary>
    private Ring<PageDraw> _pageDraws;

    /// <summary>Accesses the stream has made; the predictions cover accesses [_made, _made + DrawLead).</summary>
    private int _made;

    private bool _started;

    /// <summary>
    /// After the stream made an access at <paramref name="now"/>: keeps the predictions <see cref="DrawLead"/> accesses
    /// deep and returns the page the stream is expected to access <see cref="PageLead"/> accesses after the next.
    /// </summary>
    /// <remarks>Not inlined: the vCPU's step loop inlines the stream's own draws, and this would crowd them out of the JIT's inlining budget.</remarks>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public int Advance<TChoice>(ref TChoice choice, in AccessDraws rest, long now) where TChoice : struct, IPageChoice
    {
        int next = ++_made;
        if (_started && _stateBefore[next & Mask] == stream.StateWord) DrawAhead(ref choice, rest, now, next + DrawLead - 1);
        else Restart(ref choice, rest, now, next);
        return choice.Resolve(_pageDraws[(next + PageLead) & Mask]);
    }

    /// <summary>The first access, or the stream is not where the look-ahead predicted: start again from its position.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Restart<TChoice>(ref TChoice choice, in AccessDraws rest, long now, int next) where TChoice : struct, IPageChoice
    {
        _ahead.CopyStateFrom(stream);
        for (int i = 0; i < DrawLead; i++) DrawAhead(ref choice, rest, now, next + i);
        _started = true;
    }

    /// <summary>Access <paramref name="index"/>'s draws on the copy: its page choice (hinting what resolving it reads), then the rest.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void DrawAhead<TChoice>(ref TChoice choice, in AccessDraws rest, long now, int index) where TChoice : struct, IPageChoice
    {
        int slot = index & Mask;
        _stateBefore[slot] = _ahead.StateWord;
        var draw = choice.Draw(_ahead, now);
        choice.Prefetch(draw);
        _pageDraws[slot] = draw;
        rest.Draw(_ahead, out _, out _);
    }
}

/// <summary>One value per access of the look-ahead's window, indexed by access number modulo <see cref="AccessLookahead.DrawLead"/>.</summary>
[InlineArray(AccessLookahead.DrawLead)]
internal struct Ring<T>
{
    private T _first;
}
