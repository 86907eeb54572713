using HvSim.Model.Workloads;

namespace HvSim.Scenarios.Loading;

/// <summary>
/// Guests made from one profile (`count:`) get distinct page layouts: guest i uses the profile's layout_seed + i, so
/// identical guests do not all put their hot pages at the same guest addresses. Guest 0 keeps the seed as written.
/// </summary>
internal static class GuestLayouts
{
    public static WorkloadSpec ForGuest(WorkloadSpec spec, int indexInProfile) => indexInProfile == 0 ? spec : Offset(spec, (ulong)indexInProfile);

    private static WorkloadSpec Offset(WorkloadSpec spec, ulong offset) => spec switch
    {
        ZipfWorkload z => z with { LayoutSeed = unchecked(z.LayoutSeed + offset) },
        HotColdWorkload h => h with { LayoutSeed = unchecked(h.LayoutSeed + offset) },
        PhasedWorkload p => p with { Phases = p.Phases.Select(ph => ph with { Workload = Offset(ph.Workload, offset) }).ToList() },
        MixWorkload m => m with { Streams = m.Streams.Select(st => st with { Workload = Offset(st.Workload, offset) }).ToList() },
        _ => spec,
    };
}
