using System.Runtime.CompilerServices;
using HvSim.Engine.Resources;

namespace HvSim.Engine.Tests;

/// <summary>
/// Processes without a handle (<see cref="Simulation.Spawn(IEnumerator{Command}, string)"/>) and slot reuse: a slot
/// that held one process and then another must not carry the first one's handle, name, interrupts or waiters over.
/// </summary>
public class SpawnTests
{
    [Fact]
    public void AHandleNamesOneProcessForEverEvenWhenItsSlotRunsAnother()
    {
        var sim = new Simulation();
        var log = new List<string>();
        IEnumerator<Command> Short()
        {
            yield return Command.Delay(10);
        }
        IEnumerator<Command> Long(string name)
        {
            var me = sim.ActiveProcess!;
            log.Add($"{sim.Now} {me.Name} interrupted={me.IsInterrupted}");
            yield return Command.Delay(100);
            log.Add($"{sim.Now} {me.Name} interrupted={me.IsInterrupted} cause={me.InterruptCause ?? "none"}");
        }
        var first = sim.Start(Short(), "first");
        sim.Run(20);
        Assert.False(first.IsAlive);
        // The freed slot is the one the next process gets (the slot table reuses the last slot freed).
        sim.Spawn(Long("second"), "second");
        sim.Run(30);
        // The first process's handle stays dead: interrupting it is refused and does not reach the second process.
        Assert.False(first.IsAlive);
        Assert.Throws<InvalidOperationException>(() => first.Interrupt("stale"));
        // Waiting on the dead handle does not suspend.
        long resumedAt = -1;
        IEnumerable<Command> Waiter()
        {
            yield return Command.Wait(first);
            resumedAt = sim.Now;
        }
        sim.Start(Waiter(), "waiter");
        sim.Run();
        Assert.Equal(30, resumedAt);
        Assert.Equal(new[] { "20 second interrupted=False", "120 second interrupted=False cause=none" }, log);
    }

    [Fact]
    public void AnInterruptQueuedForAProcessThatEndsIsNotDeliveredToTheNextOneInItsSlot()
    {
        var sim = new Simulation();
        var seen = new List<(string, long, bool)>();
        IEnumerator<Command> Body(string name, int steps)
        {
            var me = sim.ActiveProcess!;
            for (int i = 0; i < steps; i++)
            {
                yield return Command.Delay(10);
                seen.Add((name, sim.Now, me.IsInterrupted));
            }
        }
        var a = sim.Start(Body("a", 1), "a");
        // Two interrupts: the first ends a's wait at 5 and a finishes in that step, with the second still queued.
        sim.Schedule(5, () => { a.Interrupt(1); a.Interrupt(2); });
        sim.Run(6);
        Assert.False(a.IsAlive);
        sim.Spawn(Body("b", 2), "b");
        sim.Run();
        Assert.Equal(new[] { ("a", 5L, true), ("b", 16L, false), ("b", 26L, false) }, seen);
    }

    [Fact]
    public void ASpawnedProcessGetsAHandleWhenPreemptedAndTheCauseNamesItsPreempter()
    {
        var sim = new Simulation();
        var cpu = new Resource(sim, 1, "cpu");
        Preempted? cause = null;
        Process? preempter = null;
        IEnumerator<Command> Low()
        {
            yield return cpu.Request(out var req, priority: 5);
            using (req)
            {
                yield return Command.Delay(1_000);
                cause = sim.ActiveProcess!.InterruptCause as Preempted;
            }
        }
        IEnumerator<Command> High()
        {
            preempter = sim.ActiveProcess;
            yield return cpu.Request(out var req, priority: 0, preempt: true);
            using (req) yield return Command.Delay(10);
        }
        sim.Spawn(Low(), "low");
        sim.Schedule(100, () => sim.Spawn(High(), "high"));
        sim.Run();
        Assert.NotNull(cause);
        Assert.Same(preempter, cause!.By);
        Assert.Equal(0, cause.UsageSince);
        Assert.Equal(110, sim.Now);
    }

    [Fact]
    public void ActiveProcessOfASpawnedProcessIsOneHandleWithItsName()
    {
        var sim = new Simulation();
        Process? h1 = null, h2 = null;
        IEnumerable<Command> Body()
        {
            h1 = sim.ActiveProcess;
            yield return Command.Delay(5);
            h2 = sim.ActiveProcess;
        }
        sim.Spawn(Body(), "spawned");
        sim.Run();
        Assert.Same(h1, h2);
        Assert.Equal("spawned", h1!.Name);
        Assert.False(h1.IsAlive);
    }

    /// <summary>A command is returned from every resume: at 16 bytes the x64 calling convention returns it in two registers.</summary>
    [Fact]
    public void ACommandIsSixteenBytes() => Assert.Equal(16, Unsafe.SizeOf<Command>());
}
