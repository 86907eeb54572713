namespace HvSim.Engine;

/// <summary>Something a process can wait on: a <see cref="SimEvent"/> or a <see cref="Process"/> (its end).</summary>
public abstract class Waitable
{
    private struct Waiter
    {
        public ulong Who;
        public AllOfCount? AllOf;
    }

    private Waiter[]? _waiters;
    private int _waiterCount;

    private protected Waitable(Simulation sim) => Simulation = sim ?? throw new ArgumentNullException(nameof(sim));

    public Simulation Simulation { get; }

    internal abstract bool IsDone { get; }

    internal void AddWaiter(ulong who, AllOfCount? allOf)
    {
        _waiters ??= new Waiter[2];
        if (_waiterCount == _waiters.Length) Array.Resize(ref _waiters, _waiterCount * 2);
        _waiters[_waiterCount++] = new Waiter { Who = who, AllOf = allOf };
    }

    /// <summary>Wake every waiter, in the order they started waiting.</summary>
    private protected void WakeWaiters()
    {
        for (int i = 0; i < _waiterCount; i++)
        {
            ref Waiter w = ref _waiters![i];
            if (w.AllOf == null) Simulation.WakeIfLive(w.Who);
            else if (--w.AllOf.Remaining == 0) Simulation.WakeIfLive(w.AllOf.Who);
        }
        _waiters = null;
        _waiterCount = 0;
    }
}

/// <summary>Countdown of an AllOf wait: the waiter wakes when the last item completes.</summary>
internal sealed class AllOfCount(int remaining, ulong who)
{
    public int Remaining = remaining;
    public readonly ulong Who = who;
}
