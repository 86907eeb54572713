using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

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
        _root is JsonObject o && o["runs"] is JsonArray runs && runs.Any(r =>
            r?["platform"] is JsonValue p && p.TryGetValue(out string? platform) && platform == "power7"
            && r["config"]?["aging"] is JsonValue a && a.TryGetValue(out string? aging) && aging == "unmap");

    /// <summary>The manifest's `runs` list (run_id, platform, replication, seed, swept parameters); empty when it has none.</summary>
    public IReadOnlyList<ManifestRun> Runs()
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
            list.Add(new ManifestRun(runId, platform, replication, seed, parameters));
        }
        return list;
    }

    /// <summary>
    /// Warm-up length in seconds: the first key anywhere in the resolved configuration whose name, ignoring case and
    /// '_', is warmupns, warmupus or warmups; failing that, one named warmup (seconds, or text with a unit such as
    /// "5s"). The manifest's documentation of defaults (a `defaults` object) is not the configuration and is skipped.
    /// </summary>
    public double? WarmupSeconds() => FindSeconds("warmup");

    /// <summary>Cost of one access through a valid HPTE in µs (the costs' access_ns / AccessNs), when the manifest has it.</summary>
    public double? AccessCostMicroseconds() => FindSeconds("access") * 1e6;

    /// <summary>Length of the simulated run in seconds (duration_ns), when the manifest has it.</summary>
    public double? DurationSeconds() => FindSeconds("duration");

    /// <summary>Mean service latency of one swap request in µs (the swap device's latency_mean_ns), when the manifest has it.</summary>
    public double? SwapLatencyMicroseconds() => FindSeconds("latencymean") * 1e6;

    private double? FindSeconds(string stem)
    {
        foreach (var (key, value) in Walk(_root))
        {
            string k = key.Replace("_", "").ToLowerInvariant();
            if (k == stem + "ns" && TryNumber(value, out double ns)) return ns / 1e9;
            if (k == stem + "us" && TryNumber(value, out double us)) return us / 1e6;
            if (k == stem + "s" && TryNumber(value, out double s)) return s;
        }
        foreach (var (key, value) in Walk(_root))
            if (key.Replace("_", "").ToLowerInvariant() == stem && value is JsonValue v)
            {
                if (TryNumber(v, out double plain)) return plain;
                if (v.TryGetValue(out string? text) && DurationText.TryParseSeconds(text, out double parsed)) return parsed;
            }
        return null;
    }

    private static bool TryNumber(JsonNode? node, out double value)
    {
        value = 0;
        return node is JsonValue v && v.TryGetValue(out value);
    }

    private static IEnumerable<(string Key, JsonNode? Value)> Walk(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (k, v) in o)
                {
                    if (k == "defaults") continue;
                    yield return (k, v);
                    foreach (var inner in Walk(v)) yield return inner;
                }
                break;
            case JsonArray a:
                foreach (var item in a)
                    foreach (var inner in Walk(item)) yield return inner;
                break;
        }
    }
}

/// <summary>One entry of manifest.json's `runs`: which run a (platform, replication, seed) is and its sweep point.</summary>
public sealed record ManifestRun(string RunId, string Platform, int Replication, ulong Seed, IReadOnlyList<KeyValuePair<string, string>> Parameters);

/// <summary>Reads "250ns", "10us", "8ms", "60s" as seconds.</summary>
internal static class DurationText
{
    private static readonly (string Suffix, double Seconds)[] Units = [("ns", 1e-9), ("us", 1e-6), ("µs", 1e-6), ("ms", 1e-3), ("s", 1)];

    public static bool TryParseSeconds(string? text, out double seconds)
    {
        seconds = 0;
        if (string.IsNullOrWhiteSpace(text)) return false;
        text = text.Trim();
        foreach (var (suffix, scale) in Units)
            if (text.EndsWith(suffix, StringComparison.Ordinal)
                && double.TryParse(text[..^suffix.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out double v))
            {
                seconds = v * scale;
                return true;
            }
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out seconds);
    }
}
