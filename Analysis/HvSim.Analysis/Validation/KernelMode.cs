namespace HvSim.Analysis.Validation;

/// <summary>
/// The host-kernel model a validation compares the real kernel with. linux-3.4 is the kernel of 342d3db and HvSim's
/// only mode today; linux-6.18 (this machine's kernel without MGLRU, with `guests.memory_max` as the cgroup limit)
/// arrives with the `host.kernel` key (issue 11 part 2) and plugs in here: a name, and what it adds to the template.
/// </summary>
public sealed record KernelMode(string Name, string HostKeys)
{
    public static readonly KernelMode Linux34 = new("linux-3.4", "");

    public static IReadOnlyList<KernelMode> All { get; } = [Linux34];

    public static KernelMode? Find(string name) => All.FirstOrDefault(m => m.Name == name);

    public static string Allowed => string.Join(", ", All.Select(m => m.Name)) + " (linux-6.18 comes with the host.kernel key)";
}
