using HvSim.Model.Config;
using HvSim.Scenarios.Language;

namespace HvSim.Scenarios.Loading;

/// <summary>A fully bound scenario document (one sweep point): everything but the platform and the seed of a run.</summary>
public sealed record RunTemplate(
    ScenarioSettings Settings, HostConfig Host, CostConfig Costs, IReadOnlyList<GuestGroup> Groups, IReadOnlyList<GuestConfig> Guests)
{
    public SimulationConfig ToConfig(string name, Platform platform, ulong seed) => new()
    {
        Name = name,
        Host = Host,
        // auto page sizes resolved for the platform, so a run's config (and manifest.json) says what the guest ran with.
        Guests = Guests.Select(g => g with { PageSizeBytes = g.PageBytesOn(platform, Host.PageSizeBytes) }).ToList(),
        Platform = platform,
        Aging = Settings.Aging,
        Costs = Costs,
        DurationNs = Settings.DurationNs,
        WarmupNs = Settings.WarmupNs,
        WarmupAuto = Settings.WarmupAuto,
        SampleIntervalNs = Settings.IntervalNs,
        Seed = seed,
        CheckInvariants = Settings.Check,
        InvariantCheckEveryEvents = Settings.CheckEveryEvents,
        ReferenceMode = Settings.ReferenceMode,
    };
}
