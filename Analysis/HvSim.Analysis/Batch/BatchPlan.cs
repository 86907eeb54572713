using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using HvSim.Analysis.Results;
using HvSim.Scenarios;
using HvSim.Scenarios.Language;
using HvSim.Scenarios.Planning;

namespace HvSim.Analysis.Batch;

/// <summary>
/// One run of a batch as manifest.json records it (enough to merge and tabulate without the scenario files);
/// <see cref="Label"/> is its sweep point's name from `labels:`, empty without one.
/// </summary>
public sealed record BatchPlanEntry(
    string RunId, string Scenario, int Point, string Platform, int Replication, ulong Seed,
    IReadOnlyList<KeyValuePair<string, string>> Parameters, string ConfigSha256, JsonObject Config, string Label = "");

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
                r.Point.Assignments.Select(a => KeyValuePair.Create(a.Path, a.Canonical)).ToList(), hash, config, r.Point.Label);
        }).ToList();
        var scenarioList = new JsonArray(scenarios.Select(s => (JsonNode)new JsonObject
        {
            ["name"] = s.Name,
            ["description"] = s.Template.Description,
            ["file"] = Path.GetFileName(s.File),
            ["sha256"] = s.Sha256,
            ["seed"] = s.Template.Config.Seed,
            ["replications"] = s.Template.Replications,
            ["platforms"] = new JsonArray(s.Template.Platforms.Select(p => (JsonNode)ScenarioKeys.PlatformName(p)!).ToArray()),
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
        m["runs"] = new JsonArray(Runs.Select(r => (JsonNode)Manifest.WithLabel(new JsonObject
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
        }, r.Label)).ToArray());
        return m;
    }

    /// <summary>
    /// The plan a batch manifest records. The manifest may come from another machine: every field is checked for its
    /// type, and every run id for being one safe file name, since `hvsim merge` makes the run's folder name of it.
    /// </summary>
    /// <exception cref="BatchInputException">What is missing or wrong, by its JSON path (`runs[3].seed`).</exception>
    public static BatchPlan FromManifest(JsonNode? manifest)
    {
        if (manifest is not JsonObject || manifest["kind"] is not JsonValue kind || !kind.TryGetValue(out string? k) || k != "batch")
            throw new BatchInputException("not the manifest of an hvsim batch (allowed: a JSON object with \"kind\": \"batch\")");
        if (manifest["runs"] is not JsonArray runs) throw new BatchInputException("'runs' is missing or not a list");
        if (manifest["scenarios"] is not JsonArray scenarios) throw new BatchInputException("'scenarios' is missing or not a list");
        var entries = new List<BatchPlanEntry>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < runs.Count; i++)
        {
            string at = $"runs[{i}]";
            var n = runs[i];
            var runId = Field<string>(n, "run_id", at);
            if (!OutputNames.IsSafe(runId))
                throw new BatchInputException($"{at}.run_id '{ValueParser.Shorten(runId)}' is not a run id (allowed: one file name of letters, digits, '-', '_' and '.', not starting with '.')");
            if (!ids.Add(runId)) throw new BatchInputException($"{at}.run_id '{runId}' appears twice (allowed: each run once)");
            if (n!["parameters"] is not JsonObject parameters) throw new BatchInputException($"{at}.parameters is missing or not an object");
            if (n["config"] is not JsonObject config) throw new BatchInputException($"{at}.config is missing or not an object");
            entries.Add(new BatchPlanEntry(
                runId, Field<string>(n, "scenario", at), Field<int>(n, "point", at), Field<string>(n, "platform", at),
                Field<int>(n, "replication", at), Field<ulong>(n, "seed", at),
                parameters.Select(p => KeyValuePair.Create(p.Key, Field<string>(parameters, p.Key, $"{at}.parameters"))).ToList(),
                Field<string>(n, "config_sha256", at), config, n["label"] is null ? "" : Field<string>(n, "label", at)));
        }
        return new BatchPlan { Runs = entries, Scenarios = scenarios };
    }

    /// <summary>The value of <paramref name="key"/> in the object <paramref name="parent"/> as a <typeparamref name="T"/>; else the path and what is wrong.</summary>
    private static T Field<T>(JsonNode? parent, string key, string at)
    {
        var node = parent is JsonObject o ? o[key] : null;
        if (node is JsonValue v && v.TryGetValue(out T? value) && value is not null) return value;
        string type = typeof(T) == typeof(string) ? "a string" : "a whole number in range";
        throw new BatchInputException($"{at}.{key} is {(node is null ? "missing" : "not " + type)}");
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
        foreach (var (path, section) in ScenarioKeys.Root.Tree())
        {
            if (section == ScenarioKeys.Workload)
                foreach (var kind in WorkloadKinds.All) Add($"{path}({kind.Name}).", kind.AllKeys);
            else Add(path.Length == 0 ? "" : path + ".", section.KeyDefs);
        }
        return o;
    }
}
