namespace HvSim.Engine.Monitors;

/// <summary>
/// Time-weighted statistics of a level that changes at event times (queue length, pages resident, free memory):
/// each value counts for as long as it held. Reads the clock of its <see cref="Simulation"/>; allocation-free.
/// </summary>
public sealed class LevelStats
{
    private readonly Simulation _sim;
    private readonly long _start;
    private long _since;
    private double _area;
    private double _areaSq;

    public LevelStats(Simulation sim, double initial = 0)
    {
        _sim = sim ?? throw new ArgumentNullException(nameof(sim));
        _start = _since = sim.Now;
        Current = Min = Max = initial;
    }

    public double Current { get; private set; }
    public double Min { get; private set; }
    public double Max { get; private set; }

    /// <summary>Simulated time covered so far, in ns.</summary>
    public long Duration => _sim.Now - _start;

    /// <summary>The level changes to <paramref name="value"/> now.</summary>
    public void Set(double value)
    {
        Accumulate();
        Current = value;
        if (value < Min) Min = value;
        if (value > Max) Max = value;
    }

    public void Add(double delta) => Set(Current + delta);

    /// <summary>Time-weighted mean up to now (the current level if no time has passed).</summary>
    public double Mean
    {
        get
        {
            long d = Duration;
            return d == 0 ? Current : (_area + Current * (_sim.Now - _since)) / d;
        }
    }

    /// <summary>Time-weighted (population) variance up to now.</summary>
    public double Variance
    {
        get
        {
            long d = Duration;
            if (d == 0) return 0;
            double tail = _sim.Now - _since;
            double mean = (_area + Current * tail) / d;
            double meanSq = (_areaSq + Current * Current * tail) / d;
            return Math.Max(0, meanSq - mean * mean);
        }
    }

    private void Accumulate()
    {
        long now = _sim.Now;
        double dt = now - _since;
        _area += Current * dt;
        _areaSq += Current * Current * dt;
        _since = now;
    }
}
