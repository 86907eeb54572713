using System.Runtime.CompilerServices;
using HvSim.Engine.Kernel;

namespace HvSim.Engine;

/// <summary>Priority class of an event: among events due at the same time, lower classes fire first.</summary>
public enum EventPriority : byte
{
    /// <summary>Interrupts and preemptions: before anything else due at the same instant.</summary>
    Urgent = 0,
    /// <summary>Everything else.</summary>
    Normal = 1,
}

/// <summary>
/// The event loop. Time is integer nanoseconds; events fire in the total order (time, priority class, scheduling
/// sequence): simultaneous events of one class fire in the order they were scheduled, however large the queue.
/// </summary>
/// <remarks>
/// Future events are 16-byte structs in a radix heap (<see cref="RadixQueue"/>) that keeps equal keys in FIFO
/// order; zero-delay wake-ups go to one FIFO ring per class, merged with the heap by key. The sequence is thus
/// the order of scheduling itself, kept structurally rather than stored, and nothing ever renumbers it (the
/// invariant that makes the merge exact: zero delays never enter the heap, so a heap entry due now was scheduled
/// before now, ahead of every ring entry of its class).
/// Processes and callbacks live in a slot table; an event names its target by (slot, generation), and a slot's
/// generation moves on whenever its process resumes, is interrupted or ends, so any other wake-up still pending
/// for the old wait is recognised as stale when it pops and skipped. That is how waits with deadlines, AnyOf,
/// interrupts and cancellation work without ever searching the queue.
/// </remarks>
public sealed partial class Simulation
{
    /// <summary>Seed used when a scenario gives none: never the clock, so runs repeat.</summary>
    public const ulong DefaultSeed = 0x5EED_2012_0303UL;

    internal const int SlotBits = 24;
    internal const ulong SlotMask = (1UL << SlotBits) - 1;
    private const ulong GenMask = (1UL << (64 - SlotBits)) - 1;
    /// <summary>Latest time an event can be scheduled for (keys hold time * 2 + class).</summary>
    public const long MaxTime = long.MaxValue >> 1;

    private struct Slot
    {
        /// <summary>The process's iterator; null for a callback slot.</summary>
        public IEnumerator<Command>? Body;
        /// <summary>The process's handle, once something asked for it.</summary>
        public Process? Handle;
        public string? Name;
        public object? Callback;
        public ulong Gen;
        /// <summary>Counts the processes and callbacks the slot has held (a process's identity is slot and life).</summary>
        public uint Life;
    }

    private readonly RadixQueue _heap = new();
    private readonly WakeRing _urgent = new();
    private readonly WakeRing _normal = new();
    // Slot 0 is the target of fire-and-forget timeouts: no process, no callback, generation 0 forever.
    private RecordPool<Slot> _slots = new(64, reserved: 1);

    public Simulation(ulong seed = DefaultSeed) => Seed = seed;

    public ulong Seed { get; }

    /// <summary>Simulated time in nanoseconds.</summary>
    public long Now { get; private set; }

    /// <summary>Events processed so far (stale wake-ups of cancelled waits are not counted).</summary>
    public long ProcessedEvents { get; private set; }

    /// <summary>Entries waiting in the queue, including stale ones not yet popped.</summary>
    public int PendingEvents => _heap.Count + _urgent.Count + _normal.Count;

    /// <summary>The process whose step is running, or null between steps (e.g. in a scheduled callback).</summary>
    public Process? ActiveProcess => _activeSlot != 0 ? HandleOf(_activeSlot) : null;

    // Slot of the running process (0 = none): an int, so switching costs no GC write barrier.
    private int _activeSlot;

    internal int ActiveSlot => _activeSlot;

    public SimEvent NewEvent() => new(this);

    /// <summary>An event that triggers by itself after <paramref name="delay"/> ns (for AnyOf/AllOf; allocates).</summary>
    public SimEvent Timeout(long delay)
    {
        var e = new SimEvent(this);
        ScheduleTarget(delay, e, EventPriority.Normal);
        return e;
    }

