using System.Diagnostics;
using System.Globalization;
using HvSim.Analysis.Progress;
using HvSim.Model.Results;
using HvSim.Scenarios.Planning;

namespace HvSim.Cli.Progress;

/// <summary>
/// Progress of `run` and `batch` off a terminal (a file, a pipe, CI): nothing while runs go on, then exactly one line
/// per finished run, with what it simulated and the cost-weighted ETA of the rest (<see cref="WorkMeter"/>). With an
/// <paramref name="announce"/> prefix (`batch: `), one line first says how many runs there are to do (a resumed batch
/// says how many were done before; scripts wait for it to know the batch has claimed its folder).
/// </summary>
internal sealed class FinishedRunLines(string? announce = null, TextWriter? output = null) : IRunsProgress
{
    private readonly TextWriter _out = output ?? Console.Out;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private IReadOnlyList<PlannedRun> _runs = [];
    private WorkMeter? _meter;

    public void Started(IReadOnlyList<PlannedRun> pending, IReadOnlyList<double> costs, int alreadyDone)
    {
        _runs = pending;
        _meter = new WorkMeter(costs, Display.RateWindowSpan);
        if (announce is not null) _out.WriteLine($"{announce}{pending.Count} runs to do, {alreadyDone} already done");
    }

    public void Running(int run, RunProgress live) => _meter!.Started(run, live);

    public void Finished(int run, RunResult? result, TimeSpan wall, Exception? error)
    {
        string what = result is null
            ? "failed"
            : string.Create(CultureInfo.InvariantCulture, $"done: {result.SimulatedNs / 1e9:0.###} s simulated, {result.Guests.Sum(g => g.Accesses):N0} accesses");
        lock (this)
        {
            _meter!.Finished(run);
            var (_, remaining) = _meter.Sample(_clock.Elapsed);
            string eta = _meter.FinishedCount == _meter.Count ? "" : $", ETA {Display.Duration(remaining)}";
            _out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"run {_meter.FinishedCount}/{_meter.Count} {_runs[run].RunId} {what}; {_clock.Elapsed.TotalSeconds:0.0} s{eta}"));
        }
    }
}
