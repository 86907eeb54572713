using System.Collections.Concurrent;
using HvSim.Analysis.Results;
using HvSim.Engine.Monitors;
using HvSim.Model;
using HvSim.Model.Config;
using HvSim.Model.Results;

namespace HvSim.Analysis.Planning;

/// <summary>One replication of a probe as it ran: its configuration and the rows it adds to the results tables.</summary>
public sealed record ProbeRun(PlanPoint Point, int Replication, SimulationConfig Config, RunRows Rows);

/// <summary>
/// The real evaluator: builds the plan's configuration for a probe (the scenario's, or its lever's) and runs the
/// discrete-event model on it. Every run is kept (<see cref="Runs"/>), so the plan folder records each probe's full
/// results, not only its SLO metrics.
/// </summary>
public sealed class SimulationEvaluator(Func<PlanPoint, PlanTarget> targetOf, Func<PlanPoint, int, ulong> seedOf) : IPlanEvaluator
{
    /// <summary>Every probe from one configuration and guest mix (a plan without levers).</summary>
    public SimulationEvaluator(SimulationConfig baseConfig, GuestMix mix, Func<PlanPoint, int, ulong> seedOf) : this(_ => new PlanTarget(baseConfig, mix), seedOf) { }

    /// <summary>The evaluator of <paramref name="spec"/>: its scenario, its levers and its seeds.</summary>
    public static SimulationEvaluator For(PlanSpec spec) => new(spec.TargetOf, spec.SeedOf);

    private readonly ConcurrentDictionary<(PlanPoint, int), ProbeRun> _runs = new();

    /// <summary>Every run made so far, in no particular order (replications run in parallel).</summary>
    public IReadOnlyCollection<ProbeRun> Runs => (IReadOnlyCollection<ProbeRun>)_runs.Values;

    /// <summary>Told when each replication starts (with its live view) and ends.</summary>
    public IPlanProgress? Progress { get; init; }

    public ProbeMetrics Evaluate(PlanPoint point, int replication)
    {
        var config = ConfigAt(point, replication);
        var live = new RunProgress();
        Progress?.RunStarted(point, replication, live);
        var result = SimulationRunner.Run(config, live);
        Progress?.RunFinished(point, replication);
        _runs[(point, replication)] = new ProbeRun(point, replication, config,
            RunRows.From(new RunKey(targetOf(point).BaseConfig.Name, point.Platform, replication, config.Seed), result));
        return Measure(result);
    }

    /// <summary>The configuration a probe at <paramref name="point"/> runs.</summary>
    public SimulationConfig ConfigAt(PlanPoint point, int replication)
    {
        var (baseConfig, mix) = targetOf(point);
        var host = point.HostMemoryBytes is { } memory ? baseConfig.Host with { MemoryBytes = memory } : baseConfig.Host;
        return baseConfig with
        {
            Name = $"{baseConfig.Name}-{(point.Lever is { } lever ? lever + "-" : "")}{HvSim.Scenarios.Language.ScenarioKeys.PlatformName(point.Platform)}-{point.Guests}",
            Platform = point.Platform,
            Host = host,
            Guests = mix.Guests(point.Guests),
            Seed = seedOf(point, replication),
        };
    }

    /// <summary>The SLO metrics of one run, defined as in stats.csv (docs/analysis.md).</summary>
    public static ProbeMetrics Measure(RunResult result)
    {
        var admitted = result.Guests.Where(g => g.Admitted).ToList();
        var latency = new LogHistogram();
        foreach (var g in result.Guests) latency.Merge(g.FaultLatency);
        // Fault counters cover the whole run (stall time and latencies only the part after warm-up), so rates are per simulated second, as in stats.csv.
        double seconds = Math.Max(result.SimulatedNs, 1) / 1e9;
        return new ProbeMetrics(
            AllAdmitted: admitted.Count == result.Guests.Count,
            P99FaultLatencyUs: latency.Quantile(0.99) / 1e3, // NaN without faults (ProbeMetrics)
            MeanStallFraction: admitted.Count == 0 ? 0 : admitted.Average(g => g.StallFraction),
            MajorFaultsPerSecondPerGuest: admitted.Count == 0 ? 0 : admitted.Average(g => g.MajorFaults / seconds),
            SlowdownFactor: admitted.Count == 0 ? 1 : Statistics.Slowdown.Factor(admitted.Sum(g => (double)g.StalledNs), admitted.Sum(g => (double)g.VcpuNs)));
    }
}
