using System.Security.Cryptography;
using System.Text;
using HvSim.Engine.Resources;

namespace HvSim.Engine.Tests;

public class DeterminismTests
{
    /// <summary>A small model using every kernel feature; returns a hash of its full event trace.</summary>
    private static string TraceHash(ulong seed)
    {
        var sim = new Simulation(seed);
        var trace = new StringBuilder();
        var cpu = new Resource(sim, 2, "cpu");
        var queue = new Store<int>(sim, 4, "queue");
        var pool = new Container(sim, 100, 50, "pool");
        var rng = sim.Rng("model");
        void Log(string what) => trace.Append(sim.Now).Append(' ').Append(what).Append('\n');
        IEnumerable<Command> Producer(int id)
        {
            for (int i = 0; i < 200; i++)
            {
                yield return Command.Delay((long)rng.NextExponential(1_000));
                yield return queue.Put(id * 1000 + i);
                Log($"put {id}/{i}");
            }
        }
        IEnumerable<Command> Worker(int id)
        {
            while (true)
            {
                yield return queue.Get(out var got).Within(50_000);
                if (!got.HasItem) yield break;
                int item = got.Take();
                yield return cpu.Request(out var req, priority: item % 3);
                using (req)
                {
                    yield return pool.Get(rng.NextBounded(5) + 1);
                    yield return Command.Delay((long)rng.NextExponential(800));
                    yield return pool.Put(rng.NextBounded(5) + 1 > 3 ? 3 : 2);
                    Log($"worker {id} did {item}" + (sim.ActiveProcess!.IsInterrupted ? " (interrupted)" : ""));
                }
            }
        }
        var workers = Enumerable.Range(0, 3).Select(i => sim.Start(Worker(i), $"worker{i}")).ToList();
        for (int p = 0; p < 2; p++) sim.Start(Producer(p), $"producer{p}");
        IEnumerable<Command> Chaos()
        {
            for (int i = 0; i < 20; i++)
            {
                yield return Command.Delay((long)rng.NextExponential(10_000));
                var w = workers[(int)rng.NextBounded(3)];
                if (w.IsAlive) { w.Interrupt(i); Log($"interrupt {w.Name}"); }
            }
        }
        sim.Start(Chaos(), "chaos");
        sim.Run();
        Log($"end events={sim.ProcessedEvents}");
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(trace.ToString())));
    }

    [Fact]
    public void SameSeedGivesAnIdenticalEventTrace() => Assert.Equal(TraceHash(42), TraceHash(42));

    [Fact]
    public void DifferentSeedsGiveDifferentEventTraces() => Assert.NotEqual(TraceHash(42), TraceHash(43));

    [Fact]
    public void DefaultSeedIsFixedAndStreamsDependOnSeedAndComponentName()
    {
        ulong First(Simulation s, string name) => s.Rng(name).NextUInt64();
        Assert.Equal(First(new Simulation(), "kswapd"), First(new Simulation(Simulation.DefaultSeed), "kswapd"));
        Assert.Equal(First(new Simulation(1), "kswapd"), First(new Simulation(1), "kswapd"));
        Assert.NotEqual(First(new Simulation(1), "kswapd"), First(new Simulation(2), "kswapd"));
        Assert.NotEqual(First(new Simulation(1), "kswapd"), First(new Simulation(1), "vcpu0"));
    }

    [Fact]
    public void SteadyStateTimeoutsAllocateNothing()
    {
        var sim = new Simulation();
        var rng = sim.Rng("alloc");
        IEnumerable<Command> P()
        {
            while (true) yield return Command.Delay(1 + (long)rng.NextExponential(1e6));
        }
        for (int i = 0; i < 1_000; i++) sim.Start(P());
        sim.Run(1_000_000_000);   // let the queue's arrays reach their working size
        long before = GC.GetAllocatedBytesForCurrentThread();
        long events = sim.ProcessedEvents;
        sim.Run(4_000_000_000);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        events = sim.ProcessedEvents - events;
        Assert.True(events > 2_000_000);
        // Nothing per event (SimSharp: 248 B per timeout); at most an occasional queue-bucket array while the
        // time pattern is still new, so well under one byte per timeout.
        Assert.True(allocated < events, $"{allocated} bytes allocated for {events} timeouts");
    }
}
