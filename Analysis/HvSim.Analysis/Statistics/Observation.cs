using HvSim.Analysis.Tables;

namespace HvSim.Analysis.Statistics;

/// <summary>The value of one metric in one run, for the whole host (<see cref="Guest"/> empty) or one guest.</summary>
public readonly record struct Observation(RunIdentity Run, SweepPoint Point, string Guest, Metric Metric, double Value);
