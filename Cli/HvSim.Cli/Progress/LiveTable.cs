using System.Diagnostics;
using HvSim.Analysis.Progress;
using HvSim.Model.Results;
using Spectre.Console;

namespace HvSim.Cli.Progress;

/// <summary>
/// Live progress on a terminal: a line and bar per running run and, over several runs, one for all of them with the
/// cost-weighted ETA of an <see cref="IProgressMeter"/>. A timer thread reads each run's <see cref="RunProgress"/>; the runs
/// never wait for the display.
/// </summary>
internal sealed class LiveTable : IDisposable
{
    private readonly ProgressContext _ctx;
    private readonly IProgressMeter _meter;
    private readonly ProgressTask? _overall;
    private readonly string _overallLabel;
    private readonly Dictionary<int, (RunLine Line, RunProgress Live, ProgressTask Task)> _running = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Timer _timer;

    public LiveTable(ProgressContext ctx, IProgressMeter meter, string overallLabel)
    {
        (_ctx, _meter, _overallLabel) = (ctx, meter, overallLabel);
        if (meter.Count is null or > 1) _overall = ctx.AddTask(Markup.Escape(overallLabel), maxValue: 100);
        _timer = new Timer(_ => Update(), null, Display.Refresh, Display.Refresh);
    }

    public void Started(int run, string label, RunProgress live)
    {
        _meter.Started(run, live);
        lock (_running) _running[run] = (new RunLine(label), live, _ctx.AddTask(Markup.Escape(label), maxValue: 100));
    }

    public void Finished(int run)
    {
        _meter.Finished(run);
        lock (_running)
        {
            if (!_running.Remove(run, out var r)) return;
            Draw(r.Line, r.Live, r.Task);
            r.Task.Value = 100;
            r.Task.StopTask();
        }
    }

    private void Update()
    {
        lock (_running)
        {
            foreach (var (line, live, task) in _running.Values) Draw(line, live, task);
            if (_overall is null) return;
            var (fraction, remaining) = _meter.Sample(_clock.Elapsed);
            _overall.Value = fraction * 100;
            _overall.Description = Markup.Escape($"{_overallLabel}: {_meter.Tally}, ETA {Display.Duration(remaining)}");
        }
    }

    private void Draw(RunLine line, RunProgress live, ProgressTask task)
    {
        var now = live.Read();
        task.Value = now.Fraction * 100;
        task.Description = Markup.Escape(line.Describe(now, _clock.Elapsed));
    }

    public void Dispose()
    {
        _timer.Dispose();
        Update();
    }

    /// <summary>Run <paramref name="work"/> under a live display (spinner-free: bars and text only).</summary>
    public static T Show<T>(IProgressMeter meter, string overallLabel, Func<LiveTable, T> work) =>
        AnsiConsole.Progress().AutoClear(false).HideCompleted(meter.Count is null or > 8)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn())
            .Start(ctx =>
            {
                using var table = new LiveTable(ctx, meter, overallLabel);
                return work(table);
            });
}
