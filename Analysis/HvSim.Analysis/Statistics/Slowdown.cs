namespace HvSim.Analysis.Statistics;

/// <summary>
/// THE slowdown factor: how many times longer a guest takes to do the same work than it would unpressured. A vCPU's
/// time is useful time (accesses and think time in the guest) plus stalled time (out of the guest in exits, faults,
/// I/O and reclaim); unpressured, the same accesses need only the useful time, so the factor is
/// vCPU time / (vCPU time − stalled time) = 1 / (1 − stall fraction): 0 % stall is 1×, 50 % is 2×, 94 % is 16.7×.
/// For several guests it is Σ vCPU time / Σ useful time (the host's guests together). NaN when no useful time is left.
/// </summary>
public static class Slowdown
{
    public static double Factor(double stalledS, double vcpuS) => vcpuS - stalledS > 0 ? vcpuS / (vcpuS - stalledS) : double.NaN;

    /// <summary>The factor of a stall fraction: 1 / (1 − <paramref name="stallFraction"/>).</summary>
    public static double OfStallFraction(double stallFraction) => Factor(stallFraction, 1);
}
