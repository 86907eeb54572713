using System.Globalization;
using System.Text.RegularExpressions;
using HvSim.Model.Config;
using HvSim.Model.Hv;
using HvSim.Model.Workloads;

namespace HvSim.Analysis.Validation;

/// <summary>
/// HvSim's scenario for one real run, from validation/scenario-template.yaml: `${key}` placeholders filled from the
/// run's row. One template serves every point, so a change to how points are modelled is made once.
/// </summary>
public static partial class ValidationScenario
{
    private const long Page = 4096;
    /// <summary>Bytes of page table per 4 KiB page (one x86-64 PTE), charged to the memory cgroup (pte_alloc_one: GFP_PGTABLE_USER has __GFP_ACCOUNT).</summary>
    private const long PteBytes = 8;

    /// <summary>Pages the region has.</summary>
    public static long Pages(RealRunRow row) => row.Pages ?? row.Mib * 256;

    /// <summary>
    /// Pages the cgroup can hold of the region: its limit less what it held before the region was mapped
    /// (memcg_base_bytes: binary, libc, stream tables; for the KVM guest also the VM, its vCPU and memslot) and the
    /// region's page tables: the process's, and for the KVM guest its second-level table as well (EPT, NPT or kvm-pvm's
    /// shadow table: one 8-byte entry per 4 KiB page, from KVM's kvm_mmu_memory_cache, GFP_KERNEL_ACCOUNT).
    /// </summary>
    public static long AvailablePages(RealRunRow row) =>
        Math.Max(0, (row.LimitBytes - (row.MemcgBaseBytes ?? 0) - Pages(row) * PteBytes * (row.Runner == "kvm" ? 2 : 1)) / Page);

    /// <summary>The scenario text for <paramref name="row"/> measuring [warmupNs, durationNs) of simulated time.</summary>
    public static string Text(string template, RealRunRow row, ValidationOptions options, long warmupNs, long durationNs, long intervalNs)
    {
        long available = AvailablePages(row) * Page;
        // The model charges the guest's HPT, revmap and rmap to host memory (docs/fidelity.md row 38); the real process
        // has none, so the host grows by that much and the guest keeps exactly the cgroup's room.
        var guest = new GuestConfig { MemoryBytes = row.Mib << 20, PageSizeBytes = (int)Page, Workload = new UniformWorkload() };
        long kvm = KvmGuestMemory.For(guest, Platform.Power7, (int)Page).TotalPages * Page;
        // linux-6.18: the cgroup limit is the guest's memory_max on a host with room for the whole footprint, so only
        // try_charge reclaims; linux-3.4: a host that holds just the limit.
        long held = options.Kernel.LimitAsMemoryMax ? Math.Max(Pages(row) * Page, available) + (8L << 20) : available;
        long hostMemory = Math.Max(64L << 20, (held + kvm + (16L << 20) + (1L << 20) - 1) & ~((1L << 20) - 1));
        var ci = CultureInfo.InvariantCulture;
        var values = new Dictionary<string, string>
        {
            ["extends"] = options.SwapBlockPath is { } swap ? $"extends: {Path.GetFullPath(swap)}" : "",
            ["name"] = row.PointName,
            ["description"] = $"\"{row.Runner} {row.Pattern} at {row.Ratio.ToString(ci)} x footprint, {row.Turnovers.ToString(ci)} turnovers of warm-up ({options.Kernel.Name})\"",
            ["seed"] = row.Seed.ToString(ci),
            ["duration"] = $"{durationNs}ns",
            ["warmup"] = $"{warmupNs}ns",
            ["interval"] = $"{intervalNs}ns",
            ["host_memory"] = hostMemory.ToString(ci),
            ["host_reserved"] = (hostMemory - held - kvm).ToString(ci),
            ["swap_capacity"] = (2 * row.Mib << 20).ToString(ci),
            ["readahead"] = ReadaheadPages(row, options).ToString(ci),
            ["rotational"] = row.SwapRotational == 1 ? "true" : "false",
            ["guest_memory"] = $"{row.Mib}MiB",
            ["workload"] = Workload(row),
            ["store"] = row.Store.ToString("R", ci),
            ["fault_path"] = FaultPath(row),
        };
        string text = Placeholder().Replace(template, m => values.TryGetValue(m.Groups[1].Value, out var v)
            ? v : throw new InvalidDataException($"{options.TemplatePath}: unknown placeholder ${{{m.Groups[1].Value}}} (allowed: {string.Join(", ", values.Keys)})"));
        if (options.Kernel.HostKeys.Length > 0) text = text.Replace("host:\n", "host:\n" + options.Kernel.HostKeys, StringComparison.Ordinal);
        if (options.Costs is { } costs) text = text.Replace("guests:\n", costs.Yaml() + "guests:\n", StringComparison.Ordinal);
        if (options.Kernel.LimitAsMemoryMax) text = text.Replace("guests:\n", $"guests:\n  memory_max: {available.ToString(ci)}\n", StringComparison.Ordinal);
        return text;
    }

    /// <summary>host.swap.readahead for <paramref name="row"/>: the option, else what <see cref="ValidationOptions.ReadaheadPages"/> says.</summary>
    public static int ReadaheadPages(RealRunRow row, ValidationOptions options) =>
        options.ReadaheadPages ?? (options.Kernel.Kernel.VmaSwapReadahead ? 1 << (row.PageCluster ?? 3) : 1);

    /// <summary>guests.fault_path of the runner: the plain process's own page faults, or the KVM guest's get_user_pages.</summary>
    private static string FaultPath(RealRunRow row) => row.Runner switch
    {
        "process" => "process",
        "kvm" => "kvm",
        _ => throw new InvalidDataException($"runner '{row.Runner}' (allowed: process, kvm)"),
    };

    private static string Workload(RealRunRow row)
    {
        var ci = CultureInfo.InvariantCulture;
        return row.Pattern switch
        {
            "uniform" => "kind: uniform",
            "zipf" => $"kind: zipf, alpha: {row.Alpha!.Value.ToString("R", ci)}",
            "hotcold" => $"kind: hotcold, hot_page_fraction: {row.HotPages!.Value.ToString("R", ci)}, hot_access_fraction: {row.HotAccesses!.Value.ToString("R", ci)}",
            _ => throw new InvalidDataException($"pattern '{row.Pattern}' (allowed: uniform, zipf, hotcold)"),
        };
    }

    [GeneratedRegex(@"\$\{([a-z_]+)\}")]
    private static partial Regex Placeholder();
}
