using HvSim.Model.Config;
using HvSim.Scenarios.Language;
using HvSim.Scenarios.Loading;

namespace HvSim.Scenarios.Planning;

/// <summary>A plan's `slo:` as bound: each bound in the unit the key table stores it (ns, fraction, factor, 1/s); null = not bounded.</summary>
public sealed record SloBounds(double? P99Ns = null, double? StallFraction = null, double? SlowdownFactor = null, double? MajorRate = null);

/// <summary>A plan's `min_host_memory:` as bound (a required key left out stays null, and was reported).</summary>
public sealed record MemorySearch(int? Guests, Platform Platform, long? From, long? To, long Step)
{
    internal static MemorySearch Prototype { get; } = new(null, Platform.Power7, null, null, 256L << 20);
}

/// <summary>A plan's `mrc_estimate:` as bound.</summary>
public sealed record MrcStart(string? File, double MissRatio)
{
    internal static MrcStart Prototype { get; } = new(null, 0.01);
}

/// <summary>One operator lever of a plan's `levers:`: its name and the scenario key paths it sets, each value checked against its key.</summary>
public sealed record LeverSettings(string Name, Node At, IReadOnlyList<SweepAssignment> Overrides)
{
    /// <summary>`host.ksm=true guests.memory_max=1536MiB`: the overrides as the file writes them.</summary>
    public string OverridesText => string.Join(" ", Overrides.Select(o => $"{o.Path}={o.AsWritten}"));
}

/// <summary>
/// A plan file as bound by the scenario language's binder (<see cref="PlanKeys"/>): the raw settings, before the scenario
/// it names is loaded and its `mix:` checked against the scenario's guest profiles (HvSim.Analysis PlanFile).
/// </summary>
public sealed record PlanSettings
{
    public string? Scenario { get; init; }
    public int Replications { get; init; } = 3;
    public int MaxGuests { get; init; } = 64;
    public IReadOnlyList<string> Platforms { get; init; } = ["both"];
    public double Confidence { get; init; } = 0.95;
    public SloBounds Slo { get; init; } = new();
    public MemorySearch? MinHostMemory { get; init; }
    public MrcStart? MrcEstimate { get; init; }
    public IReadOnlyList<LeverSettings> Levers { get; init; } = [];

    internal static PlanSettings Prototype { get; } = new();
}

/// <summary>
/// THE definition of the plan language (`hvsim plan PLAN.yaml`): every key with its type, unit, default, range and
/// meaning, and the sections they sit in. The scenario binder binds plan files through it, and `hvsim schema --plan`
/// (Scenarios/plan.schema.json) and the plan key reference of docs/analysis.md (`hvsim schema --plan --markdown`) are
/// generated from it, as for scenario keys (<see cref="ScenarioKeys"/>).
/// </summary>
public static class PlanKeys
{
    /// <summary>The name `levers:` keeps for the scenario as it is, planned on both platforms as the ratios' baseline.</summary>
    public const string Baseline = "none";

    /// <summary>Key paths a lever may not set: the plan itself decides how many guests there are and what they are called.</summary>
    private static readonly string[] PlannerPaths = ["guests.count", "guests.name"];

    public static readonly Section<SloBounds> Slo = new()
    {
        Name = "slo", Required = true,
        Doc = "Service-level objective: any of these bounds, all of which must hold.",
        Keys =
        [
            new() { Name = "p99_fault_latency", Kind = ValueKind.Duration, Min = 1, Doc = "Upper bound of the 99th percentile HDSI fault latency.", Apply = (s, v) => s with { P99Ns = (long)v! } },
            new() { Name = "mean_stall_fraction", Kind = ValueKind.Fraction, Min = 0, Max = 1, Doc = "Upper bound of the mean stall fraction of the guests (e.g. 5%: a twentieth of vCPU time out of the guest). Was mean_slowdown.", Apply = (s, v) => s with { StallFraction = (double)v! } },
            new() { Name = "slowdown_factor", Kind = ValueKind.Number, Min = 1, Doc = "Upper bound of the guests' slowdown factor: time to do the same work relative to running unpressured, vCPU time / (vCPU time - stalled time) over the guests together (e.g. 1.25).", Apply = (s, v) => s with { SlowdownFactor = (double)v! } },
            new() { Name = "major_faults_per_s_per_guest", Kind = ValueKind.Number, Min = 0, Doc = "Upper bound of major faults per second per guest.", Apply = (s, v) => s with { MajorRate = (double)v! } },
        ],
    };

