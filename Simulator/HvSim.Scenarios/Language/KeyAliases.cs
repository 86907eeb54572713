namespace HvSim.Scenarios.Language;

/// <summary>
/// Renamed keys: the old name still works for one release, with a warning naming the new one. The one table of
/// renames for scenario and plan files; a section's binder looks a key up here when its name is not a key.
/// </summary>
public static class KeyAliases
{
    /// <summary><paramref name="Old"/> in section <paramref name="Section"/> is now <paramref name="New"/>; accepted until <paramref name="Until"/>.</summary>
    public sealed record Alias(string Section, string Old, string New, string Until, string Why);

    public static readonly IReadOnlyList<Alias> All =
    [
        new("slo", "mean_slowdown", "mean_stall_fraction", "the next release",
            "it bounds the stall fraction (0.5 = half the vCPU time stalled), not a slowdown; slowdown_factor bounds the slowdown (2 = twice as long)"),
    ];

    public static Alias? Find(string section, string name) => All.FirstOrDefault(a => a.Section == section && a.Old == name);

    /// <summary>The warning for a file that uses the old name at <paramref name="at"/>.</summary>
    public static string Warning(Alias a, Node at) =>
        $"{at.File}:{at.Line}:{at.Column}: warning: '{a.Old}' in {a.Section} is renamed '{a.New}' ({a.Why}); the old name is accepted until {a.Until}";
}
