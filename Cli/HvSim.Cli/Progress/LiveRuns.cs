using HvSim.Analysis.Progress;
using HvSim.Model.Results;
using HvSim.Scenarios.Planning;

namespace HvSim.Cli.Progress;

/// <summary>
/// Progress of `run` and `batch` on a terminal: the live table of <see cref="LiveTable"/> (a line per running run, one
/// for all with the cost-weighted ETA of a <see cref="WorkMeter"/>). It starts when the command knows its runs and
/// their costs, and ends when it is disposed.
/// </summary>
internal sealed class LiveRuns(string title) : IRunsProgress, IDisposable
{
    private IReadOnlyList<PlannedRun> _runs = [];
    private LiveTable? _table;
    private TaskCompletionSource? _done;
    private Task? _display;

    public void Started(IReadOnlyList<PlannedRun> pending, IReadOnlyList<double> costs, int alreadyDone)
    {
        _runs = pending;
        var meter = new WorkMeter(costs, Display.RateWindowSpan);
        var ready = new TaskCompletionSource<LiveTable>();
        _done = new TaskCompletionSource();
        string label = $"{title}{pending.Count} runs" + (alreadyDone > 0 ? $" ({alreadyDone} already done)" : "");
        _display = Task.Run(() => LiveTable.Show(meter, label, table =>
        {
            ready.SetResult(table);
            _done.Task.Wait();
            return 0;
        }));
        _table = ready.Task.Result;
    }

    public void Running(int run, RunProgress live) => _table!.Started(run, _runs[run].RunId, live);

    public void Finished(int run, RunResult? result, TimeSpan wall, Exception? error) => _table!.Finished(run);

    public void Dispose()
    {
        _done?.TrySetResult();
        _display?.Wait();
    }

    /// <summary>
    /// <paramref name="work"/> with the progress display that fits the output: live on a terminal
    /// (<see cref="LiveRuns"/>), one line per finished run elsewhere (<see cref="FinishedRunLines"/>, after a line
    /// saying how many runs there are when <paramref name="announce"/> is given).
    /// </summary>
    public static T Show<T>(string title, Func<IRunsProgress, T> work, string? announce = null)
    {
        if (!ConsoleSetup.LiveProgress) return work(new FinishedRunLines(announce));
        using var live = new LiveRuns(title);
        return work(live);
    }
}
