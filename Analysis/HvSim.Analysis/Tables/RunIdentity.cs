namespace HvSim.Analysis.Tables;

/// <summary>
/// Identifies one run. Scenario, platform and replication alone do not: the points of a sweep share them and differ
/// by seed. <see cref="RunId"/> is the batch's run_id, or the manifest's for a single `hvsim run`; empty when neither
/// names the run.
/// </summary>
public readonly record struct RunIdentity(string RunId, string Scenario, string Platform, int Replication, ulong Seed);

/// <summary>A row of a results table with the run it belongs to.</summary>
public readonly record struct RunRow<T>(RunIdentity Run, T Row);
