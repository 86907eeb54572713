namespace HvSim.Engine.Tests;

public class WaitTests
{
    [Fact]
    public void WaitOnEventResumesAllWaitersInOrderWithTheValue()
    {
        var sim = new Simulation();
        var ev = sim.NewEvent();
        var log = new List<(string, long, long)>();
        IEnumerable<Command> W(string name)
        {
            yield return Command.Wait(ev);
            log.Add((name, sim.Now, ev.Value));
        }
        sim.Start(W("a"));
        sim.Start(W("b"));
        sim.Schedule(42, () => ev.Trigger(7));
        sim.Run();
        Assert.Equal(new[] { ("a", 42L, 7L), ("b", 42L, 7L) }, log);
        Assert.Throws<InvalidOperationException>(() => ev.Trigger());
    }

    [Fact]
    public void AParkedProcessResumesWhereADelayYieldedThenWouldHavePutIt()
    {
        // Three callbacks due at 100: a before the resume is asked for, c after it. A Delay(70) yielded at 30 sits
        // between them (equal times fire in scheduling order), and so must ResumeAfter(70) called at 30.
        var sim = new Simulation();
        var log = new List<(string, long)>();
        Process? parked = null;
        IEnumerable<Command> Parked()
        {
            yield return Command.Park;
            log.Add(("parked", sim.Now));
        }
        sim.Schedule(100, () => log.Add(("a", sim.Now)));
        sim.Schedule(30, () =>
        {
            parked!.ResumeAfter(70);
            sim.Schedule(70, () => log.Add(("c", sim.Now)));
        });
        parked = sim.Start(Parked());
        sim.Run();
        Assert.Equal(new[] { ("a", 100L), ("parked", 100L), ("c", 100L) }, log);
        Assert.Equal(5, sim.ProcessedEvents); // start, the callback at 30, a, the resume, c: the park itself is no event
        Assert.Throws<InvalidOperationException>(() => parked!.ResumeAfter(1));
    }

    [Fact]
    public void WaitOnAlreadyTriggeredEventContinuesWithoutSuspending()
    {
        var sim = new Simulation();
        var ev = sim.NewEvent();
        ev.Trigger();
        long events = -1;
        IEnumerable<Command> W()
        {
            yield return Command.Wait(ev);
            events = sim.ProcessedEvents;
        }
        sim.Start(W());
        sim.Run();
        Assert.Equal(1, events);   // only the start event: the wait did not suspend
    }

    [Fact]
    public void WaitOnProcessResumesWhenItEnds()
    {
        var sim = new Simulation();
        IEnumerable<Command> Child() { yield return Command.Delay(25); }
        long joinedAt = -1;
        IEnumerable<Command> Parent()
        {
            var c = sim.Start(Child(), "child");
            yield return Command.Wait(c);
            joinedAt = sim.Now;
            Assert.False(c.IsAlive);
        }
        sim.Start(Parent());
        sim.Run();
        Assert.Equal(25, joinedAt);
    }

    [Fact]
    public void AnyOfResumesAtTheFirstAndAllOfAtTheLast()
    {
        var sim = new Simulation();
        var times = new Dictionary<string, long>();
        IEnumerable<Command> Any()
        {
            var slow = sim.Timeout(50);
            var fast = sim.Timeout(20);
            yield return Command.AnyOf(slow, fast);
            times["any"] = sim.Now;
            Assert.True(fast.IsTriggered);
            Assert.False(slow.IsTriggered);
        }
        IEnumerable<Command> All()
        {
            IEnumerable<Command> Job(long d) { yield return Command.Delay(d); }
            var a = sim.Start(Job(30));
            var b = sim.Start(Job(70));
            yield return Command.AllOf(a, b, sim.Timeout(10));
            times["all"] = sim.Now;
        }
        sim.Start(Any());
        sim.Start(All());
        sim.Run();
        Assert.Equal(20, times["any"]);
        Assert.Equal(70, times["all"]);
    }

    [Fact]
    public void AnyOfResumesOnlyOnceWhenSeveralItemsCompleteTogether()
    {
        var sim = new Simulation();
        var e1 = sim.NewEvent();
        var e2 = sim.NewEvent();
        int resumes = 0;
        IEnumerable<Command> W()
        {
            yield return Command.AnyOf(e1, e2);
            resumes++;
            yield return Command.Delay(100);
            resumes++;
        }
        sim.Start(W());
        sim.Schedule(5, () => { e1.Trigger(); e2.Trigger(); });
        sim.Run();
        Assert.Equal(2, resumes);
        Assert.Equal(105, sim.Now);
    }

    [Fact]
    public void AllOfWithEverythingDoneContinuesAtOnce()
    {
        var sim = new Simulation();
        var e = sim.NewEvent();
        e.Trigger();
        long at = -1;
        IEnumerable<Command> W() { yield return Command.AllOf(e); at = sim.Now; }
        sim.Start(W());
        sim.Run();
        Assert.Equal(0, at);
        Assert.Throws<ArgumentException>(() => Command.AnyOf());
    }

    [Fact]
    public void WithinGivesUpAtTheDeadlineAndALaterTriggerDoesNotResumeAgain()
    {
        var sim = new Simulation();
        var ev = sim.NewEvent();
        var log = new List<(long, bool)>();
        IEnumerable<Command> W()
        {
            yield return Command.Wait(ev).Within(30);
            log.Add((sim.Now, ev.IsTriggered));
            yield return Command.Delay(100);
            log.Add((sim.Now, ev.IsTriggered));
        }
        sim.Start(W());
        sim.Schedule(50, () => ev.Trigger());
        sim.Run();
        Assert.Equal(new[] { (30L, false), (130L, true) }, log);
        Assert.Throws<InvalidOperationException>(() => Command.Delay(5).Within(3));
    }

    [Fact]
    public void WithinDoesNotFireWhenTheConditionCameFirst()
    {
        var sim = new Simulation();
        var ev = sim.NewEvent();
        var log = new List<long>();
        IEnumerable<Command> W()
        {
            yield return Command.Wait(ev).Within(30);
            log.Add(sim.Now);
            yield return Command.Delay(100);
            log.Add(sim.Now);
        }
        sim.Start(W());
        sim.Schedule(10, () => ev.Trigger());
        sim.Run();
        Assert.Equal(new long[] { 10, 110 }, log);
        // start, trigger callback at 10, resume at 10, resume at 110: the stale deadline at 30 is not an event
        Assert.Equal(4, sim.ProcessedEvents);
    }
}
