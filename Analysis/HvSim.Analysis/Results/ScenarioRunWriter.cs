using System.Globalization;
using System.Text.Json.Nodes;
using HvSim.Analysis.Batch;
using HvSim.Model.Results;
using HvSim.Scenarios;
using HvSim.Scenarios.Planning;

namespace HvSim.Analysis.Results;

/// <summary>The results folder of `hvsim run`: the tables of every run of one scenario, and manifest.json.</summary>
public static class ScenarioRunWriter
{
    public static void Write(string dir, Scenario scenario, IReadOnlyList<PlannedRun> runs, IReadOnlyList<RunResult> results, ulong seed, TimeSpan wall)
    {
        var rows = runs.Select((r, i) => RunRows.From(new RunKey(scenario.Name, r.Platform, r.Replication, r.Seed), results[i])).ToList();
        ResultsTables.Write(dir, rows, scenario.Settings.Outputs);
        var manifest = Manifest.Header("hvsim run");
        manifest["kind"] = "run";
        manifest["scenario"] = scenario.Name;
        manifest["scenario_file"] = Path.GetFileName(scenario.File);
        manifest["scenario_sha256"] = scenario.Sha256;
        manifest["seed"] = seed;
        manifest["replications"] = scenario.Settings.Replications;
        manifest["defaults"] = Defaults.Json();
        manifest["runs"] = new JsonArray(runs.Select(r => (JsonNode)new JsonObject
        {
            ["run_id"] = r.RunId,
            ["point"] = r.Point.Index,
            ["parameters"] = new JsonObject(r.Point.Assignments.Select(a => KeyValuePair.Create(a.Path, (JsonNode?)a.Canonical))),
            ["platform"] = Scenarios.Language.ScenarioKeys.PlatformName(r.Platform),
            ["replication"] = r.Replication,
            ["seed"] = r.Seed,
            ["config"] = Manifest.Config(r.Config),
        }).ToArray());
        manifest["wall_time_s"] = double.Parse(wall.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        Manifest.Write(Path.Combine(dir, ResultsTables.Manifest), manifest);
    }
}