    public static readonly Section<MemorySearch> MinHostMemory = new()
    {
        Name = "min_host_memory",
        Doc = "Optional: also find the smallest host memory at which `guests` guests meet the SLO.",
        Keys =
        [
            new() { Name = "guests", Kind = ValueKind.Integer, Required = true, Min = 1, Max = 4096, Doc = "Guest count.", Apply = (s, v) => s with { Guests = (int)(long)v! } },
            new() { Name = "platform", Kind = ValueKind.Choice, Choices = Enum.GetValues<Platform>().Select(ScenarioKeys.PlatformName).ToList(), Default = ScenarioKeys.PlatformName(MemorySearch.Prototype.Platform), Doc = "Platform.", Apply = (s, v) => s with { Platform = ScenarioKeys.ParsePlatform((string)v!) } },
            new() { Name = "from", Kind = ValueKind.Size, Required = true, Min = 1L << 20, Doc = "Smallest host memory tried.", Apply = (s, v) => s with { From = (long)v! } },
            new() { Name = "to", Kind = ValueKind.Size, Required = true, Min = 1L << 20, Doc = "Largest host memory tried.", Apply = (s, v) => s with { To = (long)v! } },
            new() { Name = "step", Kind = ValueKind.Size, Default = MemorySearch.Prototype.Step, Min = 1L << 20, Doc = "Granularity of the answer.", Apply = (s, v) => s with { Step = (long)v! } },
        ],
    };

    public static readonly Section<MrcStart> MrcEstimate = new()
    {
        Name = "mrc_estimate",
        Doc = "Optional: start the count search where one guest's miss-ratio curve says each guest's share of memory keeps its miss ratio at or below a target.",
        Keys =
        [
            new() { Name = "file", Kind = ValueKind.Path, Required = true, OpenedByLoader = true, AllowedDescription = "a file path relative to the plan file", Doc = "mrc.csv of the guest's workload (`hvsim mrc`; capacity in host pages), relative to the plan file.", Apply = (s, v) => s with { File = (string)v! } },
            new() { Name = "miss_ratio", Kind = ValueKind.Fraction, Default = MrcStart.Prototype.MissRatio, Min = 0, Max = 1, Doc = "Target miss ratio of each guest's share.", Apply = (s, v) => s with { MissRatio = (double)v! } },
        ],
    };

    /// <summary>`mix:` names the scenario's guest profiles, so it is checked once the scenario is loaded (HvSim.Analysis PlanFile).</summary>
    public static readonly SpecialSection Mix = new()
    {
        Name = "mix",
        Doc = "Guest profile names of the scenario mapped to proportions (> 0); without it, the scenario's own counts are the proportions.",
        Schema = () => new System.Text.Json.Nodes.JsonObject
        {
            ["type"] = "object", ["minProperties"] = 1,
            ["additionalProperties"] = new System.Text.Json.Nodes.JsonObject { ["type"] = "number", ["exclusiveMinimum"] = 0 },
        },
    };

