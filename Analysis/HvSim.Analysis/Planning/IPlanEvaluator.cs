using HvSim.Model.Config;

namespace HvSim.Analysis.Planning;

/// <summary>One configuration the planner tries: a platform, a guest count, optionally a host memory size, and the lever (null: the scenario as it is).</summary>
public readonly record struct PlanPoint(Platform Platform, int Guests, long? HostMemoryBytes = null, string? Lever = null);

/// <summary>
/// What one replication of a <see cref="PlanPoint"/> measured. <see cref="P99FaultLatencyUs"/> is NaN when the run
/// took no HDSI fault (pinned PPC970 guests): the 99th percentile of no latencies is undefined, not 0.
/// </summary>
public readonly record struct ProbeMetrics(bool AllAdmitted, double P99FaultLatencyUs, double MeanStallFraction, double MajorFaultsPerSecondPerGuest, double SlowdownFactor = 1)
{
    public double Get(SloMetric metric) => metric switch
    {
        SloMetric.P99FaultLatencyUs => P99FaultLatencyUs,
        SloMetric.MeanStallFraction => MeanStallFraction,
        SloMetric.SlowdownFactor => SlowdownFactor,
        SloMetric.MajorFaultsPerSecondPerGuest => MajorFaultsPerSecondPerGuest,
        _ => throw new ArgumentOutOfRangeException(nameof(metric)),
    };
}

/// <summary>Runs (or models) one replication of a configuration. The planner's only view of the simulator.</summary>
public interface IPlanEvaluator
{
    ProbeMetrics Evaluate(PlanPoint point, int replication);
}
