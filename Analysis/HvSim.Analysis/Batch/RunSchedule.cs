using System.Collections.Concurrent;
using System.Diagnostics;
using HvSim.Analysis.Progress;
using HvSim.Model.Config;
using HvSim.Model.Results;
using HvSim.Scenarios;
using HvSim.Scenarios.Language;
using HvSim.Scenarios.Planning;

namespace HvSim.Analysis.Batch;

/// <summary>
/// How `hvsim run` and `hvsim batch` execute runs: one plan (seed override, `--check`), one memory check for the
/// parallelism, one parallel loop that reports each run to a display (<see cref="Execute"/>). The commands only wire
/// their options to it: <see cref="Plan"/>, then <see cref="Workers"/> (before anything is written), then <see cref="Execute"/>.
/// </summary>
public static class RunSchedule
{
    /// <summary>
    /// Every point × platform × replication of <paramref name="scenarios"/> in plan order; <paramref name="seedOverride"/>
    /// replaces each scenario's seed, <paramref name="check"/> turns the invariant checker on. Refused before any run is
    /// planned when the run list alone would need more than <paramref name="maxMemoryBytes"/>.
    /// </summary>
    public static List<PlannedRun> Plan(IReadOnlyList<Scenario> scenarios, ulong? seedOverride, bool check, long maxMemoryBytes)
    {
        CheckRunList(scenarios, maxMemoryBytes);
        return scenarios.SelectMany(s => RunPlanner.Plan(s, seedOverride))
            .Select(r => check ? r with { Config = r.Config with { CheckInvariants = true } } : r).ToList();
    }

    /// <summary>Throws <see cref="BatchInputException"/> when the runs of <paramref name="scenarios"/>, counted without planning them, would need more than <paramref name="maxMemoryBytes"/> as a list.</summary>
    public static void CheckRunList(IReadOnlyList<Scenario> scenarios, long maxMemoryBytes)
    {
        long count = scenarios.Sum(RunPlanner.Count);
        long listBytes = MemoryEstimate.RunListBytes(count);
        if (listBytes > maxMemoryBytes)
            throw new BatchInputException(
                $"{count:N0} runs planned (sweep points × platforms × replications): their run list alone is estimated at {Units.FormatSizeApprox(listBytes)} " +
                $"({Units.FormatSizeApprox(MemoryEstimate.BytesPerPlannedRun)} per run), which exceeds the limit {Units.FormatSizeApprox(maxMemoryBytes)} " +
                "(allowed: fewer sweep values or replications, several smaller batches, or a higher --max-memory)");
    }

    /// <summary>
    /// Workers for <paramref name="runs"/>: <paramref name="jobs"/>, at most one per run and at least one. Throws
    /// <see cref="BatchInputException"/> when that many of the largest run, plus the list of
    /// <paramref name="plannedRuns"/> runs, are estimated to need more than <paramref name="maxMemoryBytes"/>.
    /// </summary>
    public static int Workers(IReadOnlyList<SimulationConfig> runs, int jobs, long maxMemoryBytes, long plannedRuns)
    {
        int workers = Math.Max(1, Math.Min(jobs, runs.Count));
        long perRun = runs.Count == 0 ? 0 : runs.Max(MemoryEstimate.Bytes);
        long list = MemoryEstimate.RunListBytes(plannedRuns);
        long total = perRun * workers + list;
        if (total > maxMemoryBytes)
            throw new BatchInputException(
                $"estimated memory {Units.FormatSizeApprox(total)} ({workers} parallel run(s) of up to {Units.FormatSizeApprox(perRun)}, " +
                $"and {Units.FormatSizeApprox(list)} for the list of {plannedRuns:N0} runs) exceeds the limit {Units.FormatSizeApprox(maxMemoryBytes)} " +
                "(allowed: raise --max-memory, lower --jobs, or shrink the scenario)");
        return workers;
    }

    /// <summary>
    /// Simulates the runs at <paramref name="pending"/> (indices into <paramref name="runs"/>) on <paramref name="workers"/>
    /// threads through <paramref name="simulate"/>, each watched live by <paramref name="progress"/> and weighted by its
    /// expected cost (<see cref="RunCost"/>). <paramref name="keep"/> takes each result on its worker (`run` keeps it in
    /// memory, `batch` commits it to its run folder); a run that throws, or whose <paramref name="keep"/> throws, is a
    /// failure. <paramref name="alreadyDone"/> runs of the command were finished before (a resumed batch): the display
    /// says so. With <paramref name="stopAtFirstFailure"/> no run starts after one failed. Returns the failures in
    /// run-id order.
    /// </summary>
    public static List<(PlannedRun Run, Exception Error)> Execute(IReadOnlyList<PlannedRun> runs, IReadOnlyList<int> pending, int workers,
        Func<SimulationConfig, RunProgress, RunResult> simulate, IRunsProgress progress, Action<int, RunResult, TimeSpan> keep,
        int alreadyDone = 0, bool stopAtFirstFailure = false)
    {
        var cost = pending.Select(i => RunCost.Expected(runs[i].Config)).ToArray();
        progress.Started(pending.Select(i => runs[i]).ToList(), cost, alreadyDone);
        var failed = new List<(PlannedRun Run, Exception Error)>();
        Run(Enumerable.Range(0, pending.Count), workers, k =>
        {
            if (stopAtFirstFailure)
                lock (failed)
                    if (failed.Count > 0) return;
            int i = pending[k];
            var clock = Stopwatch.StartNew();
            try
            {
                var live = new RunProgress();
                progress.Running(k, live);
                var result = simulate(runs[i].Config, live);
                keep(i, result, clock.Elapsed);
                progress.Finished(k, result, clock.Elapsed, null);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                lock (failed) failed.Add((runs[i], e));
                progress.Finished(k, null, clock.Elapsed, e);
            }
        }, k => cost[k]);
        failed.Sort((a, b) => string.CompareOrdinal(a.Run.RunId, b.Run.RunId));
        return failed;
    }

    /// <summary>
    /// Calls <paramref name="run"/> for each of <paramref name="indices"/> on <paramref name="workers"/> threads, the
    /// dearest first by <paramref name="cost"/> (longest-processing-time order, so a long run does not start last while
    /// the other workers idle), handing out one run at a time: the default partitioner takes growing chunks from an
    /// enumerable, which leaves one worker with several runs at the end while the others have none. Results are
    /// written by index, so the order never shows in them.
    /// </summary>
    public static void Run(IEnumerable<int> indices, int workers, Action<int> run, Func<int, double>? cost = null)
    {
        var order = cost is null ? indices : indices.OrderByDescending(cost).ThenBy(i => i);
        Parallel.ForEach(Partitioner.Create(order, EnumerablePartitionerOptions.NoBuffering),
            new ParallelOptions { MaxDegreeOfParallelism = workers }, run);
    }
}
