using System.Text.Json.Nodes;
using HvSim.Analysis.Batch;
using HvSim.Model.Results;
using HvSim.Scenarios;
using HvSim.Scenarios.Planning;

namespace HvSim.Analysis.Results;

/// <summary>
/// The results folder of `hvsim run`: the tables of every run of one scenario, and manifest.json. A swept scenario's
/// runs share scenario, platform and replication, so its tables take the batch layout: `run_id` in front of every row
/// and runs.csv with the swept values of each run.
/// </summary>
public static class ScenarioRunWriter
{
    public const string RunsTable = BatchFolder.RunsTable;

    /// <summary>
    /// Replace <paramref name="dir"/> by a folder of these runs' results, written beside it and renamed into place: a
    /// run killed or failing (a full disk) at any moment leaves the earlier results whole or the new ones, never a mix.
    /// </summary>
    public static void Write(string dir, Scenario scenario, IReadOnlyList<PlannedRun> runs, IReadOnlyList<RunResult> results, ulong seed, TimeSpan wall) =>
        AtomicFile.ReplaceFolder(dir, tmp => WriteInto(tmp, scenario, runs, results, seed, wall), IsOwnOutput);

    private static void WriteInto(string dir, Scenario scenario, IReadOnlyList<PlannedRun> runs, IReadOnlyList<RunResult> results, ulong seed, TimeSpan wall)
    {
        var rows = runs.Select((r, i) => RunRows.From(new RunKey(scenario.Name, r.Platform, r.Replication, r.Seed), results[i])).ToList();
        bool swept = scenario.SweepPaths.Count > 0;
        if (swept)
        {
            ResultsTables.WriteWithRunIds(dir, runs.Select((r, i) => (r.RunId, rows[i])).ToList(), scenario.Template.Outputs);
            BatchAggregator.WriteRunsTable(Path.Combine(dir, RunsTable), BatchPlan.From([scenario], runs));
        }
        else ResultsTables.Write(dir, rows, scenario.Template.Outputs);

        var manifest = Manifest.Header("hvsim run");
        manifest["kind"] = "run";
        manifest["scenario"] = scenario.Name;
        manifest["description"] = scenario.Template.Description;
        manifest["scenario_file"] = Path.GetFileName(scenario.File);
        manifest["scenario_sha256"] = scenario.Sha256;
        manifest["seed"] = seed;
        manifest["replications"] = scenario.Template.Replications;
        // The warm-up as one explicit top-level value, when every point shares it (readers need not search the configs).
        // `warmup: auto` differs by run: host.csv's warmup_s says what each used.
        var warmups = scenario.Points.Select(p => p.Template.Config.WarmupAuto ? (long?)null : p.Template.Config.WarmupNs).Distinct().ToList();
        if (warmups is [{ } warmup]) manifest["warmup_s"] = warmup / 1e9;
        else if (warmups is [null]) manifest["warmup_s"] = "auto";
        manifest["sweep_mode"] = scenario.SweepMode;
        manifest["sweep_paths"] = new JsonArray(scenario.SweepPaths.Select(p => (JsonNode)p!).ToArray());
        manifest["points"] = new JsonArray(scenario.Points.Select(p => (JsonNode)Manifest.WithLabel(new JsonObject
        {
            ["point"] = p.Index,
            ["parameters"] = Parameters(p),
            ["run_ids"] = new JsonArray(runs.Where(r => r.Point.Index == p.Index).Select(r => (JsonNode)r.RunId!).ToArray()),
        }, p.Label)).ToArray());
        manifest["defaults"] = Defaults.Json();
        manifest["runs"] = new JsonArray(runs.Select(r => (JsonNode)Manifest.WithLabel(new JsonObject
        {
            ["run_id"] = r.RunId,
            ["point"] = r.Point.Index,
            ["parameters"] = Parameters(r.Point),
            ["platform"] = Scenarios.Language.ScenarioKeys.PlatformName(r.Platform),
            ["replication"] = r.Replication,
            ["seed"] = r.Seed,
            ["config"] = Manifest.Config(r.Config),
        }, r.Point.Label)).ToArray());
        Manifest.Write(Path.Combine(dir, ResultsTables.Manifest), manifest);
        // Wall-clock time is the one thing a rerun changes: it lives in timing.json alone, so every other file is byte-identical (F43).
        Manifest.Write(Path.Combine(dir, BatchFolder.TimingFile), new JsonObject { ["wall_s"] = Math.Round(wall.TotalSeconds, 3) });
    }

    /// <summary>
    /// What a run writes, whether or not this one did: a run replaces the folder's results as a whole (F27), so tables
    /// an earlier run wrote and this one did not, and the earlier report (stats.csv, report.html, plots), go with the
    /// old folder and `hvsim plot` never mixes two runs. Anything else in the old folder (a user's notes) is kept.
    /// </summary>
    private static bool IsOwnOutput(string name) =>
        OwnFiles.Contains(name) || name == PlotsFolder || name.EndsWith(".png", StringComparison.Ordinal) || name.EndsWith(".svg", StringComparison.Ordinal);

    private const string PlotsFolder = "plots";

    private static readonly HashSet<string> OwnFiles = new(StringComparer.Ordinal)
    {
        ResultsTables.Summary, ResultsTables.Host, ResultsTables.Timeseries, ResultsTables.FaultLatency, ResultsTables.Manifest,
        RunsTable, BatchFolder.TimingFile, HvSim.Analysis.Statistics.StatsTable.FileName, HvSim.Analysis.Report.HtmlReport.FileName,
    };

    private static JsonObject Parameters(ScenarioPoint p) =>
        new(p.Assignments.Select(a => KeyValuePair.Create(a.Path, (JsonNode?)a.Canonical)));
}
