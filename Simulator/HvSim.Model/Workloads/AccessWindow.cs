using System.Runtime.CompilerServices;
using HvSim.Engine;

namespace HvSim.Model.Workloads;

/// <summary>
/// The accesses a vCPU has taken from its stream and not yet made, so its step loop runs over accesses already drawn
/// rather than asking the stream for each one. A stream whose page choice is pure (<see cref="IPageChoice.Pure"/>) draws
/// <see cref="Size"/> at a time; any other gives one access at a time, as its <see cref="IAccessSource.Next"/> makes it.
/// <para>
/// Results cannot change: the drawn accesses are the stream's next ones in order, and the stream's generator is kept
/// where the plain stream would have it whenever code other than this vCPU's steps can run: <see cref="Leave"/> puts it
/// back to its state before the first access not yet made, and <see cref="Resume"/> drops what was drawn when someone
/// else has drawn from the generator since (as <see cref="AccessLookahead"/> notices a moved generator), so the window is
/// drawn again from there. A pure choice has no state of its own to put back. While the vCPU steps, the generator stays
/// where <see cref="Leave"/> put it: the window's next draws go on from its own record (<see cref="ContinueFrom"/>).
/// </para>
/// </summary>
public sealed class AccessWindow
{
    /// <summary>
    /// Accesses drawn at a time from a pure stream: enough that the vCPU's hit loop, which hints the PTEG of the access
    /// <see cref="Guest.Vcpu"/>'s HintAhead on, rarely runs out of window to hint from (docs/benchmarks.md, 2026-12-07 07:20).
    /// </summary>
    public const int Size = 64;

    /// <summary>The drawn accesses: [<see cref="Next"/>, <see cref="Count"/>) are still to be made.</summary>
    internal readonly GuestAccess[] Accesses = new GuestAccess[Size];

    /// <summary>States[i]: the generator's state before access i was drawn (when <see cref="_generator"/> is set).</summary>
    internal readonly RngState[] States = new RngState[Size + 1];

    /// <summary>The first access not yet made.</summary>
    internal int Next;

    /// <summary>Accesses drawn.</summary>
    internal int Count;

    /// <summary>The generator the accesses were drawn ahead from; null when the window holds one access the stream made as its Next does.</summary>
    private RngStream? _generator;

    /// <summary>No access left to make: the stream must <see cref="IAccessSource.Fill"/> the window.</summary>
    internal bool IsEmpty => Next == Count;

    /// <summary>The source drew <paramref name="count"/> accesses ahead from <paramref name="generator"/> into <see cref="Accesses"/>, with <see cref="States"/>.</summary>
    internal void Drawn(RngStream generator, int count) => (_generator, Next, Count) = (generator, 0, count);

    /// <summary>One access from <paramref name="source"/>'s <see cref="IAccessSource.Next"/>, at <paramref name="now"/>; false when the stream has ended.</summary>
    internal bool FillOne(IAccessSource source, long now)
    {
        _generator = null;
        Next = 0;
        bool made = source.Next(now, ref Accesses[0]);
        Count = made ? 1 : 0;
        return made;
    }

    /// <summary>
    /// The generator state a source drawing ahead from <paramref name="generator"/> goes on from: after this window's last
    /// access if it was drawn from that generator (which <see cref="Leave"/> puts back before the accesses not yet
    /// made), else the generator's own.
    /// </summary>
    internal RngState ContinueFrom(RngStream generator) => _generator == generator ? States[Count] : generator.State;

    /// <summary>Before the vCPU steps again: the drawn accesses go if someone else drew from their generator meanwhile.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void Resume()
    {
        if (_generator != null && _generator.StateWord != States[Next].StateWord) (_generator, Next, Count) = (null, 0, 0);
    }

    /// <summary>When the vCPU stops stepping: the generator back where the plain stream would have it, before the first access not yet made.</summary>
    internal void Leave()
    {
        if (_generator != null) _generator.State = States[Next];
    }
}
