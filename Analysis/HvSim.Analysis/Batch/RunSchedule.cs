using HvSim.Model.Config;
using HvSim.Scenarios;
using HvSim.Scenarios.Language;
using HvSim.Scenarios.Planning;

namespace HvSim.Analysis.Batch;

/// <summary>
/// How `hvsim run` and `hvsim batch` execute runs: one plan (seed override, `--check`), one memory check for the
/// parallelism, one parallel loop. The commands only wire their options to it.
/// </summary>
public static class RunSchedule
{
    /// <summary>
    /// Every point × platform × replication of <paramref name="scenarios"/> in plan order; <paramref name="seedOverride"/>
    /// replaces each scenario's seed, <paramref name="check"/> turns the invariant checker on.
    /// </summary>
    public static List<PlannedRun> Plan(IEnumerable<Scenario> scenarios, ulong? seedOverride, bool check) =>
        scenarios.SelectMany(s => RunPlanner.Plan(s, seedOverride))
            .Select(r => check ? r with { Config = r.Config with { CheckInvariants = true } } : r).ToList();

    /// <summary>
    /// Workers for <paramref name="runs"/>: <paramref name="jobs"/>, at most one per run and at least one. Throws
    /// <see cref="BatchInputException"/> when that many of the largest run are estimated to need more than
    /// <paramref name="maxMemoryBytes"/>.
    /// </summary>
    public static int Workers(IReadOnlyList<SimulationConfig> runs, int jobs, long maxMemoryBytes)
    {
        int workers = Math.Max(1, Math.Min(jobs, runs.Count));
        long perRun = runs.Count == 0 ? 0 : runs.Max(MemoryEstimate.Bytes);
        if (perRun * workers > maxMemoryBytes)
            throw new BatchInputException(
                $"estimated memory {Units.FormatSizeApprox(perRun * workers)} ({workers} parallel run(s) of up to {Units.FormatSizeApprox(perRun)}) " +
                $"exceeds the limit {Units.FormatSizeApprox(maxMemoryBytes)} (allowed: raise --max-memory, lower --jobs, or shrink the scenario)");
        return workers;
    }

    /// <summary>Calls <paramref name="run"/> for each of <paramref name="indices"/> on <paramref name="workers"/> threads.</summary>
    public static void Run(IEnumerable<int> indices, int workers, Action<int> run) =>
        Parallel.ForEach(indices, new ParallelOptions { MaxDegreeOfParallelism = workers }, run);
}
