namespace HvSim.Analysis.Batch;

/// <summary>What a batch tells its display; calls may come from several worker threads.</summary>
public interface IBatchProgress
{
    void Started(IReadOnlyList<BatchPlanEntry> pending, int alreadyDone);
    void Finished(BatchPlanEntry run, TimeSpan wall, Exception? error);
}

public sealed class NoBatchProgress : IBatchProgress
{
    public static readonly NoBatchProgress Instance = new();
    public void Started(IReadOnlyList<BatchPlanEntry> pending, int alreadyDone) { }
    public void Finished(BatchPlanEntry run, TimeSpan wall, Exception? error) { }
}
