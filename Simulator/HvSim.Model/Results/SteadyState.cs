namespace HvSim.Model.Results;

/// <summary>
/// `warmup: auto`: the rule that ends the warm-up once the run has reached steady state, checked at the end of every
/// sampling interval n (n counted from 1) on two series of the whole host: A, the accesses all guests made in each
/// interval (useful work), and R, the guests' resident memory at each interval's end. With W = <see cref="Window"/>:
/// <list type="number">
/// <item>n ≥ 2W (two full windows to compare);</item>
/// <item>host reclaim has not started, or started no later than W intervals before the end of interval n (the last
/// window is all under reclaim);</item>
/// <item>|R(n) − R(n−W)| ≤ <see cref="ResidentTolerance"/> of host memory (first touches and pinning are over);</item>
/// <item>the mean of A over intervals n−W+1..n is within <see cref="ThroughputTolerance"/> of its mean over
/// n−2W+1..n−W (throughput has settled).</item>
/// </list>
/// The warm-up ends at the end of the first such interval. A run that never settles ends its warm-up at half its
/// duration (the runner's fallback), which the results show as the warm-up used.
/// </summary>
public sealed class SteadyState(long hostMemoryBytes, long intervalNs)
{
    /// <summary>W: intervals per window.</summary>
    public const int Window = 5;
    public const double ResidentTolerance = 0.01;
    public const double ThroughputTolerance = 0.05;

    private readonly List<long> _accesses = [];
    private readonly List<long> _resident = [];

    /// <summary>
    /// Interval n ends at <paramref name="endNs"/> with <paramref name="accesses"/> made in it and
    /// <paramref name="residentBytes"/> resident; <paramref name="reclaimStartNs"/> is when host reclaim first ran (-1:
    /// never). True when the warm-up ends here.
    /// </summary>
    public bool Add(long endNs, long accesses, long residentBytes, long reclaimStartNs)
    {
        _accesses.Add(accesses);
        _resident.Add(residentBytes);
        int n = _accesses.Count;
        if (n < 2 * Window) return false;
        if (reclaimStartNs >= 0 && reclaimStartNs > endNs - Window * intervalNs) return false;
        if (Math.Abs(_resident[n - 1] - _resident[n - 1 - Window]) > ResidentTolerance * hostMemoryBytes) return false;
        double recent = 0, before = 0;
        for (int k = 0; k < Window; k++)
        {
            recent += _accesses[n - 1 - k];
            before += _accesses[n - 1 - Window - k];
        }
        return Math.Abs(recent - before) <= ThroughputTolerance * before;
    }
}
