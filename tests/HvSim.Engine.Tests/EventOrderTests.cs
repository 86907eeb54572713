using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace HvSim.Engine.Tests;

public class EventOrderTests
{
    [Fact]
    public void DelaysFireInTimeOrderAndAdvanceTheClock()
    {
        var sim = new Simulation();
        var log = new List<(string, long)>();
        IEnumerable<Command> P(string name, long d)
        {
            yield return Command.Delay(d);
            log.Add((name, sim.Now));
        }
        sim.Start(P("late", 30));
        sim.Start(P("early", 10));
        sim.Run();
        Assert.Equal(new[] { ("early", 10L), ("late", 30L) }, log);
        Assert.Equal(30, sim.Now);
    }

    [Theory]
    [InlineData(1_023)]
    [InlineData(1_024)]
    [InlineData(1_025)]
    [InlineData(100_000)]
    public void SimultaneousProcessWakeupsFireInFifoOrder(int pending)
    {
        var sim = new Simulation();
        var log = new List<int>(pending);
        IEnumerable<Command> P(int id)
        {
            yield return Command.Delay(1_000);
            log.Add(id);
        }
        for (int i = 0; i < pending; i++) sim.Start(P(i));
        sim.Run(999);
        Assert.Equal(pending, sim.PendingEvents);
        sim.Run();
        Assert.Equal(Enumerable.Range(0, pending), log);
    }

    [Theory]
    [InlineData(1_023)]
    [InlineData(1_024)]
    [InlineData(1_025)]
    [InlineData(100_000)]
    public void SimultaneousCallbacksFireInFifoOrderAmongEarlierAndLaterEvents(int pending)
    {
        // Half the events are due at t=500, interleaved with events due before and after it, so the simultaneous
        // ones are pushed into a queue that is already large and keeps changing shape.
        var sim = new Simulation();
        var rng = new Random(7);
        var log = new List<int>();
        var expected = new List<(long Time, int Id)>();
        for (int i = 0; i < pending; i++)
        {
            long t = i % 2 == 0 ? 500 : rng.Next(1, 1_000);
            int id = i;
            sim.Schedule(t, () => log.Add(id));
            expected.Add((t, id));
        }
        sim.Run();
        Assert.Equal(expected.OrderBy(e => e.Time).ThenBy(e => e.Id).Select(e => e.Id), log);
    }

    [Fact]
    public void RoundsOfManyPendingEventsComeOutSortedAndFifo()
    {
        // Rounds of 200,000 events over very different time spans make the queue's buckets trade their arrays;
        // order must still be (time, scheduling order), checked against a stable sort.
        var sim = new Simulation();
        var rng = new Random(11);
        var log = new List<int>();
        int id = 0;
        foreach (long span in new long[] { 1_000_000, 50, 1L << 40, 3_000, 1L << 20 })
        {
            var expected = new List<(long Time, int Id)>();
            log.Clear();
            long start = sim.Now;
            for (int i = 0; i < 200_000; i++)
            {
                long d = rng.NextInt64(span);
                int me = id++;
                sim.Schedule(d, () => log.Add(me));
                expected.Add((start + d, me));
            }
            sim.Run();
            Assert.Equal(expected.OrderBy(e => e.Time).ThenBy(e => e.Id).Select(e => e.Id), log);
        }
    }

    /// <summary>Reference: sort by (time, class, scheduling index); the kernel must agree whatever the mix.</summary>
    [Property(MaxTest = 300)]
    public Property EventsFireInTotalOrderTimeClassSequence() =>
        Prop.ForAll(Gen.Choose(0, 15).Zip(Gen.Choose(0, 3)).ArrayOf().ToArbitrary(), events =>
            FireInTotalOrder(events.Select(e => (byte)e.Item1).ToArray(), events.Select(e => e.Item2 == 0).ToArray()));

    private static bool FireInTotalOrder(byte[] times, bool[] urgent)
    {
        var sim = new Simulation();
        var log = new List<int>();
        var expected = new List<(long Time, int Class, int Id)>();
        for (int i = 0; i < times.Length; i++)
        {
            long t = times[i] % 8;   // few distinct times: many ties
            bool u = urgent.Length > 0 && urgent[i % urgent.Length];
            int id = i;
            sim.Schedule(t, () => log.Add(id), u ? EventPriority.Urgent : EventPriority.Normal);
            expected.Add((t, u ? 0 : 1, id));
        }
        sim.Run();
        return log.SequenceEqual(expected.OrderBy(e => e.Time).ThenBy(e => e.Class).ThenBy(e => e.Id).Select(e => e.Id));
    }

    [Fact]
    public void ZeroDelayWakeupsQueueBehindEventsAlreadyDueNow()
    {
        // At t=10: A and C were scheduled before B's Delay(0), so B's second step runs after C.
        var sim = new Simulation();
        var log = new List<string>();
        IEnumerable<Command> A() { yield return Command.Delay(10); log.Add("A"); }
        IEnumerable<Command> B() { yield return Command.Delay(10); log.Add("B1"); yield return Command.Delay(0); log.Add("B2"); }
        IEnumerable<Command> C() { yield return Command.Delay(10); log.Add("C"); }
        sim.Start(A());
        sim.Start(B());
        sim.Start(C());
        sim.Run();
        Assert.Equal(new[] { "A", "B1", "C", "B2" }, log);
    }

