using HvSim.Analysis.Statistics;

namespace HvSim.Analysis.Planning;

/// <summary>A configuration evaluated over all replications, and whether it meets the SLO.</summary>
public sealed record Probe(PlanPoint Point, IReadOnlyList<ProbeMetrics> Replications, IReadOnlyDictionary<SloMetric, ReplicationStats> Stats, bool AllAdmitted, bool MeetsSlo, string Verdict)
{
    public static Probe Judge(PlanPoint point, IReadOnlyList<ProbeMetrics> replications, Slo slo)
    {
        var stats = slo.Limits.Select(l => l.Metric).Distinct()
            .ToDictionary(m => m, m => ReplicationStats.Of(replications.Select(r => r.Get(m)).ToList(), slo.Confidence));
        bool admitted = replications.All(r => r.AllAdmitted);
        if (!admitted)
            return new Probe(point, replications, stats, false, false, $"{point.Guests} guests do not all fit (a guest was refused)");
        foreach (var limit in slo.Limits)
        {
            double upper = UpperBound(stats[limit.Metric]);
            if (!(upper <= limit.Limit))
                return new Probe(point, replications, stats, true, false, $"{limit.MetricName} upper {slo.Confidence:P0} bound {upper:G4} > {limit.Limit:G4}");
        }
        return new Probe(point, replications, stats, true, true, "meets the SLO");
    }

    /// <summary>The CI upper bound; with one replication (no spread known) the value itself.</summary>
    public static double UpperBound(ReplicationStats s) => s.N >= 2 ? s.CiHigh : s.Mean;
}
