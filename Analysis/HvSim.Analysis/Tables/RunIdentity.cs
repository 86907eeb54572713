namespace HvSim.Analysis.Tables;

/// <summary>Identifies one run: a (scenario, platform, replication) of one batch run (run_id) or of a single `hvsim run` (empty run_id).</summary>
public readonly record struct RunIdentity(string RunId, string Scenario, string Platform, int Replication);

/// <summary>A row of a results table with the run it belongs to.</summary>
public readonly record struct RunRow<T>(RunIdentity Run, T Row);
