namespace HvSim.Engine;

/// <summary>Handle to a callback or timeout scheduled with <see cref="Simulation.Schedule"/>; cancelling is O(1).</summary>
public readonly struct ScheduledCall
{
    private readonly Simulation? _sim;
    private readonly ulong _who;

    internal ScheduledCall(Simulation sim, ulong who)
    {
        _sim = sim;
        _who = who;
    }

    /// <summary>True until it has fired or been cancelled.</summary>
    public bool IsPending => _sim != null && _sim.IsLive(_who);

    /// <summary>Make it never fire (no effect once it has fired).</summary>
    public void Cancel() => _sim?.Cancel(_who);
}
