using System.Runtime.CompilerServices;

namespace HvSim.Engine;

/// <summary>
/// The handle of a simulated activity, a C# iterator that yields <see cref="Command"/>s: wait for its end, interrupt
/// it, read its name. The iterator itself lives in the simulation's slot table; a process started with
/// <see cref="Simulation.Spawn(IEnumerator{Command}, string)"/> gets a handle only if something asks for one
/// (<see cref="Simulation.ActiveProcess"/>, a preemption), so a short-lived process costs its iterator alone.
/// </summary>
/// <remarks>
/// Interrupts end the current wait early. The process does not have to check after every yield: only code that
/// expects interrupts looks at <see cref="IsInterrupted"/> / <see cref="InterruptCause"/>, which stay set from the
/// interrupted resume until the process yields again. A process that ignores an interrupt simply carries on.
/// A handle names one process for ever: once the process has ended, <see cref="IsAlive"/> stays false even when its
/// slot runs another process.
/// </remarks>
public sealed class Process : Waitable
{
    private readonly int _slot;
    // Interrupts are rare: their state is allocated by the first one.
    private Interrupts? _interrupts;

    private sealed class Interrupts
    {
        public readonly Queue<object?> Pending = new();
        public bool Scheduled;
        public bool Active;
        public object? Cause;
    }

    internal Process(Simulation sim, int slot, string name) : base(sim)
    {
        _slot = slot;
        Name = name;
    }

    public string Name { get; }
    public bool IsAlive { get; private set; } = true;

    /// <summary>This process is the one running now (<see cref="Simulation.ActiveProcess"/>, without looking its handle up).</summary>
    public bool IsActive
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)] // read once per guest exit by a vcore runner deciding to go on inline
        get => Simulation.ActiveSlot == _slot;
    }

    /// <summary>True during the step that runs right after an interrupt ended this process's wait.</summary>
    public bool IsInterrupted => _interrupts is { Active: true };

    /// <summary>The cause passed to <see cref="Interrupt"/> (null unless <see cref="IsInterrupted"/>).</summary>
    public object? InterruptCause => _interrupts is { Active: true } i ? i.Cause : null;

    internal override bool IsDone => !IsAlive;

    public override string ToString() => Name;

    /// <summary>
    /// End this process's current wait at once (before other events due now); it resumes with
    /// <see cref="IsInterrupted"/> set and <see cref="InterruptCause"/> = <paramref name="cause"/>. Several interrupts
    /// are delivered one resume each, in order. A queued resource request or store get of the process is abandoned.
    /// </summary>
    public void Interrupt(object? cause = null)
    {
        if (!IsAlive) throw new InvalidOperationException($"process '{Name}' has finished and cannot be interrupted");
        if (Simulation.ActiveSlot == _slot) throw new InvalidOperationException($"process '{Name}' cannot interrupt itself");
        (_interrupts ??= new()).Pending.Enqueue(cause);
        if (!_interrupts.Scheduled) ScheduleInterrupt();
    }

    private void ScheduleInterrupt()
    {
        _interrupts!.Scheduled = true;
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
        Simulation.WakeAfter(delay, Simulation.WhoOf(_slot));
    }

    /// <summary>Before a resume: true when it is the one an interrupt scheduled (its cause is then current).</summary>
    internal bool BeginStep()
    {
        var i = _interrupts;
        if (i is not { Scheduled: true }) return false;
        i.Scheduled = false;
        i.Cause = i.Pending.Dequeue();
        i.Active = true;
        return true;
    }

    /// <summary>The interrupted step has yielded: the interrupt is no longer current.</summary>
    internal void EndInterruptedStep()
    {
        _interrupts!.Active = false;
        _interrupts.Cause = null;
    }

    /// <summary>After a step: deliver the next queued interrupt, if any.</summary>
    internal void AfterStep()
    {
        if (_interrupts is { Pending.Count: > 0 }) ScheduleInterrupt();
    }

    /// <summary>The process has ended: wake whoever waits for it.</summary>
    internal void Ended()
    {
        IsAlive = false;
        _interrupts = null;
        WakeWaiters();
    }
}
