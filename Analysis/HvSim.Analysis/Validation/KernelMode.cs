using HvSim.Model.Config;

namespace HvSim.Analysis.Validation;

/// <summary>
/// The host-kernel model a validation compares the real kernel with: a <see cref="HostKernel"/> (host.kernel) and how
/// the cgroup limit is modelled. linux-3.4 had memory cgroups too, but HvSim's 3.4 mode stands for the limit with a
/// host that holds that much (zone reclaim, kswapd and watermarks, as the tables of docs/validation.md were made);
/// linux-6.18 sets the limit as the guest's memory_max (try_charge's reclaim by the faulting task) on a host with room.
/// </summary>
public sealed record KernelMode(HostKernel Kernel, bool LimitAsMemoryMax)
{
    public static readonly KernelMode Linux34 = new(HostKernel.Linux34, false);
    public static readonly KernelMode Linux618 = new(HostKernel.Linux618, true);

    public static IReadOnlyList<KernelMode> All { get; } = [Linux34, Linux618];

    public string Name => Kernel.Name;

    /// <summary>The host keys the mode adds to the template (host.kernel when it is not the default).</summary>
    public string HostKeys => Kernel == new HostConfig().Kernel ? "" : $"  kernel: {Kernel.Name}\n";

    public static KernelMode? Find(string name) => All.FirstOrDefault(m => m.Name == name);

    public static string Allowed => string.Join(", ", All.Select(m => m.Name));
}
