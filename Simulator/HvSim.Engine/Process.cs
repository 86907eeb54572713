namespace HvSim.Engine;

/// <summary>A simulated activity: a C# iterator that yields <see cref="Command"/>s.</summary>
/// <remarks>
/// Interrupts end the current wait early. The process does not have to check after every yield: only code that
/// expects interrupts looks at <see cref="IsInterrupted"/> / <see cref="InterruptCause"/>, which stay set from the
/// interrupted resume until the process yields again. A process that ignores an interrupt simply carries on.
/// </remarks>
public sealed class Process : Waitable
{
    private readonly IEnumerator<Command> _body;
    private readonly int _slot;
    private Queue<object?>? _interrupts;
    private bool _interruptScheduled;

    internal Process(Simulation sim, IEnumerator<Command> body, string name, int slot) : base(sim)
    {
        _body = body;
        _slot = slot;
        Name = name;
    }

    public string Name { get; }
    public bool IsAlive { get; private set; } = true;

    /// <summary>True during the step that runs right after an interrupt ended this process's wait.</summary>
    public bool IsInterrupted { get; private set; }

    /// <summary>The cause passed to <see cref="Interrupt"/> (null unless <see cref="IsInterrupted"/>).</summary>
    public object? InterruptCause { get; private set; }

    internal override bool IsDone => !IsAlive;

    /// <summary>The (slot, generation) that a wake-up for the current wait must carry.</summary>
    internal ulong Who => Simulation.WhoOf(_slot);

    public override string ToString() => Name;

    /// <summary>
    /// End this process's current wait at once (before other events due now); it resumes with
    /// <see cref="IsInterrupted"/> set and <see cref="InterruptCause"/> = <paramref name="cause"/>. Several interrupts
    /// are delivered one resume each, in order. A queued resource request or store get of the process is abandoned.
    /// </summary>
    public void Interrupt(object? cause = null)
    {
        if (!IsAlive) throw new InvalidOperationException($"process '{Name}' has finished and cannot be interrupted");
        if (Simulation.ActiveProcess == this) throw new InvalidOperationException($"process '{Name}' cannot interrupt itself");
        (_interrupts ??= new()).Enqueue(cause);
        if (!_interruptScheduled) ScheduleInterrupt();
    }

    private void ScheduleInterrupt()
    {
        _interruptScheduled = true;
        Simulation.WakeUrgently(_slot);
    }

    /// <summary>
    /// Resume this process, parked by <see cref="Command.Park"/> (or about to be: it may be the running process), after
    /// <paramref name="delay"/> ns, in the place a <see cref="Command.Delay"/> of that length yielded now would take:
    /// after everything already scheduled for then, before anything scheduled later.
    /// </summary>
    public void ResumeAfter(long delay)
    {
        if (!IsAlive) throw new InvalidOperationException($"process '{Name}' has finished and cannot be resumed");
        if (delay < 0) throw new ArgumentOutOfRangeException(nameof(delay), delay, "delay must be >= 0");
        Simulation.WakeAfter(delay, Who);
    }

    /// <summary>Run the process's next step; <paramref name="who"/> is what wake-ups for its next wait must carry.</summary>
    internal void Resume(ulong who)
    {
        var sim = Simulation;
        if (_interruptScheduled)
        {
            _interruptScheduled = false;
            InterruptCause = _interrupts!.Dequeue();
            IsInterrupted = true;
        }
        sim.SetActive(_slot);
        while (true)
        {
            bool more = _body.MoveNext();
            if (IsInterrupted)
            {
                IsInterrupted = false;
                InterruptCause = null;
            }
            if (!more)
            {
                sim.SetActive(0);
                Finish();
                return;
            }
            Command c = _body.Current;
            if (c.Kind == CommandKind.Delay)
            {
                sim.WakeAfter(c.Ticks, who);
                break;
            }
            if (!Execute(sim, c, who)) break;
        }
        sim.SetActive(0);
        if (_interrupts is { Count: > 0 }) ScheduleInterrupt();
    }

    /// <summary>The body threw: the process ends (the exception goes on to whoever runs the simulation).</summary>
    internal void Abort()
    {
        Simulation.SetActive(0);
        if (IsAlive) Finish();
    }

    /// <summary>Register the wait a command asks for; true if it is already satisfied and the process runs on.</summary>
    private static bool Execute(Simulation sim, in Command c, ulong who)
    {
        switch (c.Kind)
        {
            case CommandKind.Continue:
                return true;
            case CommandKind.Suspend:
                break;
            case CommandKind.Wait:
            {
                var w = (Waitable)c.Target!;
                if (w.IsDone) return true;
                w.AddWaiter(who, null);
                break;
            }
            case CommandKind.AnyOf:
            {
                var items = (Waitable[])c.Target!;
                foreach (var w in items)
                    if (w.IsDone) return true;
                foreach (var w in items) w.AddWaiter(who, null);
                break;
            }
            case CommandKind.AllOf:
            {
                var items = (Waitable[])c.Target!;
                int remaining = 0;
                foreach (var w in items)
                    if (!w.IsDone) remaining++;
                if (remaining == 0) return true;
                var count = new AllOfCount(remaining, who);
                foreach (var w in items)
                    if (!w.IsDone) w.AddWaiter(who, count);
                break;
            }
        }
        if (c.Ticks >= 0) sim.WakeAfter(c.Ticks, who);
        return false;
    }

    private void Finish()
    {
        IsAlive = false;
        _interrupts = null;
        _interruptScheduled = false;
        Simulation.FreeSlot(_slot);
        WakeWaiters();
    }
}
