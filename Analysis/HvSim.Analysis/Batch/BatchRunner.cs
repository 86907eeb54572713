using System.Text.Json.Nodes;
using HvSim.Analysis.Progress;
using HvSim.Analysis.Results;
using HvSim.Model.Config;
using HvSim.Model.Results;
using HvSim.Scenarios;
using HvSim.Scenarios.Language;
using HvSim.Scenarios.Planning;

namespace HvSim.Analysis.Batch;

public sealed record BatchOptions
{
    public required string OutDir { get; init; }
    public int Jobs { get; init; } = Environment.ProcessorCount;
    public Shard? Shard { get; init; }
    public ulong? SeedOverride { get; init; }
    public bool Check { get; init; }
    public long MaxMemoryBytes { get; init; } = MemoryEstimate.DefaultLimitBytes();
}

/// <param name="OtherRuns">Run folders in the output that belong to no run of this batch (another batch wrote there).</param>
public sealed record BatchOutcome(int Planned, int InShard, int Skipped, int Ran, IReadOnlyList<(string RunId, Exception Error)> Failed, bool Complete,
    int OtherRuns = 0);

/// <summary>
/// Runs every point × platform × replication of a set of scenarios on N workers. Each finished run is committed
/// atomically into its own folder, so a killed batch resumes where it stopped; the tables are assembled from the run
/// folders in plan order once all are present, which makes them independent of worker count, sharding and restarts.
/// </summary>
public sealed class BatchRunner(Func<SimulationConfig, RunProgress, RunResult> runSimulation)
{
    /// <summary>A batch over a model that cannot be watched while it runs (tests' fakes).</summary>
    public BatchRunner(Func<SimulationConfig, RunResult> runSimulation) : this((config, _) => runSimulation(config)) { }

    public BatchOutcome Run(IReadOnlyList<Scenario> scenarios, BatchOptions options, IRunsProgress progress)
    {
        var names = scenarios.GroupBy(s => s.Name).FirstOrDefault(g => g.Count() > 1);
        if (names is not null)
            throw new BatchInputException($"two scenarios are named '{names.Key}' ({string.Join(", ", names.Select(s => s.File))}); (allowed: a different name: in each scenario file)");
        var planned = RunSchedule.Plan(scenarios, options.SeedOverride, options.Check, options.MaxMemoryBytes);
        var plan = BatchPlan.From(scenarios, planned);
        var folder = new BatchFolder(options.OutDir);

        var mine = Enumerable.Range(0, planned.Count).Where(i => options.Shard?.Takes(i) ?? true).ToList();
        var pending = mine.Where(i => !folder.IsDone(plan.Runs[i])).ToList();
        int jobs = RunSchedule.Workers(pending.Select(i => planned[i].Config).ToList(), options.Jobs, options.MaxMemoryBytes, planned.Count);

        Directory.CreateDirectory(folder.Runs);
        folder.RemoveStaleTemporaries();
        Manifest.Write(folder.ManifestPath, plan.ToManifest());

        var failed = RunSchedule.Execute(planned, pending, jobs, runSimulation, progress,
            (i, result, wall) => Commit(folder, plan.Runs[i], planned[i], result, wall), alreadyDone: mine.Count - pending.Count);
        bool complete = plan.Runs.All(folder.IsDone);
        if (complete) BatchAggregator.Write(folder, plan);
        return new BatchOutcome(planned.Count, mine.Count, mine.Count - pending.Count, pending.Count - failed.Count,
            failed.Select(f => (f.Run.RunId, f.Error)).ToList(), complete,
            folder.CountOtherRuns(plan));
    }

    private static void Commit(BatchFolder folder, BatchPlanEntry entry, PlannedRun run, RunResult result, TimeSpan wall)
    {
        var rows = RunRows.From(new RunKey(entry.Scenario, run.Platform, entry.Replication, entry.Seed), result);
        var tmp = AtomicFile.TempFolderFor(folder.RunDir(entry.RunId));
        ResultsTables.Write(tmp, [rows], run.Scenario.Template.Outputs);
        Manifest.Write(Path.Combine(tmp, BatchFolder.RunFile), new JsonObject { ["run_id"] = entry.RunId, ["config_sha256"] = entry.ConfigSha256 });
        Manifest.Write(Path.Combine(tmp, BatchFolder.TimingFile), new JsonObject { ["wall_s"] = Math.Round(wall.TotalSeconds, 3) });
        var final = folder.RunDir(entry.RunId);
        if (Directory.Exists(final)) Directory.Delete(final, recursive: true); // stale: made from another configuration
        AtomicFile.CommitFolder(tmp, final);
    }
}
