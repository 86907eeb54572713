namespace HvSim.Model.Config;

/// <summary>Everything one simulation run needs. Plain data: the model knows nothing of YAML.</summary>
public sealed record SimulationConfig
{
    public string Name { get; init; } = "scenario";
    public required HostConfig Host { get; init; }
    public required IReadOnlyList<GuestConfig> Guests { get; init; }
    public Platform Platform { get; init; } = Platform.Power7;
    /// <summary>Which kvm_age_hva the POWER7 host uses (kernel-model.md 2.5); 3.4 shipped <see cref="AgingVariant.RBit"/>.</summary>
    public AgingVariant Aging { get; init; } = AgingVariant.RBit;
    public CostConfig Costs { get; init; } = new();
    public long DurationNs { get; init; } = 60_000_000_000;
    public long WarmupNs { get; init; }
    /// <summary>
    /// `warmup: auto`: <see cref="WarmupNs"/> is ignored and the warm-up ends once the run has reached steady state
    /// (<see cref="Results.SteadyState"/>).
    /// </summary>
    public bool WarmupAuto { get; init; }
    public long SampleIntervalNs { get; init; } = 1_000_000_000;
    public ulong Seed { get; init; } = HvSim.Engine.Simulation.DefaultSeed;
    /// <summary>Check the kernel-model.md section 5 invariants while running (slow).</summary>
    public bool CheckInvariants { get; init; }
    /// <summary>
    /// With <see cref="CheckInvariants"/>: check the pages the events touched after every this many events
    /// (1 = after each event).
    /// </summary>
    public int InvariantCheckEveryEvents { get; init; } = 1;
    /// <summary>With <see cref="CheckInvariants"/>: sweep every page and HPTE after this many events (and at the end).</summary>
    public int InvariantFullSweepEveryEvents { get; init; } = 65_536;
    /// <summary>Schedule one event per guest access (slow reference mode, a test oracle for the inline fast path).</summary>
    public bool ReferenceMode { get; init; }

    /// <summary>The guest has a virtio balloon device: a fixed target (guests.balloon), or every guest under the balloon policy.</summary>
    public bool HasBalloon(GuestConfig g) => g.BalloonBytes is > 0 || Host.BalloonPolicy.Enabled;

    /// <summary>Any guest has a memory cgroup limit or protection: then each guest's QEMU has a cgroup (and an LRU) of its own.</summary>
    public bool HasGuestMemcgs => Guests.Any(g => g.MemoryMaxBytes != null || g.MemoryHighBytes != null || g.MemoryLowBytes != null);
}

public enum Platform
{
    /// <summary>using_mmu_notifiers = 1: guest pages are pageable.</summary>
    Power7,
    /// <summary>using_mmu_notifiers = 0: every guest page is pinned.</summary>
    Ppc970,
}

public enum AgingVariant
{
    /// <summary>
    /// 342d3db before its follow-up: kvm_age_hva unmaps referenced pages; ageing is emulated by HDSI refaults. Never in
    /// a released kernel: a what-if.
    /// </summary>
    Unmap,
    /// <summary>What Linux 3.4 shipped (kvm_age_rmapp): kvm_age_hva clears the hardware R bit with a tlbie, no HPTE becomes absent.</summary>
    RBit,
}
