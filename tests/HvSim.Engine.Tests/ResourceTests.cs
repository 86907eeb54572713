using HvSim.Engine.Monitors;
using HvSim.Engine.Resources;

namespace HvSim.Engine.Tests;

public class ResourceTests
{
    private static IEnumerable<Command> User(Simulation sim, Resource res, string name, long hold, List<(string, long, long)> log, int priority = 0)
    {
        long arrived = sim.Now;
        yield return res.Request(out var req, priority);
        Assert.True(req.IsGranted);
        using (req)
        {
            log.Add((name, arrived, sim.Now));
            yield return Command.Delay(hold);
        }
        Assert.False(req.IsGranted);
    }

    /// <summary>
    /// Waiters of four priorities arrive at odd times while units are released at even ones, so the queue drains and
    /// refills (its ring wraps and grows): every grant goes to the waiter with the lowest priority value that has
    /// arrived, the earliest of them on a tie, found by brute force over the log.
    /// </summary>
    [Fact]
    public void EveryGrantGoesToTheMostImportantEarliestWaiter()
    {
        var sim = new Simulation();
        var res = new Resource(sim, capacity: 1);
        var rng = new Random(12);
        var grants = new List<(int Id, long At)>();
        var waiters = new List<(int Id, int Priority, long Arrived)>();
        IEnumerable<Command> Customer(int id, int priority, long hold)
        {
            yield return res.Request(out var req, priority);
            using (req)
            {
                grants.Add((id, sim.Now));
                yield return Command.Delay(hold);
            }
        }
        sim.Start(Customer(-1, 0, 40));   // holds the unit from 0 while the first waiters queue
        for (int i = 0; i < 2_000; i++)
        {
            int id = i, priority = rng.Next(4);
            long at = 2L * i + 1, hold = 2L * (1 + rng.Next(3));   // mean hold 4 > mean gap 2: the queue grows, drains at the end
            waiters.Add((id, priority, at));
            sim.Schedule(at, () => sim.Start(Customer(id, priority, hold)));
        }
        sim.Run();
        Assert.Equal(2_001, grants.Count);
        var granted = new HashSet<int> { -1 };
        foreach (var (id, at) in grants.Skip(1))
        {
            var best = waiters.Where(w => !granted.Contains(w.Id) && w.Arrived <= at).MinBy(w => (w.Priority, w.Arrived));
            Assert.Equal(best.Id, id);
            granted.Add(id);
        }
    }

    [Fact]
    public void UnitsAreGrantedFifoAndHandedStraightToTheNextWaiter()
    {
        var sim = new Simulation();
        var res = new Resource(sim, capacity: 2);
        var log = new List<(string, long, long)>();
        foreach (var (name, at, hold) in new[] { ("a", 0L, 10L), ("b", 1L, 10L), ("c", 2L, 10L), ("d", 3L, 10L), ("e", 4L, 1L) })
            sim.Schedule(at, () => sim.Start(User(sim, res, name, hold, log)));
        sim.Run(5);
        Assert.Equal((2, 3), (res.InUse, res.QueueLength));
        sim.Run();
        Assert.Equal(new[] { ("a", 0L, 0L), ("b", 1L, 1L), ("c", 2L, 10L), ("d", 3L, 11L), ("e", 4L, 20L) }, log);
        Assert.Equal((0, 0), (res.InUse, res.QueueLength));
    }

    [Fact]
    public void WaitingRequestsAreServedByPriorityThenArrival()
    {
        var sim = new Simulation();
        var res = new Resource(sim, 1);
        var log = new List<(string, long, long)>();
        sim.Start(User(sim, res, "holder", 10, log));
        sim.Schedule(1, () => sim.Start(User(sim, res, "low", 1, log, priority: 5)));
        sim.Schedule(2, () => sim.Start(User(sim, res, "high1", 1, log, priority: 1)));
        sim.Schedule(3, () => sim.Start(User(sim, res, "high2", 1, log, priority: 1)));
        sim.Run();
        Assert.Equal(new[] { "holder", "high1", "high2", "low" }, log.Select(l => l.Item1));
    }

    [Fact]
    public void PreemptionTakesTheUnitFromTheLeastImportantHolderWhoSeesAPreemptedCause()
    {
        var sim = new Simulation();
        var res = new Resource(sim, 2);
        var log = new List<string>();
        Preempted? seen = null;
        Process? lowProc = null;
        IEnumerable<Command> Holder(string name, int prio, long hold)
        {
            yield return res.Request(out var req, prio);
            using (req)
            {
                yield return Command.Delay(hold);
                var self = sim.ActiveProcess!;
                if (self.IsInterrupted)
                {
                    seen = (Preempted)self.InterruptCause!;
                    log.Add($"{name} preempted at {sim.Now}");
                    Assert.False(req.IsGranted);
                    yield break;
                }
                log.Add($"{name} done at {sim.Now}");
            }
        }
        IEnumerable<Command> Urgent()
        {
            yield return res.Request(out var req, priority: 0, preempt: true);
            using (req)
            {
                log.Add($"urgent granted at {sim.Now}");
                yield return Command.Delay(5);
            }
        }
        sim.Start(Holder("mid", 3, 100));
        lowProc = sim.Start(Holder("low", 7, 100));
        Process? urgent = null;
        sim.Schedule(10, () => urgent = sim.Start(Urgent(), "urgent"));
        sim.Run();
        Assert.Equal(new[] { "urgent granted at 10", "low preempted at 10", "mid done at 100" }, log);
        Assert.NotNull(seen);
        Assert.Same(res, seen!.Resource);
        Assert.Same(urgent, seen.By);
        Assert.Equal(0, seen.UsageSince);
        Assert.Equal(0, res.InUse);
    }