    public static readonly SpecialSection Levers = new()
    {
        Name = "levers",
        Doc = "Optional: operator levers to put side by side, each a name (letters, digits, '-', '_', '.'; not `none`) mapped to the scenario key paths it sets, " +
            "written as in a `sweep:` (`host.ksm: true`, `guests.memory_max: 1536MiB`, `host.swap.device: zram`) with one value each; any sweepable path but " +
            string.Join(" and ", PlannerPaths) + ". For each lever and each of `platforms`, the most guests under the SLO; the scenario as it is (`none`) is planned on both platforms, " +
            "and each answer is divided by pinned PPC970's and by plain POWER7 swapping's. A lever a platform refuses (its keys fail the scenario's checks there, e.g. zswap on linux-3.4, a balloon on PPC970) is reported as refused, with the reason.",
        Schema = LeversSchema,
    };

    // Declared after the sections it contains: static fields are initialised in textual order.
    public static readonly Section<PlanSettings> Root = new()
    {
        Name = "plan",
        Doc = "A capacity plan: the scenario it plans for, the SLO, replications and the search bounds.",
        Nested =
        [
            Nest.Mapping<PlanSettings, SloBounds>(Slo, p => p.Slo, (p, s) => p with { Slo = s }),
            Nest.Parsed<PlanSettings>(Mix),
            Nest.Mapping<PlanSettings, MemorySearch>(MinHostMemory, p => p.MinHostMemory ?? MemorySearch.Prototype, (p, m) => p with { MinHostMemory = m }),
            Nest.Mapping<PlanSettings, MrcStart>(MrcEstimate, p => p.MrcEstimate ?? MrcStart.Prototype, (p, m) => p with { MrcEstimate = m }),
            Nest.Special<PlanSettings, IReadOnlyList<LeverSettings>>(Levers, (b, node, _) => ReadLevers(b.Diagnostics, node), (p, levers) => p with { Levers = levers }),
        ],
        Keys =
        [
            new() { Name = "scenario", Kind = ValueKind.Path, Required = true, OpenedByLoader = true, AllowedDescription = "a file path relative to the plan file", Doc = "Scenario file giving the host, the guest profile(s) and the run settings (relative to the plan file).", Apply = (s, v) => s with { Scenario = (string)v! } },
            new() { Name = "replications", Kind = ValueKind.Integer, Default = (long)PlanSettings.Prototype.Replications, Min = 1, Max = 1000, Doc = "Replications at each probed guest count.", Apply = (s, v) => s with { Replications = (int)(long)v! } },
            new() { Name = "max_guests", Kind = ValueKind.Integer, Default = (long)PlanSettings.Prototype.MaxGuests, Min = 1, Max = 4096, Doc = "Largest guest count the search tries.", Apply = (s, v) => s with { MaxGuests = (int)(long)v! } },
            new() { Name = "platforms", Kind = ValueKind.ChoiceList, Choices = ScenarioKeys.PlatformChoices, Default = PlanSettings.Prototype.Platforms, Doc = "Platforms to plan for (with `levers:`, the platforms each lever is tried on).", Apply = (s, v) => s with { Platforms = (IReadOnlyList<string>)v! } },
            new() { Name = "confidence", Kind = ValueKind.Fraction, Default = PlanSettings.Prototype.Confidence, Min = 0.5, Max = 0.999, Doc = "Two-sided confidence of the Student-t interval whose upper end must meet each SLO bound.", Apply = (s, v) => s with { Confidence = (double)v! } },
        ],
    };

    /// <summary>
    /// Bind a plan file's top-level mapping through the key table with the scenario binder: every unknown key, bad value
    /// and missing key is reported in <paramref name="d"/>, located. <paramref name="locations"/> says where each key was.
    /// </summary>
    public static PlanSettings Bind(MappingNode root, Diagnostics d, out IReadOnlyDictionary<string, Node> locations)
    {
        var binder = new Binder(d, "plan");
        var settings = binder.BindSection(root, Root, PlanSettings.Prototype, "");
        locations = binder.Locations;
        return settings;
    }

    /// <summary>The key paths a lever may set, with their keys: a sweep's, but the guests' count and names.</summary>
    public static IEnumerable<(string Path, KeyDef Key)> LeverPaths() => SweepParser.SweepablePaths().Where(p => !PlannerPaths.Contains(p.Path));

