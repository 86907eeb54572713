namespace HvSim.Engine;

/// <summary>What a process yields to the kernel: a small struct, so a resume allocates nothing.</summary>
public readonly struct Command
{
    internal readonly CommandKind Kind;
    internal readonly long Ticks;
    internal readonly object? Target;

    private Command(CommandKind kind, long ticks, object? target)
    {
        Kind = kind;
        Ticks = ticks;
        Target = target;
    }

    /// <summary>Resume after <paramref name="ticks"/> nanoseconds of simulated time (0 = yield to simultaneous events).</summary>
    public static Command Delay(long ticks) =>
        ticks < 0 ? throw new ArgumentOutOfRangeException(nameof(ticks), ticks, "delay must be >= 0") : new(CommandKind.Delay, ticks, null);

    /// <summary>Resume when <paramref name="e"/> is triggered (at once if it already is).</summary>
    public static Command Wait(SimEvent e) => new(CommandKind.WaitEvent, 0, e ?? throw new ArgumentNullException(nameof(e)));

    /// <summary>Resume when process <paramref name="p"/> has finished.</summary>
    public static Command Wait(Process p) => new(CommandKind.WaitProcess, 0, p ?? throw new ArgumentNullException(nameof(p)));
}

internal enum CommandKind : byte
{
    Delay,
    WaitEvent,
    WaitProcess,
}
