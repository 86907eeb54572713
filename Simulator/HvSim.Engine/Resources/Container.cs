namespace HvSim.Engine.Resources;

/// <summary>
/// A continuous level between 0 and <see cref="Capacity"/> (memory in a pool, bytes in a buffer). Puts and gets
/// are served in arrival order (a waiting put or get blocks those behind it); <see cref="WaitAtLeast"/> and
/// <see cref="WaitAtMost"/> wait for the level to cross a threshold without changing it.
/// </summary>
public sealed class Container
{
    private struct Waiter
    {
        public ulong Who;
        public double Amount;
    }

    private readonly Simulation _sim;
    private readonly Queue<Waiter> _puts = new();
    private readonly Queue<Waiter> _gets = new();
    private readonly List<Waiter> _atLeast = new();
    private readonly List<Waiter> _atMost = new();

    public Container(Simulation sim, double capacity = double.PositiveInfinity, double initial = 0, string name = "container")
    {
        _sim = sim ?? throw new ArgumentNullException(nameof(sim));
        if (!(capacity > 0)) throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "capacity must be > 0");
        if (!(initial >= 0 && initial <= capacity)) throw new ArgumentOutOfRangeException(nameof(initial), initial, $"initial level must be in [0, {capacity}]");
        Capacity = capacity;
        Level = initial;
        Name = name;
    }

    public string Name { get; }
    public double Capacity { get; }
    public double Level { get; private set; }

    /// <summary>Add <paramref name="amount"/>, waiting until it fits under the capacity.</summary>
    public Command Put(double amount)
    {
        CheckAmount(amount);
        DropStale(_puts);
        if (_puts.Count == 0 && Level + amount <= Capacity)
        {
            Level += amount;
            Settle();
            return Command.Continue;
        }
        return Enqueue(_puts, amount, "wait to put");
    }

    /// <summary>Remove <paramref name="amount"/>, waiting until the level holds it.</summary>
    public Command Get(double amount)
    {
        CheckAmount(amount);
        DropStale(_gets);
        if (_gets.Count == 0 && Level >= amount)
        {
            Level -= amount;
            Settle();
            return Command.Continue;
        }
        return Enqueue(_gets, amount, "wait to get");
    }

    /// <summary>Wait until the level is at least <paramref name="level"/> (at once if it is).</summary>
    public Command WaitAtLeast(double level) => Level >= level ? Command.Continue : Watch(_atLeast, level);

    /// <summary>Wait until the level is at most <paramref name="level"/> (at once if it is).</summary>
    public Command WaitAtMost(double level) => Level <= level ? Command.Continue : Watch(_atMost, level);

    private Command Enqueue(Queue<Waiter> queue, double amount, string what)
    {
        queue.Enqueue(new Waiter { Who = _sim.WaiterWho("container", Name, what), Amount = amount });
        return Command.Suspend;
    }

    private Command Watch(List<Waiter> list, double level)
    {
        list.Add(new Waiter { Who = _sim.WaiterWho("container", Name, "wait for a level"), Amount = level });
        return Command.Suspend;
    }

    private static void CheckAmount(double amount)
    {
        if (!(amount >= 0) || double.IsInfinity(amount)) throw new ArgumentOutOfRangeException(nameof(amount), amount, "amount must be finite and >= 0");
    }

    private void DropStale(Queue<Waiter> queue)
    {
        while (queue.Count > 0 && !_sim.IsLive(queue.Peek().Who)) queue.Dequeue();
    }

    /// <summary>The level changed: serve queue heads while they fit, then wake threshold waiters.</summary>
    private void Settle()
    {
        bool progress = true;
        while (progress)
        {
            progress = false;
            DropStale(_gets);
            if (_gets.Count > 0 && Level >= _gets.Peek().Amount)
            {
                var g = _gets.Dequeue();
                Level -= g.Amount;
                _sim.WakeNow(g.Who);
                progress = true;
            }
            DropStale(_puts);
            if (_puts.Count > 0 && Level + _puts.Peek().Amount <= Capacity)
            {
                var p = _puts.Dequeue();
                Level += p.Amount;
                _sim.WakeNow(p.Who);
                progress = true;
            }
        }
        WakeWatchers(_atLeast, atLeast: true);
        WakeWatchers(_atMost, atLeast: false);
    }

    private void WakeWatchers(List<Waiter> list, bool atLeast)
    {
        int kept = 0;
        for (int i = 0; i < list.Count; i++)
        {
            var w = list[i];
            if (!_sim.IsLive(w.Who)) continue;
            if (atLeast ? Level >= w.Amount : Level <= w.Amount) _sim.WakeNow(w.Who);
            else list[kept++] = w;
        }
        list.RemoveRange(kept, list.Count - kept);
    }
}
