namespace HvSim.Engine;

/// <summary>A simulated activity: a C# iterator that yields <see cref="Command"/>s.</summary>
public sealed class Process
{
    private readonly IEnumerator<Command> _body;
    private List<Process>? _joiners;

    internal Process(IEnumerator<Command> body, string name)
    {
        _body = body;
        Name = name;
    }

    public string Name { get; }
    public bool IsAlive { get; private set; } = true;

    internal void Resume(Simulation sim)
    {
        if (!IsAlive) return;
        if (!_body.MoveNext())
        {
            IsAlive = false;
            if (_joiners != null)
            {
                foreach (var j in _joiners) sim.ScheduleResume(j, 0);
                _joiners = null;
            }
            return;
        }
        var c = _body.Current;
        switch (c.Kind)
        {
            case CommandKind.Delay:
                sim.ScheduleResume(this, c.Ticks);
                break;
            case CommandKind.WaitEvent:
                var e = (SimEvent)c.Target!;
                if (e.IsTriggered) sim.ScheduleResume(this, 0);
                else e.AddWaiter(this);
                break;
            case CommandKind.WaitProcess:
                var p = (Process)c.Target!;
                if (!p.IsAlive) sim.ScheduleResume(this, 0);
                else (p._joiners ??= new()).Add(this);
                break;
        }
    }
}
