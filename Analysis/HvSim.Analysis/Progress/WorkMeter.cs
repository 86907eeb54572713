using HvSim.Model.Results;

namespace HvSim.Analysis.Progress;

/// <summary>
/// How far a set of runs has got, each weighted by its expected cost (<see cref="RunCost"/>): a finished run counts
/// its whole cost, a running one the simulated fraction it has reached. The ETA is the cost left over the measured
/// rate of cost done per wall second (<see cref="RateWindow"/>), so one long run among short ones is not mistaken
/// for one run's worth of work. That rate is the workers' together; when fewer runs are left than workers, the last
/// ones cannot go faster than their own rates, so the ETA is never less than the longest a running run still needs at
/// its own measured rate. Thread-safe: workers report, a display thread samples.
/// </summary>
public sealed class WorkMeter : IProgressMeter
{
    private readonly double[] _cost;
    private readonly Func<double>?[] _fraction;
    private readonly RateWindow?[] _own;
    private readonly TimeSpan _window;
    private readonly bool[] _finished;
    private readonly RateWindow _rate;

    public WorkMeter(IReadOnlyList<double> costs, TimeSpan window)
    {
        _cost = [.. costs];
        _fraction = new Func<double>?[_cost.Length];
        _own = new RateWindow?[_cost.Length];
        _window = window;
        _finished = new bool[_cost.Length];
        _rate = new RateWindow(window);
        _rate.Add(TimeSpan.Zero, 0); // at the start nothing is done: the first finished run already gives a rate
        TotalCost = _cost.Sum();
    }

    public double TotalCost { get; }
    public int Count => _cost.Length;
    public int FinishedCount { get; private set; }
    int? IProgressMeter.Count => Count;
    public string Tally => $"{FinishedCount}/{Count} done";

    public void Started(int run, RunProgress live) => Started(run, () => live.Read().Fraction);

    /// <summary>Run <paramref name="run"/> started; <paramref name="fraction"/> says how far it has got (0 to 1).</summary>
    internal void Started(int run, Func<double> fraction)
    {
        lock (this)
        {
            _fraction[run] = fraction;
            _own[run] = new RateWindow(_window);
        }
    }

    public void Finished(int run)
    {
        lock (this)
        {
            if (_finished[run]) return;
            _finished[run] = true;
            _fraction[run] = null;
            _own[run] = null;
            FinishedCount++;
        }
    }

    /// <summary>Cost done: whole finished runs and the simulated fraction of running ones.</summary>
    public double DoneCost()
    {
        lock (this)
        {
            double done = 0;
            for (int i = 0; i < _cost.Length; i++)
                done += _finished[i] ? _cost[i] : _fraction[i] is { } fraction ? fraction() * _cost[i] : 0;
            return done;
        }
    }

    /// <summary>Record the state at <paramref name="wall"/> since the start; the fraction done and the time left (null until a rate is measured).</summary>
    public (double Fraction, TimeSpan? Remaining) Sample(TimeSpan wall)
    {
        double done = DoneCost();
        TimeSpan? longestRunning = LongestRunningLeft(wall);
        lock (_rate)
        {
            _rate.Add(wall, done);
            var all = _rate.Remaining(TotalCost);
            return (TotalCost <= 0 ? 1 : done / TotalCost, all is { } a && longestRunning is { } r && r > a ? r : all);
        }
    }

    /// <summary>The most wall time any running run needs at its own measured rate; null while none has a rate.</summary>
    private TimeSpan? LongestRunningLeft(TimeSpan wall)
    {
        lock (this)
        {
            TimeSpan? longest = null;
            for (int i = 0; i < _cost.Length; i++)
            {
                if (_fraction[i] is not { } fraction || _own[i] is not { } own) continue;
                own.Add(wall, fraction() * _cost[i]);
                if (own.Remaining(_cost[i]) is { } left && (longest is null || left > longest)) longest = left;
            }
            return longest;
        }
    }
}