    /// <summary>`levers:`: names mapped to mappings of key paths to one value each, checked as a sweep checks its paths and values.</summary>
    private static IReadOnlyList<LeverSettings>? ReadLevers(Diagnostics d, Node node)
    {
        const string example = "e.g. levers: {ksm: {host.ksm: true}, cgroups: {guests.memory_max: 1536MiB}}";
        if (node is not MappingNode { Entries.Count: > 0 } map)
        {
            d.Add(node, node is MappingNode ? "'levers' names no lever" : $"'levers' must be a mapping of lever names to key paths and values, not {node.KindName}", example);
            return null;
        }
        var paths = LeverPaths().ToDictionary(p => p.Path, p => p.Key, StringComparer.Ordinal);
        var levers = new List<LeverSettings>();
        bool ok = true;
        foreach (var (nameNode, value) in map.Entries.Select(e => (e.Key, e.Value)))
        {
            string name = nameNode.Value;
            if (name == Baseline || !OutputNames.IsSafe(name) || name.Length > OutputNames.MaxLength || name[0] is '-' or '_')
            {
                d.Add(nameNode, name == Baseline ? $"'{Baseline}' is the scenario without levers, always planned" : $"lever name '{ValueParser.Shorten(name)}' cannot name its runs",
                    $"a name of letters, digits, '-', '_' and '.' (not starting with '.', '-' or '_'), other than '{Baseline}'");
                ok = false;
                continue;
            }
            if (value is not MappingNode { Entries.Count: > 0 } keys)
            {
                d.Add(value, value is MappingNode ? $"lever '{name}' sets no key (the scenario without levers is '{Baseline}')" : $"lever '{name}' must be a mapping of key paths to values, not {value.KindName}",
                    "key paths such as host.ksm, guests.memory_max, host.swap.device, with one value each");
                ok = false;
                continue;
            }
            var overrides = new List<SweepAssignment>();
            foreach (var e in keys.Entries)
            {
                string path = e.Key.Value;
                if (!paths.TryGetValue(path, out var key))
                {
                    bool planned = PlannerPaths.Contains(path) || ScenarioKeys.Root.Find(path) is { Sweepable: false };
                    d.Add(e.Key, planned ? $"'{path}' cannot be set by a lever: the plan decides it" : $"unknown key path '{ValueParser.Shorten(path)}' in lever '{name}'" + ValueParser.DidYouMean(path, paths.Keys),
                        "a sweepable key path such as host.ksm, host.swappiness, host.swap.device, guests.memory_max, guests.balloon, guests.backing (docs/scenarios.md), except " + string.Join(" and ", PlannerPaths));
                    ok = false;
                }
                else if (ValueParser.TryParse(key, e.Value, d, out var v)) overrides.Add(new SweepAssignment(path, e.Value, SweepParser.Canonical(v)));
                else ok = false;
            }
            levers.Add(new LeverSettings(name, nameNode, overrides));
        }
        return ok ? levers : null;
    }

    private static System.Text.Json.Nodes.JsonObject LeversSchema()
    {
        var props = new System.Text.Json.Nodes.JsonObject();
        foreach (var (path, key) in LeverPaths()) props[path] = SchemaGenerator.ValueSchema(key);
        return new System.Text.Json.Nodes.JsonObject
        {
            ["type"] = "object", ["minProperties"] = 1,
            ["propertyNames"] = new System.Text.Json.Nodes.JsonObject { ["pattern"] = "^[A-Za-z0-9][A-Za-z0-9._-]*$", ["not"] = new System.Text.Json.Nodes.JsonObject { ["const"] = Baseline } },
            ["additionalProperties"] = new System.Text.Json.Nodes.JsonObject
            {
                ["type"] = "object", ["minProperties"] = 1, ["additionalProperties"] = false, ["properties"] = props,
            },
        };
    }
}