    [Fact]
    public void PreemptionNeverTakesFromAnEquallyImportantHolder()
    {
        var sim = new Simulation();
        var res = new Resource(sim, 1);
        var log = new List<(string, long, long)>();
        sim.Start(User(sim, res, "first", 10, log, priority: 2));
        IEnumerable<Command> Same()
        {
            yield return res.Request(out var req, priority: 2, preempt: true);
            using (req) log.Add(("second", 0, sim.Now));
        }
        sim.Schedule(1, () => sim.Start(Same()));
        sim.Run();
        Assert.Equal(new[] { ("first", 0L, 0L), ("second", 0L, 10L) }, log);
    }

    [Fact]
    public void RenegingWithinADeadlineWithdrawsTheRequest()
    {
        var sim = new Simulation();
        var res = new Resource(sim, 1);
        var log = new List<(string, long, long)>();
        var outcome = new List<(long, bool)>();
        sim.Start(User(sim, res, "holder", 50, log));
        IEnumerable<Command> Impatient()
        {
            yield return res.Request(out var req).Within(20);
            outcome.Add((sim.Now, req.IsGranted));
            req.Dispose();
            req.Dispose();   // twice is harmless
        }
        sim.Schedule(1, () => sim.Start(Impatient()));
        sim.Schedule(2, () => sim.Start(User(sim, res, "patient", 1, log)));
        sim.Run(30);
        Assert.Equal(new[] { (21L, false) }, outcome);
        Assert.Equal(1, res.QueueLength);
        sim.Run();
        Assert.Equal(new[] { ("holder", 0L, 0L), ("patient", 2L, 50L) }, log);
        Assert.Equal(0, res.InUse);
    }

    [Fact]
    public void AnInterruptedWaiterIsSkippedAndItsTokenIsHarmless()
    {
        var sim = new Simulation();
        var res = new Resource(sim, 1);
        var log = new List<(string, long, long)>();
        sim.Start(User(sim, res, "holder", 10, log));
        ResourceRequest abandoned = default;
        IEnumerable<Command> Waiter()
        {
            yield return res.Request(out abandoned);
            log.Add(("interrupted waiter", 0, sim.Now));
        }
        var w = sim.Start(Waiter());
        sim.Start(User(sim, res, "next", 1, log));
        sim.Schedule(5, () => w.Interrupt());
        sim.Run();
        Assert.Equal(new[] { ("holder", 0L, 0L), ("interrupted waiter", 0L, 5L), ("next", 0L, 10L) }, log);
        Assert.False(abandoned.IsGranted);
        abandoned.Dispose();
        Assert.Equal(0, res.InUse);
    }

    [Fact]
    public void AttachedMonitorsObeyLittlesLawAndTheBusyTimeIdentity()
    {
        // From empty to empty: the area under the queue length is the sum of the waits, and the area under the
        // units in use is the sum of the service times, exactly.
        var sim = new Simulation(3);
        var res = new Resource(sim, 2) { InUseStats = new LevelStats(sim), QueueStats = new LevelStats(sim), WaitTimes = new LogHistogram() };
        var rng = sim.Rng("load");
        long totalService = 0;
        IEnumerable<Command> Customer(long service)
        {
            yield return res.Request(out var req);
            using (req) yield return Command.Delay(service);
        }
        IEnumerable<Command> Source()
        {
            for (int i = 0; i < 20_000; i++)
            {
                long s = 1 + (long)rng.NextExponential(1_900);
                totalService += s;
                sim.Start(Customer(s));
                yield return Command.Delay(1 + (long)rng.NextExponential(1_000));
            }
        }
        sim.Start(Source());
        sim.Run();
        double duration = sim.Now;
        Assert.Equal(20_000, res.WaitTimes.Count);
        Assert.True(res.WaitTimes.Sum > 0);
        Assert.Equal(res.WaitTimes.Sum, res.QueueStats.Mean * duration, 1e-6 * res.WaitTimes.Sum);
        Assert.Equal(totalService, res.InUseStats.Mean * duration, 1e-6 * totalService);
        Assert.Equal(2, res.InUseStats.Max);
    }

    [Fact]
    public void RequestOutsideAProcessIsAnError()
    {
        var sim = new Simulation();
        var res = new Resource(sim, 1, "cpu");
        var e = Assert.Throws<InvalidOperationException>(() => res.Request(out _));
        Assert.Contains("cpu", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Resource(sim, 0));
    }
}
