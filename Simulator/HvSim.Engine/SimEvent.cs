namespace HvSim.Engine;

/// <summary>A one-shot event processes can wait on; triggering wakes every waiter in the order it started waiting.</summary>
public sealed class SimEvent : Waitable
{
    public SimEvent(Simulation sim) : base(sim) { }

    public bool IsTriggered { get; private set; }

    /// <summary>Optional payload set by the trigger (e.g. a completion time or a status code).</summary>
    public long Value { get; private set; }

    internal override bool IsDone => IsTriggered;

    public void Trigger(long value = 0)
    {
        if (IsTriggered) throw new InvalidOperationException("event already triggered");
        IsTriggered = true;
        Value = value;
        WakeWaiters();
    }
}
