namespace HvSim.Analysis.Tables;

/// <summary>The columns that name the run a row belongs to (docs/results-format.md: run key, plus run_id in batches).</summary>
public interface IRunKeyed
{
    string RunId { get; }
    string Scenario { get; }
    string Platform { get; }
    int Replication { get; }
}

/// <summary>Identifies one run: a (scenario, platform, replication) of one batch run or of a single `hvsim run`.</summary>
public readonly record struct RunIdentity(string RunId, string Scenario, string Platform, int Replication)
{
    public static RunIdentity Of(IRunKeyed row) => new(row.RunId, row.Scenario, row.Platform, row.Replication);
}