    /// <summary>Call <paramref name="action"/> after <paramref name="delay"/> ns; the handle can cancel it.</summary>
    public ScheduledCall Schedule(long delay, Action action, EventPriority priority = EventPriority.Normal)
    {
        ArgumentNullException.ThrowIfNull(action);
        return ScheduleTarget(delay, action, priority);
    }

    /// <summary>
    /// A fire-and-forget timeout: it wakes nobody, but it is an event (counted, and <see cref="Run()"/> advances
    /// the clock to it). Allocates nothing.
    /// </summary>
    public void ScheduleTimeout(long delay)
    {
        CheckDelay(delay);
        if (delay == 0) _normal.Push(0);
        else Enqueue(Now, delay, EventPriority.Normal, 0);
    }

    /// <summary>An independent random stream derived from the master seed and a component name.</summary>
    public RngStream Rng(string component) => new(Seed, component);

    /// <summary>Time of the next pending event, or <see cref="long.MaxValue"/> when none.</summary>
    /// <remarks>Cancelled entries at the heads of the queues are dropped on the way, as <see cref="Step"/> would skip them.</remarks>
    public long Peek()
    {
        while (true)
        {
            if (_urgent.Count > 0)
            {
                if (IsLive(_urgent.HeadWho)) return Now;
                _urgent.Pop();
            }
            else if (_normal.Count > 0)
            {
                if (IsLive(_normal.HeadWho)) return Now;
                _normal.Pop();
            }
            else if (_heap.Count == 0) return long.MaxValue;
            else
            {
                ref readonly var head = ref _heap.Peek();
                if (IsLive(head.Who)) return head.Key >> 1;
                _heap.Pop();
            }
        }
    }

    /// <summary>Process one event; false when none is pending.</summary>
    public bool Step()
    {
        CheckNotInsideAProcess();
        while (TryPop(long.MaxValue, out long time, out ulong who))
            if (Dispatch(time, who)) return true;
        return false;
    }

    /// <summary>Run until no event is pending.</summary>
    /// <remarks>Compiled fully optimised at once: it is called rarely, so tiering would leave it in OSR code.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Run()
    {
        CheckNotInsideAProcess();
        while (TryPop(long.MaxValue, out long time, out ulong who)) Dispatch(time, who);
    }

    /// <summary>Run every event due at or before <paramref name="until"/>, then set the clock to it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Run(long until)
    {
        if (until < Now) throw new ArgumentOutOfRangeException(nameof(until), until, $"until must be >= Now ({Now})");
        CheckNotInsideAProcess();
        while (TryPop(until, out long time, out ulong who)) Dispatch(time, who);
        Now = until;
    }

    // ---- kernel internals used by processes and resources ----

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal ulong WhoOf(int slot) => (_slots.Items[slot].Gen << SlotBits) | (uint)slot;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal bool IsLive(ulong who) => _slots.Items[(int)(who & SlotMask)].Gen == who >> SlotBits;

    /// <summary>Wake <paramref name="who"/> at the current time, after everything already due now.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void WakeNow(ulong who) => _normal.Push(who);

