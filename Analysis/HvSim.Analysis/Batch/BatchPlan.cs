using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using HvSim.Analysis.Results;
using HvSim.Scenarios;
using HvSim.Scenarios.Language;
using HvSim.Scenarios.Planning;

namespace HvSim.Analysis.Batch;

/// <summary>One run of a batch as manifest.json records it (enough to merge and tabulate without the scenario files).</summary>
public sealed record BatchPlanEntry(
    string RunId, string Scenario, int Point, string Platform, int Replication, ulong Seed,
    IReadOnlyList<KeyValuePair<string, string>> Parameters, string ConfigSha256, JsonObject Config);

/// <summary>The full list of runs of a batch, in plan order; it is the body of manifest.json.</summary>
public sealed class BatchPlan
{
    public required IReadOnlyList<BatchPlanEntry> Runs { get; init; }
    public required JsonArray Scenarios { get; init; }

    /// <summary>Sweep parameter columns of runs.csv: every swept path, in order of first appearance.</summary>
    public IReadOnlyList<string> ParameterColumns => Runs.SelectMany(r => r.Parameters.Select(p => p.Key)).Distinct().ToList();

    public static BatchPlan From(IReadOnlyList<Scenario> scenarios, IReadOnlyList<PlannedRun> runs)
    {
        var entries = runs.Select(r =>
        {
            var config = Manifest.Config(r.Config);
            var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(config.ToJsonString())));
            return new BatchPlanEntry(r.RunId, r.Scenario.Name, r.Point.Index, ScenarioKeys.PlatformName(r.Platform), r.Replication, r.Seed,
                r.Point.Assignments.Select(a => KeyValuePair.Create(a.Path, a.Canonical)).ToList(), hash, config);
        }).ToList();
        var scenarioList = new JsonArray(scenarios.Select(s => (JsonNode)new JsonObject
        {
            ["name"] = s.Name,
            ["file"] = Path.GetFileName(s.File),
            ["sha256"] = s.Sha256,
            ["seed"] = s.Settings.Seed,
            ["replications"] = s.Settings.Replications,
            ["platforms"] = new JsonArray(s.Settings.Platforms.Select(p => (JsonNode)ScenarioKeys.PlatformName(p)!).ToArray()),
            ["sweep_mode"] = s.SweepMode,
            ["sweep_paths"] = new JsonArray(s.SweepPaths.Select(p => (JsonNode)p!).ToArray()),
            ["points"] = s.Points.Count,
        }).ToArray());
        return new BatchPlan { Runs = entries, Scenarios = scenarioList };
    }

    public JsonObject ToManifest()
    {
        var m = Manifest.Header("hvsim batch");
        m["kind"] = "batch";
        m["scenarios"] = Scenarios.DeepClone();
        m["defaults"] = Defaults.Json();
        m["runs"] = new JsonArray(Runs.Select(r => (JsonNode)new JsonObject
        {
            ["run_id"] = r.RunId,
            ["scenario"] = r.Scenario,
            ["point"] = r.Point,
            ["platform"] = r.Platform,
            ["replication"] = r.Replication,
            ["seed"] = r.Seed,
            ["parameters"] = new JsonObject(r.Parameters.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))),
            ["config_sha256"] = r.ConfigSha256,
            ["config"] = r.Config.DeepClone(),
        }).ToArray());
        return m;
    }

    public static BatchPlan FromManifest(JsonNode manifest)
    {
        if (manifest["kind"]?.GetValue<string>() != "batch" || manifest["runs"] is not JsonArray runs)
            throw new BatchInputException("manifest.json is not the manifest of an hvsim batch");
        var entries = runs.Select(n => new BatchPlanEntry(
            n!["run_id"]!.GetValue<string>(), n["scenario"]!.GetValue<string>(), n["point"]!.GetValue<int>(), n["platform"]!.GetValue<string>(),
            n["replication"]!.GetValue<int>(), n["seed"]!.GetValue<ulong>(),
            n["parameters"]!.AsObject().Select(p => KeyValuePair.Create(p.Key, p.Value!.GetValue<string>())).ToList(),
            n["config_sha256"]!.GetValue<string>(), n["config"]!.AsObject())).ToList();
        return new BatchPlan { Runs = entries, Scenarios = manifest["scenarios"]!.AsArray() };
    }
}

/// <summary>The key table's defaults, echoed into manifests (`host.memory: 8GiB`, ...).</summary>
public static class Defaults
{
    public static JsonObject Json()
    {
        var o = new JsonObject();
        void Add(string prefix, IEnumerable<KeyDef> keys)
        {
            foreach (var k in keys) o[prefix + k.Name] = k.DefaultText;
        }
        Add("", ScenarioKeys.Root.Keys);
        Add("host.", ScenarioKeys.Host.Keys);
        Add("host.swap.", ScenarioKeys.Swap.Keys);
        Add("costs.", ScenarioKeys.Costs.Keys);
        Add("guests.", ScenarioKeys.Guests.Keys);
        foreach (var kind in WorkloadKinds.All) Add($"guests.workload({kind.Name}).", kind.AllKeys);
        return o;
    }
}
