using System.Reflection;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using HvSim.Model.Config;
using HvSim.Model.Workloads;
using HvSim.Scenarios.Language;

namespace HvSim.Analysis.Results;

/// <summary>manifest.json: tool version, git commit, scenario hashes, seeds and the fully resolved configuration.</summary>
public static class Manifest
{
    private static readonly JsonSerializerOptions ConfigOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        // Enum values as scenario files write them: power7, ppc970, rbit, twolist.
        Converters = { new JsonStringEnumConverter(new LowerCaseNames()) },
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
    public static JsonObject Config(SimulationConfig config)
    {
        var node = JsonSerializer.SerializeToNode(config, ConfigOptions)!.AsObject();
        var guests = node["guests"]!.AsArray();
        for (int i = 0; i < config.Guests.Count; i++)
            guests[i]!["workload"] = Workload(config.Guests[i].Workload);
        return node;
    }

    private static JsonObject Workload(WorkloadSpec spec)
    {
        var kind = WorkloadKinds.All.FirstOrDefault(k => k.Prototype.GetType() == spec.GetType())?.Name ?? spec.GetType().Name;
        var body = JsonSerializer.SerializeToNode(spec, spec.GetType(), ConfigOptions)!.AsObject();
        var result = new JsonObject { ["kind"] = kind };
        foreach (var (k, v) in body.ToList())
        {
            body.Remove(k);
            result[k] = v;
        }
        // Nested workloads are declared as the abstract base: write them with their own kind and parameters.
        if (spec is PhasedWorkload phased)
            for (int i = 0; i < phased.Phases.Count; i++) result["phases"]![i]!["workload"] = Workload(phased.Phases[i].Workload);
        if (spec is MixWorkload mix)
            for (int i = 0; i < mix.Streams.Count; i++) result["streams"]![i]!["workload"] = Workload(mix.Streams[i].Workload);
        return result;
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

    public static JsonNode Read(string path) => JsonNode.Parse(File.ReadAllText(path))!;
}