    /// <summary>Wake <paramref name="who"/> now unless its wait has already ended.</summary>
    internal void WakeIfLive(ulong who)
    {
        if (IsLive(who)) WakeNow(who);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void WakeAfter(long delay, ulong who)
    {
        if (delay == 0) WakeNow(who);
        else Enqueue(Now, delay, EventPriority.Normal, who);
    }

    /// <summary>End the current wait of the process in <paramref name="slot"/> and wake it before anything else due now.</summary>
    internal void WakeUrgently(int slot)
    {
        ref Slot s = ref _slots.Items[slot];
        s.Gen = (s.Gen + 1) & GenMask;
        _urgent.Push(WhoOf(slot));
    }

    internal void FreeSlot(int slot)
    {
        ref Slot s = ref _slots.Items[slot];
        s.Body = null;
        s.Handle = null;
        s.Name = null;
        s.Callback = null;
        s.Gen = (s.Gen + 1) & GenMask;
        s.Life++;
        _slots.Free(slot);
    }

    internal void Cancel(ulong who)
    {
        if (IsLive(who) && (who & SlotMask) != 0) FreeSlot((int)(who & SlotMask));
    }

    private ScheduledCall ScheduleTarget(long delay, object target, EventPriority priority)
    {
        CheckDelay(delay);
        int slot = AllocSlot();
        _slots.Items[slot].Callback = target;
        ulong who = WhoOf(slot);
        if (delay == 0) (priority == EventPriority.Urgent ? _urgent : _normal).Push(who);
        else Enqueue(Now, delay, priority, who);
        return new ScheduledCall(this, who);
    }

    private void CheckNotInsideAProcess()
    {
        if (_activeSlot != 0) throw new InvalidOperationException("the simulation cannot be run from inside one of its processes");
    }

    private static void CheckDelay(long delay)
    {
        if (delay < 0) throw new ArgumentOutOfRangeException(nameof(delay), delay, "delay must be >= 0");
    }

    /// <summary>Push a future event (delay > 0; zero delays go to the rings).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Enqueue(long now, long delay, EventPriority priority, ulong who)
    {
        if (delay > MaxTime - now) ThrowBeyondMaxTime(delay);
        _heap.Push(((now + delay) << 1) | (long)priority, who);
    }

    private void ThrowBeyondMaxTime(long delay) =>
        throw new ArgumentOutOfRangeException(nameof(delay), delay, $"event would be due after {nameof(MaxTime)} ({MaxTime} ns)");

    private int AllocSlot() => _slots.Alloc(limit: (int)SlotMask + 1);

    /// <summary>Pop the next entry in total order if it is due at or before <paramref name="until"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool TryPop(long until, out long time, out ulong who)
    {
        if (_urgent.Count + _normal.Count == 0)
        {
            // Without a bound, pop straight away (one bucket scan instead of two).
            if (_heap.Count == 0 || (until != long.MaxValue && (_heap.MinKey >> 1) > until)) { time = 0; who = 0; return false; }
            var e = _heap.Pop();
            time = e.Key >> 1;
            who = e.Who;
            return true;
        }
        return TryPopMerged(until, out time, out who);
    }

    private bool TryPopMerged(long until, out long time, out ulong who)
    {
        // Ring entries are due now and were scheduled now; a heap entry due now was scheduled earlier, so it goes
        // first unless its class is lower priority than the ring's.
        if (Now > until) { time = 0; who = 0; return false; }
        WakeRing ring = _urgent.Count > 0 ? _urgent : _normal;
        long ringKey = (Now << 1) | (_urgent.Count > 0 ? (long)EventPriority.Urgent : (long)EventPriority.Normal);
        if (_heap.Count > 0 && _heap.MinKey <= ringKey)
        {
            var e = _heap.Pop();
            time = e.Key >> 1;
            who = e.Who;
            return true;
        }
        time = Now;
        who = ring.HeadWho;
        ring.Pop();
        return true;
    }

    /// <summary>Run one popped entry; false if it was stale.</summary>
    private bool Dispatch(long time, ulong who)
    {
        int slot = (int)(who & SlotMask);
        ref Slot s = ref _slots.Items[slot];
        ulong gen = who >> SlotBits;
        if (s.Gen != gen) return false;
        Now = time;
        ProcessedEvents++;
        if (s.Body != null)
        {
            ulong next = (gen + 1) & GenMask;
            s.Gen = next;
            try
            {
                Resume(slot, (next << SlotBits) | (uint)slot);
            }
            catch
            {
                Abort(slot);
                throw;
            }
        }
        else if (slot != 0)
        {
            object target = s.Callback!;
            FreeSlot(slot);
            if (target is SimEvent e) e.Trigger();
            else ((Action)target)();
        }
        return true;
    }
}
