using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using HvSim.Scenarios.Loading;

namespace HvSim.Scenarios.Language;

/// <summary>The JSON Schema of scenario files, generated from the key table (`hvsim schema`, Scenarios/schema.json).</summary>
public static class SchemaGenerator
{
    public static string Generate() => Generate(ScenarioKeys.Root, "https://hvsim.invalid/scenario.schema.json", "HvSim scenario");

    /// <summary>The JSON Schema of the files whose top level is <paramref name="top"/> (scenarios, plans).</summary>
    public static string Generate(SectionDef top, string id, string title)
    {
        // One definition per section below the top level, in the tree's order; the top level is the schema itself.
        var defs = new JsonObject();
        foreach (var (_, section) in top.Tree().Skip(1).Where(t => t.Section != ScenarioKeys.Sweep))
            defs[DefName(section)] = Definition(section);
        var root = SectionSchema(top);
        var schema = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$id"] = id,
            ["title"] = title,
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

    private static string DefName(SectionDef section) => section.ItemName ?? section.Name;

    private static JsonObject Definition(SectionDef section) => section switch
    {
        _ when section == ScenarioKeys.Workload => new JsonObject
        {
            ["description"] = section.Doc,
            ["type"] = "object",
            ["required"] = new JsonArray(WorkloadKinds.KindKey.Name),
            ["oneOf"] = new JsonArray(WorkloadKinds.All.Select(k => (JsonNode)WorkloadSchema(k)).ToArray()),
        },
        SpecialSection { Schema: { } schema } => WithDescription(schema(), section.Doc),
        { ShortFormKey: { } shortKey } => new JsonObject
        {
            ["description"] = section.Doc,
            ["oneOf"] = new JsonArray(ValueSchema(section.KeyDefs.Single(k => k.Name == shortKey)), SectionSchema(section)),
        },
        _ => SectionSchema(section),
    };

    private static JsonObject WithDescription(JsonObject o, string doc)
    {
        o["description"] = doc;
        return o;
    }

    /// <summary>A section's mapping: its keys, then its children (a reference, a list of them, or the sweep's paths).</summary>
    private static JsonObject SectionSchema(SectionDef section)
    {
        var children = section.Children.ToDictionary(c => c.Name, c => (JsonNode)(c switch
        {
            _ when c == ScenarioKeys.Sweep => SweepSchema(),
            { ItemName: not null } => new JsonObject
            {
                ["description"] = c.Doc,
                ["oneOf"] = new JsonArray(Ref(DefName(c)), new JsonObject { ["type"] = "array", ["minItems"] = 1, ["items"] = Ref(DefName(c)) }),
            },
            _ => Ref(DefName(c)),
        }));
        string[] required = [.. section.KeyDefs.Where(k => k.Required).Select(k => k.Name), .. section.Children.Where(c => c.Required).Select(c => c.Name)];
        return ObjectSchema(section.Doc, section.KeyDefs, children, required);
    }

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
            [SweepParser.LabelsKey] = new JsonObject
            {
                ["type"] = "array", ["minItems"] = 1, ["uniqueItems"] = true,
                ["items"] = new JsonObject { ["type"] = "string", ["minLength"] = 1, ["maxLength"] = SweepParser.MaxLabelLength },
                ["description"] = SweepParser.LabelsDoc,
            },
        };
        foreach (var (path, key) in SweepParser.SweepablePaths())
            props[path] = new JsonObject { ["type"] = "array", ["minItems"] = 1, ["items"] = ValueSchema(key) };
        return new JsonObject
        {
            ["description"] = ScenarioKeys.Sweep.Doc,
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
