using HvSim.Model.Config;

namespace HvSim.Analysis.Progress;

/// <summary>
/// What a run is expected to cost, to weight the ETA of `batch` and `plan`: the guest accesses it would make if no
/// access ever stalled, Σ over guests of vCPUs × duration / (mean think time + access cost). The model's wall time
/// is about proportional to accesses until paging dominates, so a sweep over guest counts or durations weighs its runs
/// in the right proportion where counting runs would not. Paging makes a run dearer than this says; the ETA's rate is
/// measured, so that shows up as a slower rate, not a wrong share.
/// </summary>
public static class RunCost
{
    public static double Expected(SimulationConfig c)
    {
        double accesses = 0;
        foreach (var g in c.Guests)
            accesses += g.Vcpus * (double)c.DurationNs / Math.Max(1, g.Workload.MeanThinkNs + c.Costs.AccessNs);
        return Math.Max(accesses, 1);
    }
}
