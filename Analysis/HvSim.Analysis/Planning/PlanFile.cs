using System.Globalization;
using HvSim.Model.Config;
using HvSim.Scenarios;
using HvSim.Scenarios.Language;
using HvSim.Scenarios.Planning;

namespace HvSim.Analysis.Planning;

/// <summary>The optional second question of a plan: the smallest host memory for a guest count.</summary>
public sealed record MemoryQuestion(Platform Platform, int Guests, long FromBytes, long ToBytes, long StepBytes);

/// <summary>A loaded, checked plan file (`hvsim plan PLAN.yaml`): the scenario it plans for, the SLO and the search bounds.</summary>
public sealed record PlanSpec
{
    public required string File { get; init; }
    public required Scenario Scenario { get; init; }
    public required Slo Slo { get; init; }
    public int Replications { get; init; } = 3;
    public int MaxGuests { get; init; } = 64;
    public IReadOnlyList<Platform> Platforms { get; init; } = [Platform.Power7, Platform.Ppc970];
    public required GuestMix Mix { get; init; }
    public MemoryQuestion? Memory { get; init; }
    /// <summary>Located warnings about the plan file (a renamed key), for the command to print.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
    /// <summary>Where the count search starts (from `mrc_estimate:`); null = 1.</summary>
    public int? StartHint { get; init; }

    /// <summary>The scenario's configuration (host, costs, duration, seed) that every probe starts from.</summary>
    public SimulationConfig BaseConfig => Scenario.Points[0].Template.ToConfig(Scenario.Name, Platform.Power7, Scenario.Template.Config.Seed);

    /// <summary>
    /// Seed of one replication of a probe: SeedDerivation over the point key `guests.count=N` (plus
    /// `;host.memory=BYTES` when memory is searched), so both platforms of a count run paired, as in a batch sweep.
    /// </summary>
    public ulong SeedOf(PlanPoint point, int replication)
    {
        string key = string.Create(CultureInfo.InvariantCulture, $"guests.count={point.Guests}")
                     + (point.HostMemoryBytes is { } m ? string.Create(CultureInfo.InvariantCulture, $";host.memory={m}") : "");
        return SeedDerivation.Derive(Scenario.Template.Config.Seed, key, replication);
    }
}

/// <summary>
/// Reads plan files with the scenario language's own YAML reader, value parser and diagnostics (file, line, column,
/// what is allowed), so plan errors look exactly like scenario errors. Keys are described once, below.
/// </summary>
public static class PlanFile
{
    private sealed record Settings(string? Scenario, int Replications, int MaxGuests, IReadOnlyList<string> Platforms, double Confidence);
    private sealed record SloSettings(double? P99Ns, double? StallFraction, double? MajorRate, double? SlowdownFactor = null);
    private sealed record MemorySettings(int? Guests, Platform Platform, long? From, long? To, long Step);
    private sealed record MrcSettings(string? File, double MissRatio);

    private static readonly Section<SloSettings> SloSection = new()
    {
        Name = "slo",
        Doc = "Service-level objective: any of these bounds, all of which must hold.",
        Keys =
        [
            new() { Name = "p99_fault_latency", Kind = ValueKind.Duration, Min = 1, Doc = "Upper bound of the 99th percentile HDSI fault latency.", Apply = (s, v) => s with { P99Ns = (long)v! } },
            new() { Name = "mean_stall_fraction", Kind = ValueKind.Fraction, Min = 0, Max = 1, Doc = "Upper bound of the mean stall fraction of the guests (e.g. 5%: a twentieth of vCPU time out of the guest). Was mean_slowdown.", Apply = (s, v) => s with { StallFraction = (double)v! } },
            new() { Name = "slowdown_factor", Kind = ValueKind.Number, Min = 1, Doc = "Upper bound of the guests' slowdown factor: time to do the same work relative to running unpressured, vCPU time / (vCPU time - stalled time) over the guests together (e.g. 1.25).", Apply = (s, v) => s with { SlowdownFactor = (double)v! } },
            new() { Name = "major_faults_per_s_per_guest", Kind = ValueKind.Number, Min = 0, Doc = "Upper bound of major faults per second per guest.", Apply = (s, v) => s with { MajorRate = (double)v! } },
        ],
    };