    [Fact]
    public void UrgentEventsPrecedeNormalOnesDueAtTheSameTime()
    {
        var sim = new Simulation();
        var log = new List<string>();
        sim.Schedule(5, () => log.Add("normal"));
        sim.Schedule(5, () => log.Add("urgent"), EventPriority.Urgent);
        sim.Schedule(4, () => log.Add("earlier"));
        sim.Run();
        Assert.Equal(new[] { "earlier", "urgent", "normal" }, log);
    }

    [Fact]
    public void RunUntilFiresEventsExactlyAtTheBoundaryButNotAfterAndStopsTheClockThere()
    {
        var sim = new Simulation();
        var fired = new List<long>();
        foreach (long t in new long[] { 99, 100, 100, 101 }) sim.Schedule(t, () => fired.Add(sim.Now));
        sim.Run(100);
        Assert.Equal(new long[] { 99, 100, 100 }, fired);
        Assert.Equal(100, sim.Now);
        Assert.Equal(101, sim.Peek());
        sim.Run(150);
        Assert.Equal(new long[] { 99, 100, 100, 101 }, fired);
        Assert.Equal(150, sim.Now);
        Assert.Equal(long.MaxValue, sim.Peek());
        Assert.Throws<ArgumentOutOfRangeException>(() => sim.Run(149));
    }

    [Fact]
    public void EventsScheduledAfterRunUntilStillFireInOrder()
    {
        var sim = new Simulation();
        var fired = new List<long>();
        sim.Schedule(1_000, () => fired.Add(sim.Now));
        sim.Run(10);
        sim.Schedule(5, () => fired.Add(sim.Now));     // due at 15, before the pending 1,000
        sim.Schedule(0, () => fired.Add(sim.Now));     // due now, at 10
        sim.Run();
        Assert.Equal(new long[] { 10, 15, 1_000 }, fired);
    }

    [Fact]
    public void StepProcessesOneEventAndCountsIt()
    {
        var sim = new Simulation();
        int n = 0;
        sim.Schedule(3, () => n++);
        sim.Schedule(7, () => n++);
        Assert.True(sim.Step());
        Assert.Equal((1, 3L, 1L), (n, sim.Now, sim.ProcessedEvents));
        Assert.True(sim.Step());
        Assert.False(sim.Step());
        Assert.Equal((2, 7L, 2L), (n, sim.Now, sim.ProcessedEvents));
    }

    [Fact]
    public void CancelledCallbacksNeverFireAndDoNotMoveTheClock()
    {
        var sim = new Simulation();
        bool fired = false;
        var call = sim.Schedule(50, () => fired = true);
        sim.Schedule(10, () => { });
        Assert.True(call.IsPending);
        call.Cancel();
        Assert.False(call.IsPending);
        Assert.Equal(10, sim.Peek());
        sim.Run();
        Assert.False(fired);
        Assert.Equal(10, sim.Now);
        Assert.Equal(1, sim.ProcessedEvents);
    }

    [Fact]
    public void PeekSkipsACancelledEventAtTheHead()
    {
        var sim = new Simulation();
        sim.Schedule(50, () => { });
        var early = sim.Schedule(10, () => { });
        early.Cancel();
        Assert.Equal(50, sim.Peek());
        sim.Schedule(20, () => { });   // below the event Peek found: must still come first
        var fired = new List<long>();
        sim.Schedule(30, () => fired.Add(sim.Now));
        sim.Run();
        Assert.Equal(new long[] { 30 }, fired);
        Assert.Equal((2L + 1, 50L), (sim.ProcessedEvents, sim.Now));
    }

    [Fact]
    public void FireAndForgetTimeoutsCountAsEventsAndMoveTheClock()
    {
        var sim = new Simulation();
        for (int i = 1; i <= 5; i++) sim.ScheduleTimeout(i * 10);
        sim.Run();
        Assert.Equal((5L, 50L), (sim.ProcessedEvents, sim.Now));
    }

    [Fact]
    public void NegativeDelaysAreRejected()
    {
        var sim = new Simulation();
        Assert.Throws<ArgumentOutOfRangeException>(() => Command.Delay(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => sim.ScheduleTimeout(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => sim.Schedule(-5, () => { }));
    }

    [Fact]
    public void RunningTheSimulationFromInsideAProcessIsRefused()
    {
        var sim = new Simulation();
        Exception? caught = null;
        IEnumerable<Command> P()
        {
            caught = Record.Exception(() => sim.Run());
            yield break;
        }
        sim.Start(P());
        sim.Run();
        Assert.IsType<InvalidOperationException>(caught);
    }
}
