using HvSim.Analysis.Tables;

namespace HvSim.Analysis.Statistics;

/// <summary>One row of stats.csv: a metric of one scenario, platform and sweep point over its replications.</summary>
public sealed record StatRow(string Scenario, string Platform, SweepPoint Point, string Guest, Metric Metric, ReplicationStats Stats);
