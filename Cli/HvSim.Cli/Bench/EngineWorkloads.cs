using HvSim.Engine;
using HvSim.Engine.Resources;

namespace HvSim.Cli.Bench;

/// <summary>
/// The engine workloads of issue 2, the same as were measured with SimSharp and SimPy (design-notes section 1).
/// One time unit of the original workloads (Exp(1)) is 1 ms = 1e6 ticks here, so integer rounding makes ties rare,
/// as with the double clocks of those kernels.
/// </summary>
internal static class EngineWorkloads
{
    private const double Unit = 1e6;

    public static IReadOnlyList<EngineWorkload> All { get; } =
    [
        new("procs", 10_000_000, Procs),
        new("seq", 10_000_000, Seq),
        new("bulk", 10_000_000, Bulk),
        new("mm1", 1_000_000, Mm1),
    ];

    private static long Ticks(RngStream rng, double mean) => (long)(rng.NextExponential(mean) * Unit);

    /// <summary>1,000 processes, each yielding ops/1,000 Exp(1) timeouts.</summary>
    private static long Procs(long ops)
    {
        var sim = new Simulation();
        var rng = sim.Rng("procs");
        const int processes = 1000;
        long each = ops / processes;
        for (int i = 0; i < processes; i++) sim.Start(Timeouts(rng, each), "proc");
        sim.Run();
        return sim.ProcessedEvents - processes;
    }

    /// <summary>One process yielding ops Exp(1) timeouts one after another.</summary>
    private static long Seq(long ops)
    {
        var sim = new Simulation();
        sim.Start(Timeouts(sim.Rng("seq"), ops), "seq");
        sim.Run();
        return sim.ProcessedEvents - 1;
    }

    private static IEnumerable<Command> Timeouts(RngStream rng, long count)
    {
        for (long i = 0; i < count; i++) yield return Command.Delay(Ticks(rng, 1));
    }

    /// <summary>10 rounds of scheduling ops/10 fire-and-forget Exp(1) timeouts, then waiting past the last.</summary>
    private static long Bulk(long ops)
    {
        var sim = new Simulation();
        sim.Start(BulkRounds(sim, sim.Rng("bulk"), ops / 10), "bulk");
        sim.Run();
        return sim.ProcessedEvents - 1 - 10;
    }

    private static IEnumerable<Command> BulkRounds(Simulation sim, RngStream rng, long perRound)
    {
        for (int round = 0; round < 10; round++)
        {
            long last = 0;
            for (long i = 0; i < perRound; i++)
            {
                long d = Ticks(rng, 1);
                sim.ScheduleTimeout(d);
                last = Math.Max(last, d);
            }
            yield return Command.Delay(last + 1);
        }
    }

    /// <summary>
    /// M/M/1: Exp(1) inter-arrivals, Exp(0.8) service on a capacity-1 resource, one process per customer, spawned
    /// (nobody waits for a customer, so it needs no <see cref="Process"/> handle) from an iterator method returning
    /// <see cref="IEnumerator{Command}"/>: a customer costs one 72-byte iterator.
    /// </summary>
    private static long Mm1(long customers)
    {
        var sim = new Simulation();
        var server = new Resource(sim, 1, "server");
        sim.Start(Arrivals(sim, server, sim.Rng("arrivals"), sim.Rng("service"), customers), "arrivals");
        sim.Run();
        return customers;
    }

    private static IEnumerable<Command> Arrivals(Simulation sim, Resource server, RngStream arrivals, RngStream service, long customers)
    {
        for (long i = 0; i < customers; i++)
        {
            sim.Spawn(Customer(server, Ticks(service, 0.8)), "customer");
            yield return Command.Delay(Ticks(arrivals, 1));
        }
    }

    private static IEnumerator<Command> Customer(Resource server, long serviceTicks)
    {
        yield return server.Request(out var req);
        using (req)
            yield return Command.Delay(serviceTicks);
    }
}

/// <summary>A named workload: runs the given number of operations and returns how many it did.</summary>
internal sealed record EngineWorkload(string Name, long Operations, Func<long, long> Run);
