namespace HvSim.Engine;

/// <summary>A one-shot event processes can wait on; triggering wakes every waiter in the order it started waiting.</summary>
public sealed class SimEvent
{
    private readonly Simulation _sim;
    private readonly List<Process> _waiters = new();

    public SimEvent(Simulation sim) => _sim = sim;

    public bool IsTriggered { get; private set; }

    /// <summary>Optional payload set by the trigger (e.g. a completion time or a status code).</summary>
    public long Value { get; private set; }

    public void Trigger(long value = 0)
    {
        if (IsTriggered) throw new InvalidOperationException("event already triggered");
        IsTriggered = true;
        Value = value;
        foreach (var p in _waiters) _sim.ScheduleResume(p, 0);
        _waiters.Clear();
    }

    internal void AddWaiter(Process p) => _waiters.Add(p);
}
