using HvSim.Model.Config;
using HvSim.Scenarios.Language;

namespace HvSim.Scenarios.Loading;

/// <summary>
/// A fully bound scenario document (one sweep point): the configuration its runs share, and the keys that say which
/// runs there are and what they write. The key table's root section binds into it.
/// </summary>
public sealed record RunTemplate
{
    /// <summary>
    /// Every run's configuration but its platform and seed: the keys set it directly (`duration` is
    /// <see cref="SimulationConfig.DurationNs"/>). Its <see cref="SimulationConfig.Seed"/> is the master seed,
    /// its <see cref="SimulationConfig.Name"/> the `name:` as written.
    /// </summary>
    public required SimulationConfig Config { get; init; }
    public string Description { get; init; } = "";
    public int Replications { get; init; } = 1;
    public required IReadOnlyList<Platform> Platforms { get; init; }
    /// <summary>The results tables to write, in <see cref="ScenarioKeys.AllOutputs"/> order.</summary>
    public IReadOnlyList<string> Outputs { get; init; } = ScenarioKeys.AllOutputs;
    /// <summary>The guest profiles as written; <see cref="Guests"/> is them expanded.</summary>
    public IReadOnlyList<GuestGroup> Groups { get; init; } = [];

    public IReadOnlyList<GuestConfig> Guests => Config.Guests;

    /// <summary>The model's own defaults: the key table reads them from here instead of repeating them.</summary>
    internal static RunTemplate Prototype { get; } = new() { Config = ModelDefaults, Platforms = [ModelDefaults.Platform] };

    private static SimulationConfig ModelDefaults => new() { Host = new HostConfig(), Guests = [] };

    /// <summary>The template with these guest profiles, and their guests expanded into the config.</summary>
    public RunTemplate WithGroups(IReadOnlyList<GuestGroup> groups) =>
        this with { Groups = groups, Config = Config with { Guests = groups.SelectMany(g => g.Expand()).ToList() } };

    public SimulationConfig ToConfig(string name, Platform platform, ulong seed) => Config with
    {
        Name = name,
        // auto page sizes resolved for the platform, so a run's config (and manifest.json) says what the guest ran with.
        Guests = Guests.Select(g => g with { PageSizeBytes = g.PageBytesOn(platform, Config.Host.PageSizeBytes) }).ToList(),
        Platform = platform,
        Seed = seed,
    };
}

/// <summary>`count` identical guests built from one profile (a `guests:` mapping or one item of a `guests:` list).</summary>
public sealed record GuestGroup(int Count, GuestConfig Guest)
{
    internal static GuestGroup Prototype { get; } = new(1, new GuestConfig { Workload = null! });

    /// <summary>The profile's guests: named name0, name1, ... (just name when count is 1), each workload's layout offset by its index.</summary>
    public IEnumerable<GuestConfig> Expand()
    {
        for (int i = 0; i < Count; i++)
            yield return Guest with
            {
                Name = Count == 1 ? Guest.Name : $"{Guest.Name}{i}",
                Workload = Guest.Workload is null ? null! : i == 0 ? Guest.Workload : Guest.Workload.WithLayoutOffset((ulong)i),
            };
    }
}
