namespace HvSim.Engine;

/// <summary>What a process yields to the kernel: a 16-byte struct, so a resume allocates nothing and returns it in registers.</summary>
/// <remarks>
/// Commands that find their condition already met (a free resource unit, a triggered event, an item in a store)
/// do not suspend: the process runs on at once. Only <see cref="Delay"/> always yields, so <c>Delay(0)</c> lets
/// every other event due now run first. The kind is implied by the target: none for a delay, a <see cref="Waitable"/>
/// for a wait, an array for AnyOf, an <see cref="AllOfItems"/> for AllOf, or one of two markers.
/// </remarks>
public readonly struct Command
{
    /// <summary>Delay length when <see cref="Target"/> is null; otherwise the wait's deadline (-1 = none).</summary>
    internal readonly long Ticks;
    internal readonly object? Target;

    private Command(long ticks, object? target)
    {
        Ticks = ticks;
        Target = target;
    }

    /// <summary>Resume after <paramref name="ticks"/> nanoseconds of simulated time (0 = yield to simultaneous events).</summary>
    public static Command Delay(long ticks) =>
        ticks < 0 ? throw new ArgumentOutOfRangeException(nameof(ticks), ticks, "delay must be >= 0") : new(ticks, null);

    /// <summary>
    /// Suspend without a wake-up of its own: the process resumes only when another party calls
    /// <see cref="Process.ResumeAfter"/> (a component that runs the process's work inline hands it back that way).
    /// </summary>
    public static Command Park => new(-1, SuspendMark);

    /// <summary>Resume when <paramref name="e"/> is triggered (at once if it already is).</summary>
    public static Command Wait(SimEvent e) => new(-1, e ?? throw new ArgumentNullException(nameof(e)));

    /// <summary>Resume when process <paramref name="p"/> has finished.</summary>
    public static Command Wait(Process p) => new(-1, p ?? throw new ArgumentNullException(nameof(p)));

    /// <summary>Resume when the first of <paramref name="items"/> is done (events triggered, processes finished).</summary>
    public static Command AnyOf(params Waitable[] items) => new(-1, CheckItems(items));

    /// <summary>Resume when all of <paramref name="items"/> are done.</summary>
    public static Command AllOf(params Waitable[] items) => new(-1, new AllOfItems(CheckItems(items)));

    /// <summary>
    /// Give up waiting after <paramref name="ticks"/> ns: the process resumes then even if the condition is not
    /// met (check the request, event or item to see which happened). Not valid on <see cref="Delay"/>.
    /// </summary>
    public Command Within(long ticks)
    {
        if (ticks < 0) throw new ArgumentOutOfRangeException(nameof(ticks), ticks, "deadline must be >= 0");
        if (Target is null) throw new InvalidOperationException("a delay has no deadline");
        return ReferenceEquals(Target, ContinueMark) ? this : new(ticks, Target);
    }

    /// <summary>The condition is already met: run on without suspending.</summary>
    internal static Command Continue => new(-1, ContinueMark);

    /// <summary>The wait is registered with a resource; suspend until it wakes the process.</summary>
    internal static Command Suspend => new(-1, SuspendMark);

    internal static readonly object ContinueMark = new();
    internal static readonly object SuspendMark = new();

    private static Waitable[] CheckItems(Waitable[] items)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (items.Length == 0) throw new ArgumentException("need at least one event or process", nameof(items));
        foreach (var w in items) ArgumentNullException.ThrowIfNull(w, nameof(items));
        return items;
    }
}

/// <summary>The items of an AllOf wait (an AnyOf carries its array as it is).</summary>
internal sealed class AllOfItems(Waitable[] items)
{
    public readonly Waitable[] Items = items;
}
