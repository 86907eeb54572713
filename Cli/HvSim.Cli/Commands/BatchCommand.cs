using System.CommandLine;
using System.Diagnostics;
using HvSim.Analysis.Batch;
using HvSim.Analysis.Progress;
using HvSim.Cli.Progress;
using HvSim.Model.Results;
using HvSim.Analysis.Results;
using HvSim.Model;
using HvSim.Scenarios;
using HvSim.Scenarios.Language;
using Spectre.Console;

namespace HvSim.Cli.Commands;

/// <summary>`hvsim batch PATH...`: all scenarios × sweep points × replications, in parallel, resumable and shardable.</summary>
internal static class BatchCommand
{
    public static Command Create()
    {
        var paths = new Argument<string[]>("paths") { Description = "Scenario files or folders of *.yaml files", Arity = ArgumentArity.OneOrMore };
        var outDir = CliOptions.OutFolder("Batch results folder (default: results/batch-NAME for one scenario named NAME, results/batch for several)");
        var jobs = CliOptions.Jobs("Runs");
        var shard = new Option<string?>("--shard") { Description = "Run one deterministic slice: K/N (1-based), slurm (job array variables) or k8s (Indexed Job)" };
        var seed = CliOptions.Seed("Master seed, replacing every scenario's `seed:` key");
        var check = new Option<bool>("--check") { Description = "Check the memory-model invariants while running (slow)" };
        var maxMemory = CliOptions.MaxMemory("Refuse when the parallel runs are estimated to need more (e.g. 16GiB; default 80% of physical memory)");
        var cmd = new Command("batch", "Run scenarios × sweep points × replications in parallel; finished runs are kept, so re-running resumes")
        {
            paths, outDir, jobs, shard, seed, check, maxMemory,
        };
        cmd.SetAction(parse =>
        {
            var scenarios = ScenarioSet.Load(parse.GetValue(paths)!);
            var options = new BatchOptions
            {
                OutDir = parse.GetValue(outDir) ?? DefaultOut(scenarios),
                Jobs = parse.JobsOrCores(jobs),
                Shard = parse.GetValue(shard) is { } s ? Shard.Parse(s, Environment.GetEnvironmentVariable) : null,
                SeedOverride = parse.GetValue(seed),
                Check = parse.GetValue(check),
                MaxMemoryBytes = CliScenarios.MaxMemory(parse.GetValue(maxMemory)),
            };
            RunSchedule.CheckRunList(scenarios, options.MaxMemoryBytes); // before the folder is touched
            OutputFolder.Claim(options.OutDir, "batch");
            var runner = new BatchRunner((config, live) => SimulationRunner.Run(config, live));
            var clock = Stopwatch.StartNew();
            var outcome = LiveRuns.Show("", progress => runner.Run(scenarios, options, progress), announce: "batch: ");
            return Report(outcome, options, clock.Elapsed);
        });
        return cmd;
    }

    /// <summary>One folder per scenario by default, so that batches of different scenarios do not share run folders (QA F39).</summary>
    internal static string DefaultOut(IReadOnlyList<Scenario> scenarios) =>
        Path.Combine("results", scenarios.Count == 1 ? $"batch-{scenarios[0].Name}" : "batch");

    internal static int Report(BatchOutcome o, BatchOptions options, TimeSpan wall)
    {
        var shardText = options.Shard is null ? "" : $" (shard {options.Shard}: {o.InShard} of them)";
        Console.WriteLine($"{o.Planned} runs planned{shardText}: {o.Ran} ran, {o.Skipped} already done, {o.Failed.Count} failed, in {wall.TotalSeconds:0.0} s.");
        foreach (var (id, error) in o.Failed) Console.Error.WriteLine($"run {id} failed: {error.Message}");
        if (o.Complete)
        {
            Console.WriteLine($"Results in {options.OutDir}");
            CliScenarios.WriteReport(options.OutDir);
        }
        else if (o.Failed.Count == 0) Console.WriteLine($"This shard is done; combine the shard folders with: hvsim merge DIR... --out DIR");
        if (o.OtherRuns > 0)
            Console.WriteLine($"Note: {Path.Combine(options.OutDir, BatchFolder.RunsFolder)}/ also holds {o.OtherRuns} run folder(s) of another batch; " +
                "they are left alone and are not in this batch's tables. Give each batch its own --out.");
        if (o.Failed.Count > 0)
        {
            // F42: say what is missing and how to finish, so nobody mistakes runs/ for the whole batch.
            string tables = string.Join(", ", new[] { BatchFolder.RunsTable, ResultsTables.Summary, ResultsTables.Host, ResultsTables.Timeseries, ResultsTables.FaultLatency, BatchFolder.TimingTable });
            Console.Error.WriteLine($"hvsim batch: not written: {tables} and the report (they need every run). " +
                $"The {o.Skipped + o.Ran} finished run(s) are kept in {Path.Combine(options.OutDir, "runs")}/. " +
                $"Fix the cause and resume with the same command and --out {options.OutDir}: finished runs are skipped, only the failed ones run again.");
        }
        return o.Failed.Count == 0 ? ExitCodes.Ok : ExitCodes.RunFailed;
    }
}
