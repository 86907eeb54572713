using HvSim.Model.Results;
using HvSim.Scenarios.Planning;

namespace HvSim.Analysis.Progress;

/// <summary>
/// What <see cref="Batch.RunSchedule.Execute"/> tells a display about the runs of `run` or `batch`: the runs to do with
/// their expected costs, each run as it starts (live) and as it ends. A run is named by its position in the pending
/// list. Calls may come from several worker threads.
/// </summary>
public interface IRunsProgress
{
    /// <param name="costs">Expected cost of each pending run (<see cref="RunCost"/>), in the same order.</param>
    void Started(IReadOnlyList<PlannedRun> pending, IReadOnlyList<double> costs, int alreadyDone);
    void Running(int run, RunProgress live);
    /// <param name="result">What the run simulated; null when it failed with <paramref name="error"/>.</param>
    void Finished(int run, RunResult? result, TimeSpan wall, Exception? error);
}

public sealed class NoRunsProgress : IRunsProgress
{
    public static readonly NoRunsProgress Instance = new();
    public void Started(IReadOnlyList<PlannedRun> pending, IReadOnlyList<double> costs, int alreadyDone) { }
    public void Running(int run, RunProgress live) { }
    public void Finished(int run, RunResult? result, TimeSpan wall, Exception? error) { }
}
