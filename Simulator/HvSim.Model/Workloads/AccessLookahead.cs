using System.Runtime.CompilerServices;
using HvSim.Engine;

namespace HvSim.Model.Workloads;

/// <summary>
/// A speculative look-ahead of one synthetic access stream, for prefetch hints only: like the processor's own hardware
/// prefetcher it changes no value the model reads, only how soon the simulator's later loads find their cache lines.
/// A Zipf draw reads the alias-table column of a uniformly random rank, a cache miss no hardware prefetcher can
/// predict (the table is 12 B per guest page: 590 KB for a 3 GiB guest of 64 KiB pages, 9.4 MB of 4 KiB pages); this
/// class can, because the stream's future is already fixed by its random generator's state.
/// <para>
/// It keeps its own copy of the stream's generator, <see cref="Lead"/> accesses ahead, and on that copy makes each
/// future access's draws with the very code the stream uses (<see cref="IPageChoice.Draw"/>, <see cref="AccessDraws"/>),
/// so draw counts (a bounded draw's rejection, the ziggurat's slow path) come out the same, and hints what resolving
/// that choice will read (<see cref="IPageChoice.Prefetch"/>). Results cannot change: the stream's generator is only
/// read (<see cref="RngStream.State"/>), never drawn from, and a hint changes no value. A guess can be wrong (a
/// working set that moves with time, a generator someone else also draws from): the look-ahead then sees the stream's
/// state differ from the one it predicted and starts again from the stream's position.
/// </para>
/// </summary>
internal sealed class AccessLookahead(RngStream stream)
{
    /// <summary>How many accesses ahead the look-ahead draws a page choice and hints what resolving it reads (a power of two).</summary>
    public const int Lead = 4;

    private const int Mask = Lead - 1;

    /// <summary>The copy of the stream's generator, at the start of access <see cref="_made"/> + <see cref="Lead"/>.</summary>
    private RngState _ahead;

    /// <summary>Per future access (its index modulo <see cref="Lead"/>): the stream's <see cref="RngStream.StateWord"/> expected before it draws.</summary>
    private Ring _stateBefore;

    /// <summary>Accesses the stream has made; the look-ahead has drawn accesses [_made, _made + Lead).</summary>
    private int _made;

    private bool _started;

    /// <summary>After the stream made an access at <paramref name="now"/>: draws the access <see cref="Lead"/> after the next one on the copy.</summary>
    /// <remarks>Not inlined: the vCPU's step loop inlines the stream's own draws, and this would crowd them out of the JIT's inlining budget.</remarks>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public void Advance<TChoice>(ref TChoice choice, in AccessDraws rest, long now) where TChoice : struct, IPageChoice
    {
        int next = ++_made;
        if (_started && _stateBefore[next & Mask] == stream.StateWord) DrawAhead(ref choice, rest, now, next + Lead - 1);
        else Restart(ref choice, rest, now, next);
    }

    /// <summary>The first access, or the stream is not where the look-ahead predicted: start again from its position.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Restart<TChoice>(ref TChoice choice, in AccessDraws rest, long now, int next) where TChoice : struct, IPageChoice
    {
        _ahead = stream.State;
        for (int i = 0; i < Lead; i++) DrawAhead(ref choice, rest, now, next + i);
        _started = true;
    }

    /// <summary>Access <paramref name="index"/>'s draws on the copy: its page choice (hinting what resolving it reads), then the rest.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void DrawAhead<TChoice>(ref TChoice choice, in AccessDraws rest, long now, int index) where TChoice : struct, IPageChoice
    {
        _stateBefore[index & Mask] = _ahead.StateWord;
        choice.Prefetch(choice.Draw(ref _ahead, now));
        var discarded = new GuestAccess();
        rest.Draw(ref _ahead, ref discarded);
    }

    /// <summary>One state word per access of the look-ahead's window.</summary>
    [InlineArray(Lead)]
    private struct Ring
    {
        private ulong _first;
    }
}
