using HvSim.Model.Config;

namespace HvSim.Scenarios.Language;

/// <summary>The top-level keys of a scenario that are not host, cost or guest settings.</summary>
public sealed record ScenarioSettings
{
    public string Name { get; init; } = Prototype.Name;
    public string Description { get; init; } = "";
    public ulong Seed { get; init; } = Prototype.Seed;
    public int Replications { get; init; } = 1;
    public IReadOnlyList<Platform> Platforms { get; init; } = [Prototype.Platform];
    public AgingVariant Aging { get; init; } = Prototype.Aging;
    public long DurationNs { get; init; } = Prototype.DurationNs;
    public long WarmupNs { get; init; } = Prototype.WarmupNs;
    public bool WarmupAuto { get; init; } = Prototype.WarmupAuto;
    public long IntervalNs { get; init; } = Prototype.SampleIntervalNs;
    public bool Check { get; init; } = Prototype.CheckInvariants;
    public int CheckEveryEvents { get; init; } = Prototype.InvariantCheckEveryEvents;
    public bool ReferenceMode { get; init; } = Prototype.ReferenceMode;
    public IReadOnlyList<string> Outputs { get; init; } = ScenarioKeys.AllOutputs;

    /// <summary>The model's own defaults: the key table reads them from here instead of repeating them.</summary>
    internal static SimulationConfig Prototype { get; } = new() { Host = new HostConfig(), Guests = [] };
}

/// <summary>`count` identical guests built from one profile (a `guests:` mapping or one item of a `guests:` list).</summary>
public sealed record GuestGroup(int Count, GuestConfig Guest)
{
    internal static GuestGroup Prototype { get; } = new(1, new GuestConfig { Workload = null! });
}
