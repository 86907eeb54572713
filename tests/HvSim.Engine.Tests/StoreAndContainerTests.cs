using HvSim.Engine.Resources;

namespace HvSim.Engine.Tests;

public class StoreTests
{
    [Fact]
    public void ItemsFlowFifoAndABoundedStoreBlocksTheProducer()
    {
        var sim = new Simulation();
        var store = new Store<string>(sim, capacity: 2);
        var puts = new List<(string, long)>();
        var gets = new List<(string, long)>();
        IEnumerable<Command> Producer()
        {
            foreach (var item in new[] { "p1", "p2", "p3", "p4" })
            {
                yield return store.Put(item);
                puts.Add((item, sim.Now));
            }
        }
        IEnumerable<Command> Consumer()
        {
            for (int i = 0; i < 4; i++)
            {
                yield return Command.Delay(10);
                yield return store.Get(out var got);
                gets.Add((got.Take(), sim.Now));
            }
        }
        sim.Start(Producer());
        sim.Start(Consumer());
        sim.Run();
        Assert.Equal(new[] { ("p1", 0L), ("p2", 0L), ("p3", 10L), ("p4", 20L) }, puts);
        Assert.Equal(new[] { ("p1", 10L), ("p2", 20L), ("p3", 30L), ("p4", 40L) }, gets);
        Assert.Equal(0, store.Count);
    }

    [Fact]
    public void WaitingGettersAreServedInArrivalOrder()
    {
        var sim = new Simulation();
        var store = new Store<int>(sim);
        var log = new List<(string, int, long)>();
        IEnumerable<Command> Getter(string name)
        {
            yield return store.Get(out var got);
            Assert.True(got.HasItem);
            log.Add((name, got.Take(), sim.Now));
            Assert.False(got.HasItem);
            Assert.Throws<InvalidOperationException>(() => got.Take());
        }
        sim.Start(Getter("first"));
        sim.Start(Getter("second"));
        sim.Schedule(5, () => store.Put(10));
        sim.Schedule(7, () => store.Put(20));
        sim.Run();
        Assert.Equal(new[] { ("first", 10, 5L), ("second", 20, 7L) }, log);
    }

    [Fact]
    public void AGetterThatGaveUpDoesNotSwallowTheItem()
    {
        var sim = new Simulation();
        var store = new Store<int>(sim);
        var log = new List<string>();
        IEnumerable<Command> Impatient()
        {
            yield return store.Get(out var got).Within(3);
            log.Add(got.HasItem ? "impatient got" : $"impatient gave up at {sim.Now}");
        }
        IEnumerable<Command> Patient()
        {
            yield return store.Get(out var got);
            log.Add($"patient got {got.Take()} at {sim.Now}");
        }
        sim.Start(Impatient());
        sim.Start(Patient());
        sim.Schedule(5, () => store.Put(42));
        sim.Run();
        Assert.Equal(new[] { "impatient gave up at 3", "patient got 42 at 5" }, log);
    }
}

public class ContainerTests
{
    [Fact]
    public void GetWaitsForTheLevelAndPutWaitsForRoom()
    {
        var sim = new Simulation();
        var pool = new Container(sim, capacity: 10, initial: 2);
        var log = new List<(string, long, double)>();
        IEnumerable<Command> Consumer()
        {
            yield return pool.Get(5);
            log.Add(("got 5", sim.Now, pool.Level));
        }
        IEnumerable<Command> Producer()
        {
            yield return Command.Delay(4);
            yield return pool.Put(4);
            log.Add(("put 4", sim.Now, pool.Level));
            yield return pool.Put(9);
            log.Add(("put 9", sim.Now, pool.Level));
        }
        IEnumerable<Command> Drainer()
        {
            yield return Command.Delay(20);
            yield return pool.Get(1);
            log.Add(("got 1", sim.Now, pool.Level));
        }
        sim.Start(Consumer());
        sim.Start(Producer());
        sim.Start(Drainer());
        sim.Run();
        // 2+4 = 6 >= 5 at t=4: the consumer's 5 is taken at once (level 1) and it is woken, but the producer runs on
        // first (a put that fits does not suspend): 1+9 = 10 fits. At 20 one unit leaves.
        Assert.Equal(new[] { ("put 4", 4L, 1.0), ("put 9", 4L, 10.0), ("got 5", 4L, 10.0), ("got 1", 20L, 9.0) }, log);
    }

    [Fact]
    public void FifoGetsBlockSmallerOnesBehindThem()
    {
        var sim = new Simulation();
        var pool = new Container(sim, initial: 0);
        var log = new List<(string, long)>();
        IEnumerable<Command> Get(string name, double amount)
        {
            yield return pool.Get(amount);
            log.Add((name, sim.Now));
        }
        sim.Start(Get("big", 8));
        sim.Start(Get("small", 1));
        sim.Schedule(1, () => pool.Put(3));
        sim.Schedule(2, () => pool.Put(6));
        sim.Run();
        Assert.Equal(new[] { ("big", 2L), ("small", 2L) }, log);
        Assert.Equal(0, pool.Level);
    }

    [Fact]
    public void ThresholdWaitersWakeWhenTheLevelCrosses()
    {
        var sim = new Simulation();
        var free = new Container(sim, capacity: 100, initial: 50);
        var log = new List<(string, long)>();
        IEnumerable<Command> Watch(string name, Func<Command> wait)
        {
            yield return wait();
            log.Add((name, sim.Now));
        }
        sim.Start(Watch("low watermark", () => free.WaitAtMost(20)));
        sim.Start(Watch("high watermark", () => free.WaitAtLeast(80)));
        sim.Start(Watch("already", () => free.WaitAtLeast(10)));
        sim.Schedule(10, () => free.Get(35));   // 15
        sim.Schedule(20, () => free.Put(70));   // 85
        sim.Run();
        Assert.Equal(new[] { ("already", 0L), ("low watermark", 10L), ("high watermark", 20L) }, log);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Container(sim, 10, 11));
        Assert.Throws<ArgumentOutOfRangeException>(() => free.Put(-1));
    }
}
