using HvSim.Model.Results;

namespace HvSim.Analysis.Batch;

/// <summary>What a batch tells its display: the runs to do with their expected costs, each run as it starts (live) and ends; calls may come from several worker threads.</summary>
public interface IBatchProgress
{
    /// <param name="costs">Expected cost of each pending run (<see cref="Progress.RunCost"/>), in the same order.</param>
    void Started(IReadOnlyList<BatchPlanEntry> pending, IReadOnlyList<double> costs, int alreadyDone);
    void Running(BatchPlanEntry run, RunProgress live);
    void Finished(BatchPlanEntry run, TimeSpan wall, Exception? error);
}

public sealed class NoBatchProgress : IBatchProgress
{
    public static readonly NoBatchProgress Instance = new();
    public void Started(IReadOnlyList<BatchPlanEntry> pending, IReadOnlyList<double> costs, int alreadyDone) { }
    public void Running(BatchPlanEntry run, RunProgress live) { }
    public void Finished(BatchPlanEntry run, TimeSpan wall, Exception? error) { }
}
