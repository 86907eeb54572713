namespace HvSim.Analysis.Planning;

/// <summary>A finished capacity plan: per platform the largest guest count, and the POWER7/PPC970 consolidation ratio.</summary>
public sealed record PlanResult(string Scenario, Slo Slo, int Replications, int MaxGuestsSearched, IReadOnlyList<PlatformPlan> Platforms, MemoryAnswer? Memory = null)
{
    /// <summary>Each lever on each platform, the scenario as it is (`none`) first; empty for a plan without `levers:`.</summary>
    public IReadOnlyList<LeverPlan> Levers { get; init; } = [];

    /// <summary>The consolidation baselines: the scenario as it is, pinned on PPC970 and swapping on POWER7.</summary>
    public PlatformPlan? Pinned => Platforms.FirstOrDefault(p => p.Platform == HvSim.Model.Config.Platform.Ppc970);
    public PlatformPlan? Swapping => Platforms.FirstOrDefault(p => p.Platform == HvSim.Model.Config.Platform.Power7);

    /// <summary>Every probe the planner made, the min_host_memory search's included; unset, the count searches' probes.</summary>
    public IReadOnlyList<Probe> Probes { get; init; } = Platforms.SelectMany(p => p.Probes).ToList();

    /// <summary>max guests on POWER7 / max guests on PPC970; null unless both ran and PPC970 fits at least one.</summary>
    public double? ConsolidationRatio
    {
        get
        {
            var p7 = Platforms.FirstOrDefault(p => p.Platform == HvSim.Model.Config.Platform.Power7);
            var p970 = Platforms.FirstOrDefault(p => p.Platform == HvSim.Model.Config.Platform.Ppc970);
            return p7 is null || p970 is null || p970.MaxGuests == 0 ? null : (double)p7.MaxGuests / p970.MaxGuests;
        }
    }
}

/// <summary>
/// One lever on one platform: the count search's answer (null when the platform refuses the lever, with the reason)
/// and that answer against pinned PPC970's and plain POWER7 swapping's (the scenario as it is, `none`).
/// </summary>
public sealed record LeverPlan(string Lever, string Overrides, HvSim.Model.Config.Platform Platform, PlatformPlan? Plan, string? Refused)
{
    /// <summary>Max guests of this row over the baseline's (null when refused or the baseline fits none).</summary>
    public double? RatioTo(PlatformPlan? baseline) => Plan is null || baseline is not { MaxGuests: > 0 } ? null : (double)Plan.MaxGuests / baseline.MaxGuests;
}

/// <summary>The optional second question: the smallest host memory at which a given guest count meets the SLO.</summary>
public sealed record MemoryAnswer(string Platform, int Guests, long? MinHostMemoryBytes);