    private static readonly Section<MemorySettings> MemorySection = new()
    {
        Name = "min_host_memory",
        Doc = "Optional: also find the smallest host memory at which `guests` guests meet the SLO.",
        Keys =
        [
            new() { Name = "guests", Kind = ValueKind.Integer, Required = true, Min = 1, Max = 4096, Doc = "Guest count.", Apply = (s, v) => s with { Guests = (int)(long)v! } },
            new() { Name = "platform", Kind = ValueKind.Choice, Choices = Enum.GetValues<Platform>().Select(ScenarioKeys.PlatformName).ToList(), Default = ScenarioKeys.PlatformName(Platform.Power7), Doc = "Platform.", Apply = (s, v) => s with { Platform = ScenarioKeys.ParsePlatform((string)v!) } },
            new() { Name = "from", Kind = ValueKind.Size, Required = true, Min = 1L << 20, Doc = "Smallest host memory tried.", Apply = (s, v) => s with { From = (long)v! } },
            new() { Name = "to", Kind = ValueKind.Size, Required = true, Min = 1L << 20, Doc = "Largest host memory tried.", Apply = (s, v) => s with { To = (long)v! } },
            new() { Name = "step", Kind = ValueKind.Size, Default = 256L << 20, Min = 1L << 20, Doc = "Granularity of the answer.", Apply = (s, v) => s with { Step = (long)v! } },
        ],
    };

    private static readonly Section<MrcSettings> MrcSection = new()
    {
        Name = "mrc_estimate",
        Doc = "Optional: start the count search where one guest's miss-ratio curve says each guest's share of memory keeps its miss ratio at or below a target.",
        Keys =
        [
            new() { Name = "file", Kind = ValueKind.Path, Required = true, Doc = "mrc.csv of the guest's workload (`hvsim mrc`; capacity in host pages), relative to the plan file.", Apply = (s, v) => s with { File = (string)v! } },
            new() { Name = "miss_ratio", Kind = ValueKind.Fraction, Default = 0.01, Min = 0, Max = 1, Doc = "Target miss ratio of each guest's share.", Apply = (s, v) => s with { MissRatio = (double)v! } },
        ],
    };

    private static readonly SpecialSection MixSection = new()
    {
        Name = "mix",
        Doc = "Guest profile names of the scenario mapped to proportions (> 0); without it, the scenario's own counts are the proportions.",
        Schema = () => new System.Text.Json.Nodes.JsonObject
        {
            ["type"] = "object", ["minProperties"] = 1,
            ["additionalProperties"] = new System.Text.Json.Nodes.JsonObject { ["type"] = "number", ["exclusiveMinimum"] = 0 },
        },
    };

    // Declared after the sections it contains: static fields are initialised in textual order.
    private static readonly Section<Settings> Root = new()
    {
        Name = "plan",
        Doc = "A capacity plan: the scenario it plans for, the SLO, replications and the search bounds.",
        // Bound one by one below: each has checks of its own, and mix: needs the scenario.
        Nested = [Nest.Parsed<Settings>(SloSection), Nest.Parsed<Settings>(MixSection), Nest.Parsed<Settings>(MemorySection), Nest.Parsed<Settings>(MrcSection)],
        Keys =
        [
            new() { Name = "scenario", Kind = ValueKind.Path, Required = true, Doc = "Scenario file giving the host, the guest profile(s) and the run settings (relative to the plan file).", Apply = (s, v) => s with { Scenario = (string)v! } },
            new() { Name = "replications", Kind = ValueKind.Integer, Default = 3L, Min = 1, Max = 1000, Doc = "Replications at each probed guest count.", Apply = (s, v) => s with { Replications = (int)(long)v! } },
            new() { Name = "max_guests", Kind = ValueKind.Integer, Default = 64L, Min = 1, Max = 4096, Doc = "Largest guest count the search tries.", Apply = (s, v) => s with { MaxGuests = (int)(long)v! } },
            new() { Name = "platforms", Kind = ValueKind.ChoiceList, Choices = ScenarioKeys.PlatformChoices, Default = new[] { "both" }, Doc = "Platforms to plan for.", Apply = (s, v) => s with { Platforms = (IReadOnlyList<string>)v! } },
            new() { Name = "confidence", Kind = ValueKind.Fraction, Default = 0.95, Min = 0.5, Max = 0.999, Doc = "Two-sided confidence of the Student-t interval whose upper end must meet each SLO bound.", Apply = (s, v) => s with { Confidence = (double)v! } },
        ],
    };

    /// <summary>The plan language's section tree: `hvsim schema --plan` and `hvsim validate` read it.</summary>
    public static SectionDef Tree => Root;

    /// <summary>True when <paramref name="file"/> reads as a plan (a mapping with `scenario:` and no `guests:`), not a scenario.</summary>
    public static bool IsPlan(string file)
    {
        var d = new Diagnostics();
        return YamlDocumentReader.ReadText(file, d, "a YAML file") is { } text && YamlDocumentReader.Parse(file, text, d) is MappingNode root
            && root.Get("scenario") is not null && root.Get("guests") is null;
    }


