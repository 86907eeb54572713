namespace HvSim.Engine.Tests;

public class InterruptTests
{
    [Fact]
    public void InterruptEndsTheWaitAtOnceWithItsCauseAndTheOldTimeoutNeverResumesTheProcess()
    {
        var sim = new Simulation();
        var log = new List<(long Now, bool Interrupted, object? Cause)>();
        Process? victim = null;
        IEnumerable<Command> Sleeper()
        {
            yield return Command.Delay(100);
            log.Add((sim.Now, victim!.IsInterrupted, victim.InterruptCause));
            yield return Command.Delay(10);
            log.Add((sim.Now, victim.IsInterrupted, victim.InterruptCause));
        }
        IEnumerable<Command> Waker()
        {
            yield return Command.Delay(30);
            victim!.Interrupt("memory pressure");
        }
        victim = sim.Start(Sleeper(), "sleeper");
        sim.Start(Waker(), "waker");
        sim.Run();
        // Resumed at 30 (not 100) with the cause; the cause is gone after the next yield; nothing at 100.
        Assert.Equal(new (long, bool, object?)[] { (30, true, "memory pressure"), (40, false, null) }, log);
        Assert.Equal(40, sim.Now);
    }

    [Fact]
    public void AProcessThatIgnoresInterruptsSimplyCarriesOn()
    {
        var sim = new Simulation();
        var steps = new List<long>();
        IEnumerable<Command> Worker()
        {
            for (int i = 0; i < 3; i++)
            {
                yield return Command.Delay(100);
                steps.Add(sim.Now);
            }
        }
        var w = sim.Start(Worker());
        sim.Schedule(50, () => w.Interrupt());
        sim.Run();
        Assert.Equal(new long[] { 50, 150, 250 }, steps);
    }

    [Fact]
    public void SeveralInterruptsAreDeliveredOneResumeEachInOrder()
    {
        var sim = new Simulation();
        var causes = new List<(long, object?)>();
        Process? p = null;
        IEnumerable<Command> Worker()
        {
            while (true)
            {
                yield return Command.Delay(1_000);
                if (!p!.IsInterrupted) yield break;
                causes.Add((sim.Now, p.InterruptCause));
            }
        }
        p = sim.Start(Worker());
        sim.Schedule(10, () => { p.Interrupt(1); p.Interrupt(2); p.Interrupt(3); });
        sim.Run();
        Assert.Equal(new (long, object?)[] { (10, 1), (10, 2), (10, 3) }, causes);
        Assert.Equal(1_010, sim.Now);
        Assert.False(p.IsAlive);
    }

    [Fact]
    public void InterruptsRunBeforeOtherEventsDueAtTheSameInstant()
    {
        var sim = new Simulation();
        var log = new List<string>();
        Process? p = null;
        IEnumerable<Command> Victim()
        {
            yield return Command.Delay(1_000);
            log.Add(p!.IsInterrupted ? "victim interrupted" : "victim woke");
        }
        IEnumerable<Command> Other() { yield return Command.Delay(20); log.Add("other"); }
        p = sim.Start(Victim());
        sim.Start(Other());
        sim.Schedule(20, () => { log.Add("interrupter"); p.Interrupt(); });
        sim.Run();
        Assert.Equal(new[] { "interrupter", "victim interrupted", "other" }, log);
    }

    [Fact]
    public void InterruptingAFinishedProcessOrItselfIsAnError()
    {
        var sim = new Simulation();
        Process? self = null;
        Exception? inner = null;
        IEnumerable<Command> Selfish()
        {
            inner = Record.Exception(() => self!.Interrupt());
            yield break;
        }
        self = sim.Start(Selfish());
        sim.Run();
        Assert.IsType<InvalidOperationException>(inner);
        Assert.Throws<InvalidOperationException>(() => self.Interrupt());
    }

    [Fact]
    public void InterruptEndsAWaitOnAnEventAndTheLaterTriggerDoesNotResumeAgain()
    {
        var sim = new Simulation();
        var ev = sim.NewEvent();
        int resumes = 0;
        Process? p = null;
        IEnumerable<Command> Waiter()
        {
            yield return Command.Wait(ev);
            resumes++;
            Assert.True(p!.IsInterrupted);
            yield return Command.Delay(100);
            resumes++;
        }
        p = sim.Start(Waiter());
        sim.Schedule(5, () => p.Interrupt());
        sim.Schedule(10, () => ev.Trigger());
        sim.Run();
        Assert.Equal(2, resumes);
        Assert.Equal(105, sim.Now);
    }

    [Fact]
    public void ExceptionInAProcessPropagatesAndEndsIt()
    {
        var sim = new Simulation();
        IEnumerable<Command> Bad()
        {
            yield return Command.Delay(1);
            throw new InvalidDataException("boom");
        }
        var p = sim.Start(Bad());
        Assert.Throws<InvalidDataException>(() => sim.Run());
        Assert.False(p.IsAlive);
        Assert.Null(sim.ActiveProcess);
    }
}
