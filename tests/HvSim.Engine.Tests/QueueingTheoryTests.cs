using HvSim.Engine.Resources;
using MathNet.Numerics.Distributions;

namespace HvSim.Engine.Tests;

/// <summary>
/// Mean waiting time in queue against the Pollaczek-Khinchine formula Wq = lambda E[S^2] / (2 (1 - rho)),
/// with a 99.9 % batch-means confidence interval computed from the run itself.
/// </summary>
public class QueueingTheoryTests
{
    private const double Ms = 1e6;   // one time unit = 1 ms = 1e6 ns

    [Fact]
    public void MM1MeanWaitMatchesTheory()
    {
        // lambda = 1, E[S] = 0.8, E[S^2] = 2 * 0.8^2: Wq = 1.28 / 0.4 = 3.2
        var (mean, half) = SimulateWaits(seed: 11, exponentialService: true);
        Assert.InRange(3.2, mean - half, mean + half);
        Assert.True(half < 0.4, $"confidence half-width {half} too wide to be a real test");
    }

    /// <summary>
    /// The same M/M/1 with spawned customers (no handles, iterators of <see cref="IEnumerator{Command}"/>): a million
    /// customers pass through a few reused slots, so any state a slot kept from its previous customer (a stale wake-up
    /// resuming the wrong customer, a grant handed to a finished one) would show as a wrong mean wait.
    /// </summary>
    [Fact]
    public void MM1MeanWaitMatchesTheoryWithSpawnedCustomers()
    {
        var (mean, half) = SimulateWaits(seed: 13, exponentialService: true, spawn: true);
        Assert.InRange(3.2, mean - half, mean + half);
        Assert.True(half < 0.4, $"confidence half-width {half} too wide to be a real test");
    }

    [Fact]
    public void MD1MeanWaitMatchesTheory()
    {
        // lambda = 1, S = 0.8 exactly, E[S^2] = 0.64: Wq = 0.64 / 0.4 = 1.6
        var (mean, half) = SimulateWaits(seed: 12, exponentialService: false);
        Assert.InRange(1.6, mean - half, mean + half);
        Assert.True(half < 0.2, $"confidence half-width {half} too wide to be a real test");
    }

    private static (double Mean, double HalfWidth) SimulateWaits(ulong seed, bool exponentialService, bool spawn = false)
    {
        const int warmup = 20_000, batches = 40, perBatch = 10_000;
        const int customers = warmup + batches * perBatch;
        var sim = new Simulation(seed);
        var server = new Resource(sim, 1, "server");
        var arrivals = sim.Rng("arrivals");
        var service = sim.Rng("service");
        var waits = new double[customers];
        int inService = 0;
        IEnumerator<Command> Customer(int id, long serviceTicks)
        {
            long arrived = sim.Now;
            yield return server.Request(out var req);
            waits[id] = (sim.Now - arrived) / Ms;
            if (++inService != 1) throw new InvalidOperationException("two customers in service on one unit");
            using (req)
            {
                yield return Command.Delay(serviceTicks);
                inService--;
            }
        }
        IEnumerable<Command> Source()
        {
            for (int i = 0; i < customers; i++)
            {
                long s = exponentialService ? (long)(service.NextExponential(0.8) * Ms) : (long)(0.8 * Ms);
                if (spawn) sim.Spawn(Customer(i, s), "customer");
                else sim.Start(Customer(i, s), "customer");
                yield return Command.Delay((long)(arrivals.NextExponential(1.0) * Ms));
            }
        }
        sim.Start(Source(), "source");
        sim.Run();
        var means = new double[batches];
        for (int b = 0; b < batches; b++)
            means[b] = waits.AsSpan(warmup + b * perBatch, perBatch).ToArray().Average();
        double grand = means.Average();
        double sd = Math.Sqrt(means.Sum(m => (m - grand) * (m - grand)) / (batches - 1));
        double t = StudentT.InvCDF(0, 1, batches - 1, 0.9995);
        return (grand, t * sd / Math.Sqrt(batches));
    }
}
