using System.Runtime.CompilerServices;
using HvSim.Engine;

namespace HvSim.Model.Guest;

/// <summary>
/// The host's hardware threads while they run guest code: every vcore's guest steps (think time, accesses through
/// valid HPTEs, real-mode H_ENTER, the real-mode part of an HDSI) in exactly the order one engine event per step would
/// run them, without an engine event each (design-notes §2). Only the vcore runners (<see cref="Vcore.Run"/>: exits,
/// get_user_pages, swap-in waits, reclaim) and the host's own activity are engine events.
/// </summary>
/// <remarks>
/// The order is the reference mode's (<c>reference_mode: true</c>: one engine event per step, scheduled when the
/// vcore's previous step has run or when it re-enters the guest): steps in time order, steps due at the same time in
/// the order they were scheduled, and a step before any other engine event due at the same nanosecond (a step is an
/// urgent event). Here the steps wait in a heap ordered by (time, scheduling order) and run inline whenever they are
/// due no later than the engine's next event; an urgent engine event at the earliest step's time brings the
/// simulation back here before anything else due then. Guest steps schedule no events (a vcore leaving the guest
/// resumes its runner, which ends its steps), so the engine's next event stays where it is while they run.
/// </remarks>
public sealed class GuestExecution
{
    private readonly Simulation _sim;
    private readonly bool _reference;
    /// <summary>Waiting steps by (time, scheduling order): unique keys, so the order is the same on every run.</summary>
    private readonly StepQueue _steps = new();
    /// <summary>The vcores, by the slot <see cref="StepQueue"/> names them with (<see cref="Vcore.StepSlot"/>).</summary>
    private readonly List<Vcore> _cores = [];
    private long _order;
    private readonly Action _drive;
    private ScheduledCall _wake;

    public GuestExecution(Simulation sim, bool reference)
    {
        _sim = sim;
        _reference = reference;
        _drive = Drive;
    }

    /// <summary>Time of the earliest waiting step (long.MaxValue if none): an engine event in all but name. Kept as steps wait and leave.</summary>
    internal long NextStepAt { get; private set; } = long.MaxValue;

    /// <summary>A vcore process starts: its first step runs now, in its start event; then everything due runs.</summary>
    internal void Start(Vcore core)
    {
        if (_cores.Count > StepQueue.MaxSlot) throw new InvalidOperationException($"more than {StepQueue.MaxSlot + 1} vcores on one host");
        core.StepSlot = _cores.Count;
        _cores.Add(core);
        _wake.Cancel();
        Start(core, _sim.Peek());
    }

    /// <summary><see cref="Start(Vcore)"/> with the wake-up cancelled and the engine's next event at <paramref name="peek"/>.</summary>
    private void Start(Vcore core, long peek)
    {
        if (Turn(core, peek)) Schedule(core);
        if (!core.RunnerInline) Drive();
        else if (_steps.Count > 0) _wake = _sim.Schedule(NextStepAt - _sim.Now, _drive, EventPriority.Urgent);
    }

    /// <summary>A vcore re-enters the guest (its runner is done): its next step is scheduled now.</summary>
    internal void Enter(Vcore core)
    {
        _wake.Cancel();
        if (!core.HasNextStep())
        {
            Drive();
            return;
        }
        // Due before every waiting step and no later than the engine's next event, the step would be the heap's first
        // to run: run it at once (a fault's runner in its own process, often straight into the next fault).
        long peek = _sim.Peek();
        if (!_reference && core.NextStepAt < NextStepAt && core.NextStepAt <= peek) Start(core, peek);
        else
        {
            Schedule(core);
            Drive();
        }
    }

    /// <summary>Reference mode: the event of <paramref name="core"/>'s next step has come.</summary>
    internal void StepDue(Vcore core)
    {
        _wake.Cancel();
        if (Turn(core, _sim.Peek())) Schedule(core);
        Drive();
    }

    /// <summary>Run the steps due no later than the engine's next event, in order; then wait for the earliest one left.</summary>
    private void Drive()
    {
        _wake.Cancel();
        long peek = _sim.Peek();
        while (_steps.Count > 0 && NextStepAt <= peek)
        {
            // The head's vcore takes its turn while the others' steps wait; it stays at the head until it is done.
            var core = _cores[_steps.HeadSlot];
            NextStepAt = _steps.SecondAt;
            bool stays = Turn(core, peek);
            if (stays) _steps.ReplaceHead(core.NextStepAt, NextOrder());
            else _steps.RemoveHead();
            NextStepAt = _steps.HeadAt;
            if (stays) continue;
            if (core.RunnerInline) break; // its runner goes on at once, in the process that runs this
            peek = _sim.Peek(); // it left the guest: its runner's resumption is an event
        }
        if (_steps.Count > 0) _wake = _sim.Schedule(NextStepAt - _sim.Now, _drive, EventPriority.Urgent);
    }

    /// <summary>
    /// Run <paramref name="core"/>'s step that is due now, and the steps after it while they stay before every waiting
    /// step (scheduled earlier, those win ties) and no later than the engine's next event, at <paramref name="peek"/>
    /// (guest steps schedule no events, so it stays there while they run). True while it stays in the guest: the caller
    /// schedules its next step.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool Turn(Vcore core, long peek)
    {
        long next = NextStepAt;
        return core.StepGuest(Math.Min(next, peek == long.MaxValue ? peek : peek + 1), Math.Min(next, peek));
    }

    /// <summary><paramref name="core"/>'s next step (at <see cref="Vcore.NextStepAt"/>) is scheduled now.</summary>
    private void Schedule(Vcore core)
    {
        if (_reference) _sim.Schedule(core.NextStepAt - _sim.Now, core.StepDue, EventPriority.Urgent);
        else
        {
            _steps.Enqueue(core.StepSlot, core.NextStepAt, NextOrder());
            NextStepAt = _steps.HeadAt;
        }
    }

    /// <summary>The scheduling order of a step scheduled now.</summary>
    private long NextOrder() =>
        ++_order <= StepQueue.MaxOrder ? _order : throw new InvalidOperationException($"more than {StepQueue.MaxOrder} guest steps scheduled in one run");
}
