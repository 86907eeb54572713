using System.Globalization;
using HvSim.Model.Config;
using HvSim.Scenarios;
using HvSim.Scenarios.Language;
using HvSim.Scenarios.Loading;
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
    /// <summary>The operator levers to put side by side (`levers:`), in file order; empty for a plan without them.</summary>
    public IReadOnlyList<PlanLever> Levers { get; init; } = [];

    /// <summary>The scenario's configuration (host, costs, duration, seed) that every probe starts from.</summary>
    public SimulationConfig BaseConfig => Scenario.Points[0].Template.ToConfig(Scenario.Name, Platform.Power7, Scenario.Template.Config.Seed);

    /// <summary>
    /// The count searches the plan makes, in order: the scenario as it is on each platform (on both with levers: the
    /// ratios' baselines; its probes have no lever), then each lever on each platform that does not refuse it.
    /// </summary>
    public IReadOnlyList<(string? Lever, Platform Platform)> Searches => Levers.Count == 0
        ? Platforms.Select(p => ((string?)null, p)).ToList()
        : Levers.SelectMany(l => l.On.Where(o => o.Target is not null).Select(o => (l.Name == PlanKeys.Baseline ? null : (string?)l.Name, o.Platform))).ToList();

    /// <summary>What a probe runs: the scenario's configuration and guest mix, or the lever's.</summary>
    public PlanTarget TargetOf(PlanPoint point) => point.Lever is null ? new PlanTarget(BaseConfig, Mix)
        : Levers.Single(l => l.Name == point.Lever).On.Single(o => o.Platform == point.Platform).Target
          ?? throw new InvalidOperationException($"lever {point.Lever} is refused on {point.Platform}");

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

/// <summary>What a probe of a lever (or of the scenario as it is) starts from: the configuration and the guest profiles in their proportions.</summary>
public sealed record PlanTarget(SimulationConfig BaseConfig, GuestMix Mix);

/// <summary>A lever on one platform: what it runs, or why the platform refuses it (the scenario's check that fails).</summary>
public sealed record LeverTarget(Platform Platform, PlanTarget? Target, string? Refused);

/// <summary>One lever of a plan's `levers:`: its name, the key paths it sets (as written) and what it is on each platform it is tried on.</summary>
public sealed record PlanLever(string Name, string Overrides, IReadOnlyList<LeverTarget> On);

/// <summary>
/// Reads plan files: the scenario language's YAML reader and binder bind them through the plan key table
/// (<see cref="PlanKeys"/>), so plan errors look exactly like scenario errors (file, line, column, what is allowed).
/// What needs the scenario (it loads, `mix:` names its profiles, each lever on each platform) is checked here.
/// </summary>
public static class PlanFile
{
    /// <summary>The plan language's section tree: `hvsim schema --plan` reads it.</summary>
    public static SectionDef Tree => PlanKeys.Root;

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
            if (!d.HasErrors) d.Add(new Diagnostic(file, 1, 1, "a plan file must be a mapping of keys", string.Join(", ", PlanKeys.Root.Keys.Select(k => k.Name).Concat(PlanKeys.Root.ChildNames))));
            throw new ScenarioException(d.Sorted().ToList());
        }
        var settings = PlanKeys.Bind(root, d, out var at);
        string sloKeys = string.Join(", ", PlanKeys.Slo.Keys.Select(k => k.Name));
        // Only an empty mapping lacks bounds: any other entry either set one or was already reported as a misspelt
        // key or bad value, and a non-mapping is reported as such; saying "no bound" then would contradict the file.
        if (root.Get(PlanKeys.Slo.Name) is MappingNode { Entries.Count: 0 } sloNode) d.Add(sloNode, "'slo' needs at least one bound", sloKeys);
        if (settings.MinHostMemory is { From: { } from, To: { } to } && from > to && root.Get(PlanKeys.MinHostMemory.Name) is MappingNode memMap)
            d.Add(memMap, $"'from' ({Text(memMap, "from")}) is larger than 'to' ({Text(memMap, "to")})", "from <= to");

        Scenario? scenario = null;
        if (settings.Scenario is { } relative)
        {
            string path = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(file)) ?? ".", relative);
            var scenarioNode = at["scenario"];
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
        GuestMix? mix = scenario is null ? null : BindMix(root.Get(PlanKeys.Mix.Name), scenario, d);
        int? hint = null;
        if (settings.MrcEstimate is { File: { } mrcFile } mrc && scenario is not null)
        {
            var mrcNode = at[PlanKeys.MrcEstimate.Name];
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
        if (d.HasErrors || scenario is null || mix is null) throw new ScenarioException(d.Sorted().ToList());

        var platforms = ScenarioKeys.ParsePlatforms(settings.Platforms);
        var bounds = settings.Slo;
        var limits = new List<SloLimit>();
        if (bounds.P99Ns is { } ns) limits.Add(new SloLimit(SloMetric.P99FaultLatencyUs, ns / 1e3));
        if (bounds.StallFraction is { } f) limits.Add(new SloLimit(SloMetric.MeanStallFraction, f));
        if (bounds.SlowdownFactor is { } x) limits.Add(new SloLimit(SloMetric.SlowdownFactor, x));
        if (bounds.MajorRate is { } r) limits.Add(new SloLimit(SloMetric.MajorFaultsPerSecondPerGuest, r));
        return new PlanSpec
        {
            File = file, Scenario = scenario, Slo = new Slo(limits, settings.Confidence), Replications = settings.Replications,
            MaxGuests = settings.MaxGuests, Mix = mix, StartHint = hint, Warnings = d.Warnings,
            Platforms = platforms,
            Memory = settings.MinHostMemory is { Guests: { } g, From: { } lo, To: { } hi } memory
                ? new MemoryQuestion(memory.Platform, g, lo, hi, memory.Step) : null,
            Levers = settings.Levers.Count == 0 ? [] : [Lever(scenario, mix, new LeverSettings(PlanKeys.Baseline, root, []), Enum.GetValues<Platform>()),
                .. settings.Levers.Select(l => Lever(scenario, mix, l, platforms))],
        };
    }

    /// <summary>
    /// A lever on each platform: the scenario with the lever's keys set, checked as the scenario language checks a file
    /// for that platform. A problem there is the platform refusing the lever (zswap on linux-3.4, a balloon on PPC970):
    /// reported as the reason, not as an error of the plan.
    /// </summary>
    private static PlanLever Lever(Scenario scenario, GuestMix mix, LeverSettings lever, IEnumerable<Platform> platforms) =>
        new(lever.Name, lever.OverridesText, platforms.Select(p =>
        {
            var problems = new Diagnostics();
            var template = ScenarioLoader.Variant(scenario, lever.Overrides, p, problems);
            if (template is null) return new LeverTarget(p, null, string.Join("; ", problems.Sorted().Select(x => x.Message)));
            // The same profiles in the same proportions, with what the lever changed in them (levers cannot rename them).
            var shares = mix.Shares.Select(s => new GuestShare(template.Groups.First(g => g.Guest.Name == s.Profile.Name).Guest, s.Proportion)).ToList();
            return new LeverTarget(p, new PlanTarget(template.ToConfig(scenario.Name, p, scenario.Template.Config.Seed), new GuestMix(shares)), null);
        }).ToList());

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
}