    /// <exception cref="ScenarioException">Every problem in the plan file or its scenario, located.</exception>
    public static PlanSpec Load(string file)
    {
        var d = new Diagnostics();
        var text = YamlDocumentReader.ReadText(file, d, "a plan YAML file");
        if (text is null) throw new ScenarioException(d.Sorted().ToList());
        if (YamlDocumentReader.Parse(file, text, d) is not MappingNode root)
        {
            if (!d.HasErrors) d.Add(new Diagnostic(file, 1, 1, "a plan file must be a mapping of keys", "scenario:, slo:, replications:, max_guests:, platforms:"));
            throw new ScenarioException(d.Sorted().ToList());
        }
        var settings = Bind(root, Root, new Settings(null, 3, 64, ["both"], 0.95), d, Root.ChildNames);
        var sloNode = root.Get("slo");
        var slo = sloNode is null ? null : BindMapping(sloNode, SloSection, new SloSettings(null, null, null), d);
        string sloKeys = string.Join(", ", SloSection.Keys.Select(k => k.Name));
        if (sloNode is null) d.Add(root, "missing required key 'slo'", sloKeys);
        // Only an empty mapping lacks bounds: any other entry either set one or was already reported as a misspelt
        // key or bad value, and a non-mapping is reported as such; saying "no bound" then would contradict the file.
        else if (sloNode is MappingNode { Entries.Count: 0 }) d.Add(sloNode, "'slo' needs at least one bound", sloKeys);
        var memNode = root.Get("min_host_memory");
        var memory = memNode is null ? null : BindMapping(memNode, MemorySection, new MemorySettings(null, Platform.Power7, null, null, 256L << 20), d);
        if (memory is { From: { } from, To: { } to } && from > to && memNode is MappingNode memMap)
            d.Add(memMap, $"'from' ({Text(memMap, "from")}) is larger than 'to' ({Text(memMap, "to")})", "from <= to");

        Scenario? scenario = null;
        if (settings.Scenario is { } relative)
        {
            string path = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(file)) ?? ".", relative);
            var scenarioNode = root.Get("scenario")!;
            if (HvSim.Traces.FileKinds.NotRegular(path) is { } problem)
                d.Add(scenarioNode, $"scenario file '{relative}' {(problem == HvSim.Traces.FileKinds.NotFound ? "not found" : "is " + problem)} (looked for {path})",
                    "a scenario file, relative to the plan file");
            else
            {
                scenario = ScenarioLoader.TryLoad(path, d);
                if (scenario is { Points.Count: > 1 })
                    d.Add(scenarioNode, $"the plan's scenario '{relative}' has a sweep; the planner chooses the guest count itself", "a scenario without sweep:");
            }
        }
        GuestMix? mix = scenario is null ? null : BindMix(root.Get("mix"), scenario, d);
        int? hint = null;
        if (root.Get("mrc_estimate") is { } mrcNode && BindMapping(mrcNode, MrcSection, new MrcSettings(null, 0.01), d) is { File: { } mrcFile } mrc && scenario is not null)
        {
            string mrcPath = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(file)) ?? ".", mrcFile);
            try
            {
                var host = scenario.Points[0].Template.Config.Host;
                var curve = Tables.ResultsFolder.ReadTable<Tables.MrcRecord>(mrcPath);
                if (curve.Count == 0) d.Add(mrcNode, $"miss-ratio curve '{mrcFile}' has no points");
                else hint = MrcEstimate.MaxGuests(curve, host.MemoryBytes - host.ReservedBytes, host.PageSizeBytes, mrc.MissRatio, settings.MaxGuests);
            }
            catch (Exception e) when (e is Tables.ResultsFolderException or IOException or UnauthorizedAccessException)
            {
                d.Add(mrcNode, $"cannot read miss-ratio curve '{mrcFile}': {e.Message}", "an mrc.csv written by `hvsim mrc` (capacity,miss_ratio)");
            }
        }
        if (d.HasErrors || scenario is null || mix is null || slo is null) throw new ScenarioException(d.Sorted().ToList());

        var limits = new List<SloLimit>();
        if (slo.P99Ns is { } ns) limits.Add(new SloLimit(SloMetric.P99FaultLatencyUs, ns / 1e3));
        if (slo.StallFraction is { } f) limits.Add(new SloLimit(SloMetric.MeanStallFraction, f));
        if (slo.SlowdownFactor is { } x) limits.Add(new SloLimit(SloMetric.SlowdownFactor, x));
        if (slo.MajorRate is { } r) limits.Add(new SloLimit(SloMetric.MajorFaultsPerSecondPerGuest, r));
        return new PlanSpec
        {
            File = file, Scenario = scenario, Slo = new Slo(limits, settings.Confidence), Replications = settings.Replications,
            MaxGuests = settings.MaxGuests, Mix = mix, StartHint = hint, Warnings = d.Warnings,
            Platforms = ScenarioKeys.ParsePlatforms(settings.Platforms),
            Memory = memory is { Guests: { } g, From: { } lo, To: { } hi }
                ? new MemoryQuestion(memory.Platform, g, lo, hi, memory.Step) : null,
        };
    }

    /// <summary>`mix:` maps guest profile names of the scenario to proportions; without it, the scenario's own counts are the proportions.</summary>
    private static GuestMix? BindMix(Node? node, Scenario scenario, Diagnostics d)
    {
        var groups = scenario.Points[0].Template.Groups;
        if (node is null) return new GuestMix(groups.Select(g => new GuestShare(g.Guest, g.Count)).ToList());
        if (node is not MappingNode map)
        {
            d.Add(node, $"'mix' must be a mapping of guest profile names to proportions, not {node.KindName}", "e.g. mix: {web: 3, db: 1}");
            return null;
        }
        string profiles = string.Join(", ", groups.Select(g => g.Guest.Name));
        if (map.Entries.Count == 0)
        {
            d.Add(map, "'mix' must name at least one guest profile", $"{profiles}, each with a proportion > 0, e.g. mix: {{{groups[0].Guest.Name}: 1}}");
            return null;
        }
        var proportion = new KeyDef<double> { Name = "mix", Kind = ValueKind.Number, Min = 0, Doc = "", Apply = (_, v) => (double)v! };
        var shares = new List<GuestShare>();
        foreach (var e in map.Entries)
        {
            var group = groups.FirstOrDefault(g => g.Guest.Name == e.Key.Value);
            if (group is null)
            {
                d.Add(e.Key, $"'mix' names guest profile '{ValueParser.Shorten(e.Key.Value)}', which the scenario does not have" + ValueParser.DidYouMean(e.Key.Value, groups.Select(g => g.Guest.Name)),
                    profiles);
                continue;
            }
            if (ValueParser.TryParse(proportion, e.Value, d, out var v))
            {
                if ((double)v! > 0) shares.Add(new GuestShare(group.Guest, (double)v!));
                else d.Add(e.Value, $"the proportion of '{ValueParser.Shorten(e.Key.Value)}' must be > 0", "a number > 0");
            }
        }
        return shares.Count > 0 && !d.HasErrors ? new GuestMix(shares) : null;
    }

    /// <summary>A key's value as the file spells it, for messages about values that parsed but do not fit together.</summary>
    private static string Text(MappingNode mapping, string key) => mapping.Get(key) is ScalarNode { Value: var v } ? v : key;

    private static T BindMapping<T>(Node node, Section<T> section, T start, Diagnostics d)
    {
        if (node is MappingNode map) return Bind(map, section, start, d, []);
        d.Add(node, $"'{section.Name}' must be a mapping, not {node.KindName}", string.Join(", ", section.Keys.Select(k => k.Name)));
        return start;
    }

    private static T Bind<T>(MappingNode map, Section<T> section, T start, Diagnostics d, IReadOnlyCollection<string> nested)
    {
        var value = start;
        foreach (var e in map.Entries)
        {
            if (nested.Contains(e.Key.Value)) continue;
            var key = section.Find(e.Key.Value);
            if (key is null && KeyAliases.Find(section.Name, e.Key.Value) is { } alias)
            {
                key = section.Find(alias.New);
                d.Warn(KeyAliases.Warning(alias, e.Key));
            }
            if (key is null)
            {
                var names = section.Keys.Select(k => k.Name).Concat(nested).ToList();
                d.Add(e.Key, $"unknown key '{ValueParser.Shorten(e.Key.Value)}' in {section.Name}" + ValueParser.DidYouMean(e.Key.Value, names), string.Join(", ", names));
                continue;
            }
            if (ValueParser.TryParse(key, e.Value, d, out var v)) value = key.Apply(value, v);
        }
        foreach (var key in section.Keys.Where(k => k.Required && map.Get(k.Name) is null))
            d.Add(map, $"missing required key '{key.Name}' in {section.Name}", key.Allowed);
        return value;
    }
}
