using HvSim.Analysis.Statistics;

namespace HvSim.Analysis.Planning;

/// <summary>
/// A configuration evaluated over all replications, and whether it meets the SLO. <see cref="Note"/> says why a
/// bound held without a value to check (no HDSI faults, so no fault latency), else null.
/// </summary>
public sealed record Probe(PlanPoint Point, IReadOnlyList<ProbeMetrics> Replications, IReadOnlyDictionary<SloMetric, ReplicationStats> Stats, bool AllAdmitted, bool MeetsSlo, string Verdict, string? Note = null)
{
    public static Probe Judge(PlanPoint point, IReadOnlyList<ProbeMetrics> replications, Slo slo)
    {
        // Undefined values (a p99 of no faults) are left out of the interval: a replication without faults has no
        // latency that could exceed the bound.
        var stats = slo.Limits.Select(l => l.Metric).Distinct()
            .ToDictionary(m => m, m => ReplicationStats.Of(replications.Select(r => r.Get(m)).ToList(), slo.Confidence));
        bool admitted = replications.All(r => r.AllAdmitted);
        if (!admitted)
            return new Probe(point, replications, stats, false, false,
                point.Guests == 1 ? "1 guest does not fit (it was refused)" : $"{point.Guests} guests do not all fit (a guest was refused)");
        var undefined = new List<string>();
        foreach (var limit in slo.Limits)
        {
            var s = stats[limit.Metric];
            if (s.N == 0)
            {
                undefined.Add(limit.MetricName);
                continue;
            }
            double upper = UpperBound(s);
            if (!(upper <= limit.Limit))
                return new Probe(point, replications, stats, true, false,
                    $"{limit.MetricName} upper {slo.Confidence:P0} bound {limit.Format(upper)} > {limit.Format(limit.Limit)}");
        }
        // Only the fault latency can be undefined, and only when no replication took an HDSI fault.
        string? note = undefined.Count == 0 ? null : $"no HDSI faults, so no {string.Join(", ", undefined)} to exceed the bound";
        return new Probe(point, replications, stats, true, true, note is null ? "meets the SLO" : $"meets the SLO ({note})", note);
    }

    /// <summary>When the planner made this probe: 1 for the first, in the order its searches ran (plan_probes.csv `order`).</summary>
    public int Order { get; init; }

    /// <summary>Which search made this probe: the guest count's (max_guests) or the host memory's (min_host_memory).</summary>
    public string Search => Point.HostMemoryBytes is null ? "max_guests" : "min_host_memory";

    /// <summary>
    /// The value one bound is judged by (the CI upper bound; null when no replication had a value) and whether it is
    /// within the limit. A refused guest fails the probe whatever its bounds (<see cref="AllAdmitted"/>).
    /// </summary>
    public (double? Upper, bool Holds) Bound(SloLimit limit)
    {
        var s = Stats[limit.Metric];
        if (s.N == 0) return (null, true);
        double upper = UpperBound(s);
        return (upper, upper <= limit.Limit);
    }

    /// <summary>The CI upper bound; with one replication (no spread known) the value itself.</summary>
    public static double UpperBound(ReplicationStats s) => s.N >= 2 ? s.CiHigh : s.Mean;
}
