using HvSim.Engine;

namespace HvSim.Model.Results;

/// <summary>
/// A live view of one run for progress displays. The run fills it in; any thread may <see cref="Read"/> it while the
/// run goes on, at no cost to the run: it only points at the clock and counters the model keeps anyway.
/// </summary>
/// <remarks>
/// Reads take no lock, so a snapshot is a set of recent values, not one instant's. Nothing the model computes reads
/// it back, so results cannot depend on whether anyone watches.
/// </remarks>
public sealed class RunProgress
{
    private Simulation? _sim;
    private GuestResult[] _counters = [];
    private long _accessesBeforeWarmupEnd;
    private volatile bool _finished;

    /// <summary>Simulated length of the run, ns (0 until the run has started).</summary>
    public long DurationNs { get; private set; }

    /// <summary>End of warm-up, ns: stall time is counted only after it.</summary>
    public long WarmupNs { get; private set; }

    /// <summary>vCPUs of the admitted guests (the denominator of the stall fraction).</summary>
    public int Vcpus { get; private set; }

    internal void Attach(Simulation sim, long durationNs, long warmupNs, IEnumerable<GuestResult> counters, int vcpus)
    {
        (DurationNs, WarmupNs, Vcpus) = (durationNs, warmupNs, vcpus);
        _counters = counters.ToArray();
        _sim = sim;
    }

    /// <summary>The guests' counters are about to restart: keep the access count continuous.</summary>
    internal void BeforeCounterReset()
    {
        foreach (var c in _counters) _accessesBeforeWarmupEnd += c.Accesses;
    }

    internal void Finish() => _finished = true;

    /// <summary>The run's state now (all zero before it starts).</summary>
    public RunSnapshot Read()
    {
        var sim = _sim;
        if (sim is null) return default;
        long accesses = _accessesBeforeWarmupEnd, stalled = 0;
        foreach (var c in _counters)
        {
            accesses += c.Accesses;
            stalled += c.StalledNs;
        }
        bool finished = _finished;
        return new RunSnapshot(finished ? DurationNs : Math.Min(sim.Now, DurationNs), DurationNs, WarmupNs, accesses, stalled, Vcpus, finished);
    }
}

/// <param name="SimulatedNs">Simulated time reached.</param>
/// <param name="Accesses">Guest accesses so far, warm-up included.</param>
/// <param name="StalledNs">vCPU time stalled after warm-up, summed over vCPUs (only faults that have ended are in it).</param>
public readonly record struct RunSnapshot(long SimulatedNs, long DurationNs, long WarmupNs, long Accesses, long StalledNs, int Vcpus, bool Finished)
{
    /// <summary>Fraction of the run's simulated time done (0..1).</summary>
    public double Fraction => DurationNs <= 0 ? 0 : Math.Clamp((double)SimulatedNs / DurationNs, 0, 1);
}
