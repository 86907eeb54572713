namespace HvSim.Analysis.Planning;

/// <summary>A finished capacity plan: per platform the largest guest count, and the POWER7/PPC970 consolidation ratio.</summary>
public sealed record PlanResult(string Scenario, Slo Slo, int Replications, int MaxGuestsSearched, IReadOnlyList<PlatformPlan> Platforms, MemoryAnswer? Memory = null)
{
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

/// <summary>The optional second question: the smallest host memory at which a given guest count meets the SLO.</summary>
public sealed record MemoryAnswer(string Platform, int Guests, long? MinHostMemoryBytes);
