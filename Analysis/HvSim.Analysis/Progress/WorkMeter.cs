using HvSim.Model.Results;

namespace HvSim.Analysis.Progress;

/// <summary>
/// How far a set of runs has got, each weighted by its expected cost (<see cref="RunCost"/>): a finished run counts
/// its whole cost, a running one the simulated fraction it has reached. The ETA is the cost left over the measured
/// rate of cost done per wall second (<see cref="RateWindow"/>), so one long run among short ones is not mistaken
/// for one run's worth of work. Thread-safe: workers report, a display thread samples.
/// </summary>
public sealed class WorkMeter : IProgressMeter
{
    private readonly double[] _cost;
    private readonly RunProgress?[] _live;
    private readonly bool[] _finished;
    private readonly RateWindow _rate;

    public WorkMeter(IReadOnlyList<double> costs, TimeSpan window)
    {
        _cost = [.. costs];
        _live = new RunProgress?[_cost.Length];
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

    public void Started(int run, RunProgress live)
    {
        lock (this) _live[run] = live;
    }

    public void Finished(int run)
    {
        lock (this)
        {
            if (_finished[run]) return;
            _finished[run] = true;
            _live[run] = null;
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
                done += _finished[i] ? _cost[i] : _live[i] is { } live ? live.Read().Fraction * _cost[i] : 0;
            return done;
        }
    }

    /// <summary>Record the state at <paramref name="wall"/> since the start; the fraction done and the time left (null until a rate is measured).</summary>
    public (double Fraction, TimeSpan? Remaining) Sample(TimeSpan wall)
    {
        double done = DoneCost();
        lock (_rate)
        {
            _rate.Add(wall, done);
            return (TotalCost <= 0 ? 1 : done / TotalCost, _rate.Remaining(TotalCost));
        }
    }
}
