namespace HvSim.Engine;

/// <summary>
/// The event loop. Time is integer nanoseconds; events fire in the total order (time, sequence number),
/// the sequence number being given once, at scheduling, so simultaneous events fire in FIFO order.
/// </summary>
public sealed class Simulation
{
    /// <summary>Seed used when a scenario gives none: never the clock, so runs repeat.</summary>
    public const ulong DefaultSeed = 0x5EED_2012_0303UL;

    private readonly PriorityQueue<Process, (long Time, long Seq)> _queue = new();
    private long _seq;

    public Simulation(ulong seed = DefaultSeed) => Seed = seed;

    public ulong Seed { get; }
    public long Now { get; private set; }
    public long ProcessedEvents { get; private set; }

    /// <summary>Start a process; its first step runs at the current time, after events already due now.</summary>
    public Process Start(IEnumerable<Command> body, string name = "process")
    {
        var p = new Process(body.GetEnumerator(), name);
        ScheduleResume(p, 0);
        return p;
    }

    public SimEvent NewEvent() => new(this);

    /// <summary>An independent random stream derived from the master seed and a component name.</summary>
    public RngStream Rng(string component) => new(Seed, component);

    /// <summary>Time of the next pending event, or <see cref="long.MaxValue"/> when none.</summary>
    public long Peek() => _queue.TryPeek(out _, out var key) ? key.Time : long.MaxValue;

    /// <summary>Process one event; false when none is pending.</summary>
    public bool Step()
    {
        if (!_queue.TryDequeue(out var p, out var key)) return false;
        Now = key.Time;
        ProcessedEvents++;
        p.Resume(this);
        return true;
    }

    public void Run()
    {
        while (Step()) { }
    }

    /// <summary>Run every event due at or before <paramref name="until"/>, then set the clock to it.</summary>
    public void Run(long until)
    {
        if (until < Now) throw new ArgumentOutOfRangeException(nameof(until), until, $"until must be >= Now ({Now})");
        while (Peek() <= until) Step();
        Now = until;
    }

    internal void ScheduleResume(Process p, long delay) => _queue.Enqueue(p, (Now + delay, _seq++));
}
