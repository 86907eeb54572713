using System.Text.Json;
using System.Text.Json.Nodes;
using HvSim.Model.Config;

namespace HvSim.Analysis.Tables;

/// <summary>manifest.json: the scenario as run. Analysis reads a few settings from it and shows the rest verbatim.</summary>
public sealed class ManifestView
{
    public static readonly ManifestView Empty = new(null, "");

    private readonly JsonNode? _root;

    /// <summary>The file's text as written, for the report.</summary>
    public string Text { get; }

    private ManifestView(JsonNode? root, string text)
    {
        _root = root;
        Text = text;
    }

    /// <summary>
    /// The manifest for a reader: what was run (tool, scenario, seed, each run with its resolved configuration) before
    /// the scenario language's documentation of its defaults, which the writer puts first.
    /// </summary>
    public string ResolvedFirstText()
    {
        if (_root is not JsonObject o || !o.ContainsKey("defaults")) return Text;
        var reordered = new JsonObject();
        foreach (var (k, v) in o.Where(p => p.Key != "defaults").Append(new("defaults", o["defaults"])))
            reordered[k] = v?.DeepClone();
        return reordered.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    public static ManifestView Read(string path)
    {
        string text = File.ReadAllText(path);
        try
        {
            var root = JsonNode.Parse(text);
            return new ManifestView(root, text.Trim());
        }
        catch (JsonException e)
        {
            throw new ResultsFolderException($"{path}: line {e.LineNumber + 1}, column {e.BytePositionInLine + 1}: not valid JSON ({e.Message})", e);
        }
    }

    /// <summary>The trace file `hvsim mrc` read (its manifest's top-level `trace`), when this is an MRC folder.</summary>
    public string? Trace() =>
        _root is JsonObject o && o["trace"] is JsonValue v && v.TryGetValue(out string? trace) && trace.Length > 0 ? trace : null;

    /// <summary>
    /// Whether any POWER7 run aged guest pages by unmapping them (`aging: unmap`), the kvm_age_hva of 342d3db before its
    /// follow-up: a what-if no released kernel has.
    /// </summary>
    public bool AnyRunAgesByUnmap() =>
        Runs().Any(r => r.Config is { Platform: Platform.Power7, Aging: AgingVariant.Unmap });

    /// <summary>The manifest's `runs` list (run_id, platform, replication, seed, swept parameters, configuration); empty when it has none.</summary>
    public IReadOnlyList<ManifestRun> Runs() => _runs ??= ReadRuns();

    private IReadOnlyList<ManifestRun>? _runs;

    private List<ManifestRun> ReadRuns()
    {
        if (_root is not JsonObject o || o["runs"] is not JsonArray runs) return [];
        var list = new List<ManifestRun>();
        foreach (var node in runs)
        {
            if (node is not JsonObject r
                || r["run_id"] is not JsonValue id || !id.TryGetValue(out string? runId)
                || r["platform"] is not JsonValue pv || !pv.TryGetValue(out string? platform)
                || r["replication"] is not JsonValue rv || !rv.TryGetValue(out int replication)
                || r["seed"] is not JsonValue sv || !sv.TryGetValue(out ulong seed))
                continue;
            var parameters = new List<KeyValuePair<string, string>>();
            if (r["parameters"] is JsonObject ps)
                foreach (var (k, v) in ps)
                    parameters.Add(new(k, v is JsonValue jv && jv.TryGetValue(out string? text) ? text : v?.ToJsonString() ?? ""));
            string label = r["label"] is JsonValue lv && lv.TryGetValue(out string? l) ? l : "";
            list.Add(new ManifestRun(runId, platform, replication, seed, parameters, Results.Manifest.ReadConfig(r["config"]), label));
        }
        return list;
    }
}

/// <summary>
/// One entry of manifest.json's `runs`: which run a (platform, replication, seed) is, its sweep point and the
/// configuration it ran with (null when the entry has none that reads back), and the point's label (empty without one).
/// </summary>
public sealed record ManifestRun(string RunId, string Platform, int Replication, ulong Seed, IReadOnlyList<KeyValuePair<string, string>> Parameters,
    SimulationConfig? Config = null, string Label = "");
