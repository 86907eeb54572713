using HvSim.Analysis.Batch;
using HvSim.Analysis.Progress;
using HvSim.Model.Config;
using HvSim.Model.Results;
using HvSim.Scenarios.Planning;

namespace HvSim.Scenarios.Tests;

/// <summary>
/// The one run orchestration of `run` and `batch` (issue 15, item 5): <see cref="RunSchedule.Execute"/> runs each
/// pending run once, tells the display about each by its position in the pending list, keeps each result by its run
/// index, and collects failures in run-id order; `run` stops starting runs after the first failure.
/// </summary>
public class RunScheduleTests
{
    private const string Sweep = """
        name: study
        seed: 5
        platform: both
        duration: 2s
        host: {memory: 8GiB}
        guests: {memory: 1GiB, workload: {kind: uniform}}
        sweep:
          guests.count: [1, 2, 3]
        """;

    /// <summary>Records every call a display gets.</summary>
    private sealed class Recorder : IRunsProgress
    {
        public List<string> Pending = [];
        public List<double> Costs = [];
        public int AlreadyDone = -1;
        public List<int> Ran = [];
        public List<(int Run, bool Failed)> Ended = [];

        public void Started(IReadOnlyList<PlannedRun> pending, IReadOnlyList<double> costs, int alreadyDone) =>
            (Pending, Costs, AlreadyDone) = (pending.Select(r => r.RunId).ToList(), costs.ToList(), alreadyDone);
        public void Running(int run, RunProgress live) { lock (this) Ran.Add(run); }
        public void Finished(int run, RunResult? result, TimeSpan wall, Exception? error)
        {
            lock (this) Ended.Add((run, error is not null));
            Assert.True(result is null == error is not null, "a finished run has a result or an error, never both");
        }
    }

    private static List<PlannedRun> Plan(TempDir dir) =>
        RunSchedule.Plan(ScenarioSet.Load([dir.File("s.yaml", Sweep)]), null, check: false, maxMemoryBytes: long.MaxValue);

    [Fact]
    public void EveryPendingRunRunsOnceAndIsKeptByItsRunIndexWhateverTheWorkerCount()
    {
        using var dir = new TempDir();
        var runs = Plan(dir);
        Assert.Equal(6, runs.Count); // 3 points x 2 platforms
        int[] pending = [1, 2, 4, 5]; // 0 and 3 already done, as in a resumed batch
        foreach (int workers in new[] { 1, 2 })
        {
            var progress = new Recorder();
            var kept = new SimulationConfig?[runs.Count];
            var failed = RunSchedule.Execute(runs, pending, workers, (c, _) => FakeModel.Run(c), progress,
                (i, result, _) => kept[i] = runs[i].Config, alreadyDone: 2);
            Assert.Empty(failed);
            Assert.Equal(pending.Select(i => runs[i].RunId), progress.Pending);
            Assert.Equal(2, progress.AlreadyDone);
            Assert.Equal([0, 1, 2, 3], progress.Ran.Order());
            Assert.Equal([0, 1, 2, 3], progress.Ended.Select(f => f.Run).Order());
            for (int i = 0; i < runs.Count; i++) Assert.Same(pending.Contains(i) ? runs[i].Config : null, kept[i]);
            // Costs weigh each run by its accesses: in proportion to its guests (same workload, duration and vCPUs).
            var perGuest = pending.Select((i, k) => progress.Costs[k] / runs[i].Config.Guests.Count).ToList();
            Assert.Contains(pending, i => runs[i].Config.Guests.Count != runs[pending[0]].Config.Guests.Count);
            Assert.All(perGuest, c => Assert.Equal(perGuest[0], c, 9));
        }
    }

    [Fact]
    public void FailuresAreCollectedInRunIdOrderAndRunStopsStartingRunsAfterTheFirst()
    {
        using var dir = new TempDir();
        var runs = Plan(dir);
        var all = Enumerable.Range(0, runs.Count).ToList();
        RunResult FailPpc970(SimulationConfig c, RunProgress _) =>
            c.Platform == Platform.Ppc970 ? throw new InvalidOperationException("boom " + c.Guests.Count) : FakeModel.Run(c);

        var batch = new Recorder();
        var failed = RunSchedule.Execute(runs, all, 1, FailPpc970, batch, (_, _, _) => { });
        Assert.Equal(runs.Where(r => r.Platform == Platform.Ppc970).Select(r => r.RunId).Order(StringComparer.Ordinal), failed.Select(f => f.Run.RunId));
        Assert.Equal(6, batch.Ended.Count); // a batch goes on after a failure

        var run = new Recorder();
        failed = RunSchedule.Execute(runs, all, 1, FailPpc970, run, (_, _, _) => { }, stopAtFirstFailure: true);
        Assert.Single(failed);
        Assert.Equal(1, run.Ended.Count(f => f.Failed));
        // One worker takes the dearest runs first (longest-processing-time order, ties in plan order): point 2's, with 3
        // guests, at positions 4 (POWER7, succeeds) and 5 (PPC970, fails); nothing starts after the failure.
        Assert.Equal([(4, false), (5, true)], run.Ended);
    }
}
