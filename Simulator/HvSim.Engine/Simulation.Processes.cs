using System.Runtime.CompilerServices;

namespace HvSim.Engine;

/// <summary>Processes: starting them, running their steps, ending them. Their iterators live in the slot table.</summary>
public sealed partial class Simulation
{
    /// <summary>Start a process; its first step runs at the current time, after events already due now.</summary>
    public Process Start(IEnumerable<Command> body, string name = "process")
    {
        ArgumentNullException.ThrowIfNull(body);
        return Start(body.GetEnumerator(), name);
    }

    /// <summary>Start a process from an iterator method that returns <see cref="IEnumerator{Command}"/> (a smaller object than an <see cref="IEnumerable{Command}"/> one).</summary>
    public Process Start(IEnumerator<Command> body, string name = "process") => HandleOf(Launch(body, name));

    /// <summary>
    /// Start a process that nobody waits for or interrupts from outside (a queueing model's customer): no
    /// <see cref="Process"/> handle is allocated, so it costs only its iterator. Inside, it can still get its handle
    /// from <see cref="ActiveProcess"/>.
    /// </summary>
    public void Spawn(IEnumerator<Command> body, string name = "process") => Launch(body, name);

    /// <inheritdoc cref="Spawn(IEnumerator{Command}, string)"/>
    public void Spawn(IEnumerable<Command> body, string name = "process")
    {
        ArgumentNullException.ThrowIfNull(body);
        Launch(body.GetEnumerator(), name);
    }

    private int Launch(IEnumerator<Command> body, string name)
    {
        ArgumentNullException.ThrowIfNull(body);
        int slot = AllocSlot();
        ref Slot s = ref _slots.Items[slot];
        s.Body = body;
        s.Name = name;
        WakeNow(WhoOf(slot));
        return slot;
    }

    /// <summary>The handle of the process in <paramref name="slot"/>, made on first use.</summary>
    private Process HandleOf(int slot)
    {
        ref Slot s = ref _slots.Items[slot];
        return s.Handle ??= new Process(this, slot, s.Name!);
    }

    /// <summary>The wake-up target of the running process's current step (what its next wait must carry); 0 outside a process.</summary>
    internal ulong ActiveWho => _activeSlot != 0 ? WhoOf(_activeSlot) : 0;

    /// <summary>
    /// <see cref="ActiveWho"/> for a process about to wait on a resource; throws when no process is running, naming the
    /// resource (<paramref name="kind"/> and <paramref name="name"/>: store 'q') and the wait (<paramref name="wait"/>:
    /// "wait to put"). Allocates nothing unless it throws.
    /// </summary>
    internal ulong WaiterWho(string kind, string name, string wait)
    {
        ulong who = ActiveWho;
        return who != 0 ? who : throw new InvalidOperationException($"{kind} '{name}': only a running process can {wait}");
    }

    /// <summary>The running process's identity: slot and life, for <see cref="ProcessOf"/>.</summary>
    internal (int Slot, uint Life) ActiveIdentity => (_activeSlot, _slots.Items[_activeSlot].Life);

    /// <summary>The handle of the process with this identity, or null once it has ended.</summary>
    internal Process? ProcessOf(int slot, uint life)
    {
        ref Slot s = ref _slots.Items[slot];
        return s.Life == life && s.Body != null ? HandleOf(slot) : null;
    }

    /// <summary>Run the next step of the process in <paramref name="slot"/>; <paramref name="who"/> is what wake-ups for its next wait must carry.</summary>
    private void Resume(int slot, ulong who)
    {
        // The slot table may grow during a step (the process starts others), so no ref into it is held across MoveNext.
        var body = _slots.Items[slot].Body!;
        Process? handle = _slots.Items[slot].Handle;
        bool interrupted = handle != null && handle.BeginStep();
        _activeSlot = slot;
        while (true)
        {
            bool more = body.MoveNext();
            if (interrupted)
            {
                handle!.EndInterruptedStep();
                interrupted = false;
            }
            if (!more)
            {
                _activeSlot = 0;
                End(slot);
                return;
            }
            Command c = body.Current;
            if (c.Target is null)
            {
                WakeAfter(c.Ticks, who);
                break;
            }
            if (!Execute(c, who)) break;
        }
        _activeSlot = 0;
        _slots.Items[slot].Handle?.AfterStep();
    }

    /// <summary>Register the wait a command asks for; true if it is already satisfied and the process runs on.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool Execute(in Command c, ulong who)
    {
        object target = c.Target!;
        if (ReferenceEquals(target, Command.SuspendMark)) { }
        else if (ReferenceEquals(target, Command.ContinueMark)) return true;
        else if (!Register(target, who)) return true;
        if (c.Ticks >= 0) WakeAfter(c.Ticks, who);
        return false;
    }

    /// <summary>Wait for an event, a process's end, AnyOf or AllOf; false if the condition already holds.</summary>
    private static bool Register(object target, ulong who)
    {
        switch (target)
        {
            case Waitable w:
                if (w.IsDone) return false;
                w.AddWaiter(who, null);
                return true;
            case Waitable[] items:
                foreach (var w in items)
                    if (w.IsDone) return false;
                foreach (var w in items) w.AddWaiter(who, null);
                return true;
            default:
            {
                var items = ((AllOfItems)target).Items;
                int remaining = 0;
                foreach (var w in items)
                    if (!w.IsDone) remaining++;
                if (remaining == 0) return false;
                var count = new AllOfCount(remaining, who);
                foreach (var w in items)
                    if (!w.IsDone) w.AddWaiter(who, count);
                return true;
            }
        }
    }

    /// <summary>The body threw: the process ends (the exception goes on to whoever runs the simulation).</summary>
    private void Abort(int slot)
    {
        _activeSlot = 0;
        if (_slots.Items[slot].Body != null) End(slot);
    }

    /// <summary>The process in <paramref name="slot"/> has finished: free its slot and wake whoever waits for its end.</summary>
    private void End(int slot)
    {
        Process? handle = _slots.Items[slot].Handle;
        FreeSlot(slot);
        handle?.Ended();
    }
}
