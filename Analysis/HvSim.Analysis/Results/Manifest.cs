using System.Reflection;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using HvSim.Model.Config;
using HvSim.Model.Workloads;
using HvSim.Scenarios.Language;
using HvSim.Traces;

namespace HvSim.Analysis.Results;

/// <summary>manifest.json: tool version, git commit, scenario hashes, seeds and the fully resolved configuration.</summary>
public static class Manifest
{
    private static readonly JsonSerializerOptions ConfigOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        // Enum values as scenario files write them: power7, ppc970, rbit; a trace format by its name in lower case
        // (oraclegeneral); a workload with its `kind` first.
        Converters = { new JsonStringEnumConverter(new LowerCaseNames()), new TraceFormatConverter(), new WorkloadConverter() },
        // Settings only: computed properties (no setter) may be expensive, e.g. a trace's distinct page count scans the file.
        TypeInfoResolver = new DefaultJsonTypeInfoResolver
        {
            Modifiers =
            {
                info =>
                {
                    foreach (var p in info.Properties.Where(p => p.Set is null).ToList()) info.Properties.Remove(p);
                },
            },
        },
    };

    public static readonly JsonSerializerOptions WriteOptions = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>`0.1.0` and the commit the tool was built from (empty when the build did not know it).</summary>
    public static (string Version, string Commit) Tool
    {
        get
        {
            var info = typeof(Manifest).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "";
            int plus = info.IndexOf('+');
            return plus < 0 ? (info, "") : (info[..plus], info[(plus + 1)..]);
        }
    }

    public static JsonObject Header(string tool)
    {
        var (version, commit) = Tool;
        return new JsonObject { ["tool"] = tool, ["version"] = version, ["git_commit"] = commit.Length == 0 ? null : commit };
    }

    /// <summary>A run's configuration with every default filled in; the workload with its `kind` and all its parameters.</summary>
    public static JsonObject Config(SimulationConfig config) => JsonSerializer.SerializeToNode(config, ConfigOptions)!.AsObject();

    /// <summary>
    /// A run's configuration read back from what <see cref="Config"/> wrote (a manifest's `runs[].config`); keys it
    /// lacks keep the model's defaults. Null when it is not a configuration (a hand-written or foreign manifest).
    /// </summary>
    public static SimulationConfig? ReadConfig(JsonNode? config)
    {
        if (config is not JsonObject) return null;
        try
        {
            return config.Deserialize<SimulationConfig>(ConfigOptions);
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException or NotSupportedException)
        {
            return null;
        }
    }

    /// <summary>A workload as `{kind, parameters...}`, the kind's name from <see cref="WorkloadKinds"/>; nested workloads (phases, streams) alike.</summary>
    private sealed class WorkloadConverter : JsonConverter<WorkloadSpec>
    {
        public override WorkloadSpec Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var body = JsonNode.Parse(ref reader) as JsonObject ?? throw new JsonException("a workload is an object");
            string? name = body["kind"] is JsonValue v && v.TryGetValue(out string? s) ? s : null;
            var kind = WorkloadKinds.Find(name ?? "") ?? throw new JsonException($"unknown workload kind '{name}'");
            body.Remove("kind");
            return (WorkloadSpec?)body.Deserialize(kind.Prototype.GetType(), options) ?? throw new JsonException("empty workload");
        }

        public override void Write(Utf8JsonWriter writer, WorkloadSpec value, JsonSerializerOptions options)
        {
            writer.WriteStartObject();
            writer.WriteString("kind", WorkloadKinds.Of(value).Name);
            foreach (var (k, v) in JsonSerializer.SerializeToNode(value, value.GetType(), options)!.AsObject())
            {
                writer.WritePropertyName(k);
                if (v is null) writer.WriteNullValue();
                else v.WriteTo(writer, options);
            }
            writer.WriteEndObject();
        }
    }

    /// <summary>A trace format as its name in lower case, read back through <see cref="TraceFormats"/>.</summary>
    private sealed class TraceFormatConverter : JsonConverter<TraceFormat>
    {
        public override TraceFormat Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            TraceFormats.Find(reader.GetString() ?? "") ?? throw new JsonException($"unknown trace format '{reader.GetString()}'");

        public override void Write(Utf8JsonWriter writer, TraceFormat value, JsonSerializerOptions options) => writer.WriteStringValue(value.Name.ToLowerInvariant());
    }

    private sealed class LowerCaseNames : JsonNamingPolicy
    {
        public override string ConvertName(string name) => name.ToLowerInvariant();
    }

    public static void Write(string path, JsonNode manifest) =>
        AtomicFile.Write(path, stream =>
        {
            using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = WriteOptions.Encoder, NewLine = "\n" });
            manifest.WriteTo(writer);
            writer.Flush();
            stream.WriteByte((byte)'\n');
        });

    /// <summary>
    /// A `runs[]` or `points[]` entry with its sweep point's `label` right after `point`; unchanged without a label, so
    /// an unlabelled sweep's manifest is what it was before labels existed.
    /// </summary>
    public static JsonObject WithLabel(JsonObject entry, string label)
    {
        if (label.Length > 0) entry.Insert(entry.IndexOf("point") + 1, "label", label);
        return entry;
    }

    public static JsonNode Read(string path) => JsonNode.Parse(File.ReadAllText(path))!;
}
