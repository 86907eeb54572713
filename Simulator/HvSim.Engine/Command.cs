namespace HvSim.Engine;

/// <summary>What a process yields to the kernel: a small struct, so a resume allocates nothing.</summary>
/// <remarks>
/// Commands that find their condition already met (a free resource unit, a triggered event, an item in a store)
/// do not suspend: the process runs on at once. Only <see cref="Delay"/> always yields, so <c>Delay(0)</c> lets
/// every other event due now run first.
/// </remarks>
public readonly struct Command
{
    internal readonly CommandKind Kind;
    /// <summary>Delay length for <see cref="CommandKind.Delay"/>; otherwise the wait's deadline (-1 = none).</summary>
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

    /// <summary>
    /// Suspend without a wake-up of its own: the process resumes only when another party calls
    /// <see cref="Process.ResumeAfter"/> (a component that runs the process's work inline hands it back that way).
    /// </summary>
    public static Command Park => new(CommandKind.Suspend, -1, null);

    /// <summary>Resume when <paramref name="e"/> is triggered (at once if it already is).</summary>
    public static Command Wait(SimEvent e) => new(CommandKind.Wait, -1, e ?? throw new ArgumentNullException(nameof(e)));

    /// <summary>Resume when process <paramref name="p"/> has finished.</summary>
    public static Command Wait(Process p) => new(CommandKind.Wait, -1, p ?? throw new ArgumentNullException(nameof(p)));

    /// <summary>Resume when the first of <paramref name="items"/> is done (events triggered, processes finished).</summary>
    public static Command AnyOf(params Waitable[] items) => new(CommandKind.AnyOf, -1, CheckItems(items));

    /// <summary>Resume when all of <paramref name="items"/> are done.</summary>
    public static Command AllOf(params Waitable[] items) => new(CommandKind.AllOf, -1, CheckItems(items));

    /// <summary>
    /// Give up waiting after <paramref name="ticks"/> ns: the process resumes then even if the condition is not
    /// met (check the request, event or item to see which happened). Not valid on <see cref="Delay"/>.
    /// </summary>
    public Command Within(long ticks)
    {
        if (ticks < 0) throw new ArgumentOutOfRangeException(nameof(ticks), ticks, "deadline must be >= 0");
        return Kind switch
        {
            CommandKind.Delay => throw new InvalidOperationException("a delay has no deadline"),
            CommandKind.Continue => this,
            _ => new(Kind, ticks, Target),
        };
    }

    /// <summary>The condition is already met: run on without suspending.</summary>
    internal static Command Continue => new(CommandKind.Continue, -1, null);

    /// <summary>The wait is registered with a resource; suspend until it wakes the process.</summary>
    internal static Command Suspend => new(CommandKind.Suspend, -1, null);

    private static Waitable[] CheckItems(Waitable[] items)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (items.Length == 0) throw new ArgumentException("need at least one event or process", nameof(items));
        foreach (var w in items) ArgumentNullException.ThrowIfNull(w, nameof(items));
        return items;
    }
}

internal enum CommandKind : byte
{
    Delay,
    Wait,
    AnyOf,
    AllOf,
    Continue,
    Suspend,
}
