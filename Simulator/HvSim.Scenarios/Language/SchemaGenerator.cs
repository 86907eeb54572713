using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using HvSim.Scenarios.Loading;

namespace HvSim.Scenarios.Language;

/// <summary>The JSON Schema of scenario files, generated from the key table (`hvsim schema`, Scenarios/schema.json).</summary>
public static class SchemaGenerator
{
    public static string Generate()
    {
        var defs = new JsonObject
        {
            ["host"] = SectionSchema(ScenarioKeys.Host, new() { ["swap"] = Ref("swap") }),
            ["swap"] = new JsonObject
            {
                ["description"] = ScenarioKeys.Swap.Doc,
                ["oneOf"] = new JsonArray(ValueSchema(ScenarioKeys.Swap.Find("device")!), SectionSchema(ScenarioKeys.Swap, [])),
            },
            ["costs"] = SectionSchema(ScenarioKeys.Costs, []),
            ["guest"] = SectionSchema(ScenarioKeys.Guests, new() { ["workload"] = Ref("workload") }, required: ["workload"]),
            ["workload"] = new JsonObject
            {
                ["description"] = "A workload block: `kind:` and that kind's keys.",
                ["type"] = "object",
                ["required"] = new JsonArray("kind"),
                ["oneOf"] = new JsonArray(WorkloadKinds.All.Select(k => (JsonNode)WorkloadSchema(k)).ToArray()),
            },
        };
        var children = new Dictionary<string, JsonNode>
        {
            ["host"] = Ref("host"),
            ["costs"] = Ref("costs"),
            ["guests"] = new JsonObject
            {
                ["description"] = ScenarioKeys.Guests.Doc,
                ["oneOf"] = new JsonArray(Ref("guest"), new JsonObject { ["type"] = "array", ["minItems"] = 1, ["items"] = Ref("guest") }),
            },
            ["sweep"] = SweepSchema(),
        };
        var root = SectionSchema(ScenarioKeys.Root, children, required: ["guests"]);
        var schema = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$id"] = "https://hvsim.invalid/scenario.schema.json",
            ["title"] = "HvSim scenario",
        };
        foreach (var (k, v) in root.ToList())
        {
            root.Remove(k);
            schema[k] = v;
        }
        schema["$defs"] = defs;
        return schema.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }).Replace("\r\n", "\n") + "\n";
    }

    private static JsonObject Ref(string name) => new() { ["$ref"] = "#/$defs/" + name };

    private static JsonObject SectionSchema<T>(Section<T> section, Dictionary<string, JsonNode> children, string[]? required = null) =>
        ObjectSchema(section.Doc, section.Keys, children, required);

    private static JsonObject ObjectSchema(string doc, IEnumerable<KeyDef> keys, Dictionary<string, JsonNode> children, string[]? required)
    {
        var props = new JsonObject();
        foreach (var k in keys) props[k.Name] = ValueSchema(k);
        foreach (var (name, schema) in children) props[name] = schema;
        var o = new JsonObject { ["description"] = doc, ["type"] = "object", ["additionalProperties"] = false, ["properties"] = props };
        if (required is { Length: > 0 }) o["required"] = new JsonArray(required.Select(r => (JsonNode)r!).ToArray());
        return o;
    }

    private static JsonObject WorkloadSchema(WorkloadKind kind)
    {
        var o = ObjectSchema(kind.Doc, [WorkloadKinds.KindKey, .. kind.AllKeys], [], ["kind"]);
        o["properties"]!["kind"] = new JsonObject { ["const"] = kind.Name };
        o["title"] = kind.Name;
        return o;
    }

    private static JsonObject SweepSchema()
    {
        var props = new JsonObject
        {
            ["mode"] = new JsonObject { ["enum"] = new JsonArray("grid", "zip"), ["default"] = "grid", ["description"] = "grid: every combination (first key varies slowest); zip: the i-th values together." },
        };
        foreach (var (path, key) in SweepParser.SweepablePaths())
            props[path] = new JsonObject { ["type"] = "array", ["minItems"] = 1, ["items"] = ValueSchema(key) };
        return new JsonObject
        {
            ["description"] = "Key paths mapped to lists of values; each point x platform x replication is one run with its own derived seed.",
            ["type"] = "object", ["additionalProperties"] = false, ["properties"] = props,
        };
    }

    private const string Num = @"[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?";
    private const string SizePattern = $@"^\s*{Num}\s*(B|KiB|MiB|GiB|TiB|KB|MB|GB|TB)?\s*$";

    public static JsonObject ValueSchema(KeyDef k)
    {
        JsonObject s = k.Kind switch
        {
            ValueKind.Size when k.AllowsAuto => OneOf(Integer(k), Pattern(SizePattern), new JsonObject { ["const"] = "auto" }),
            ValueKind.Size => OneOf(Integer(k), Pattern(SizePattern)),
            ValueKind.Duration when k.AllowsAuto => OneOf(new JsonObject { ["const"] = 0 }, Pattern($@"^\s*{Num}\s*(ns|us|µs|ms|s|min|h)\s*$"), new JsonObject { ["const"] = "auto" }),
            ValueKind.Duration => OneOf(new JsonObject { ["const"] = 0 }, Pattern($@"^\s*{Num}\s*(ns|us|µs|ms|s|min|h)\s*$")),
            ValueKind.Bandwidth => OneOf(new JsonObject { ["const"] = 0 }, Pattern($@"^\s*{Num}\s*(B|KiB|MiB|GiB|TiB|KB|MB|GB|TB)/s\s*$")),
            ValueKind.Integer when k.AllowsAuto => OneOf(Integer(k), new JsonObject { ["const"] = "auto" }),
            ValueKind.Integer => Integer(k),
            ValueKind.Number => Range(new JsonObject { ["type"] = "number" }, k),
            ValueKind.Fraction => OneOf(Range(new JsonObject { ["type"] = "number" }, k), Pattern($@"^\s*{Num}\s*%\s*$")),
            ValueKind.Boolean => new JsonObject { ["type"] = "boolean" },
            ValueKind.Text or ValueKind.Path => new JsonObject { ["type"] = "string", ["minLength"] = 1 },
            ValueKind.Choice => new JsonObject { ["enum"] = Enum(k) },
            ValueKind.WorkloadList => new JsonObject
            {
                ["type"] = "array", ["minItems"] = 1,
                ["items"] = new JsonObject
                {
                    ["type"] = "object", ["additionalProperties"] = false, ["required"] = new JsonArray(k.ItemKey!.Name, "workload"),
                    ["properties"] = new JsonObject { [k.ItemKey.Name] = ValueSchema(k.ItemKey), ["workload"] = Ref("workload") },
                },
            },
            ValueKind.ChoiceList => OneOf(new JsonObject { ["enum"] = Enum(k) },
                new JsonObject { ["type"] = "array", ["minItems"] = 1, ["items"] = new JsonObject { ["enum"] = Enum(k) } }),
            _ => throw new InvalidOperationException(k.Kind.ToString()),
        };
        s["description"] = $"{k.Doc} Allowed: {k.Allowed}. Default: {k.DefaultText}.";
        return s;
    }

    private static JsonArray Enum(KeyDef k) => new(k.Choices!.Select(c => (JsonNode)c!).ToArray());
    private static JsonObject OneOf(params JsonObject[] options) => new() { ["oneOf"] = new JsonArray(options) };
    private static JsonObject Pattern(string p) => new() { ["type"] = "string", ["pattern"] = p };
    private static JsonObject Integer(KeyDef k) => Range(new JsonObject { ["type"] = "integer" }, k);

    private static JsonObject Range(JsonObject o, KeyDef k)
    {
        if (k.Min is { } lo) o["minimum"] = lo;
        if (k.Max is { } hi) o["maximum"] = hi > long.MaxValue ? JsonValue.Create((ulong)hi) : JsonValue.Create(hi);
        return o;
    }
}
