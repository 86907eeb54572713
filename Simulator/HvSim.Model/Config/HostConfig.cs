using HvSim.Model.Guest;

namespace HvSim.Model.Config;

public sealed record HostConfig
{
    public long MemoryBytes { get; init; } = 8L << 30;
    /// <summary>Host base page: 64 KiB on ppc64 distributions, 4 KiB possible.</summary>
    public int PageSizeBytes { get; init; } = 64 << 10;
    /// <summary>Memory the host kernel and QEMU keep for themselves, never available to guests.</summary>
    public long ReservedBytes { get; init; } = 512L << 20;
    /// <summary>vm.min_free_kbytes; null = the 3.x default sqrt(16 * lowmem_kB) clamped to [128, 65536].</summary>
    public long? MinFreeKbytes { get; init; }
    /// <summary>vm.swappiness: get_scan_count's weight of anonymous against file pages (0-100 on 3.4, 0-200 on 6.x; 60 the default).</summary>
    public int Swappiness { get; init; } = 60;
    public string Policy { get; init; } = HvSim.Model.Replacement.ReplacementPolicies.Default;
    /// <summary>SWAP_CLUSTER_MAX.</summary>
    public int ReclaimBatchPages { get; init; } = 32;
    public SwapDeviceConfig Swap { get; init; } = SwapDeviceConfig.Ssd;
    /// <summary>kvm_rma_size: each PPC970 real-mode area; it backs the first RMA-size of a guest's memory. 0 = none needed.</summary>
    public long RmaBytes { get; init; } = 64L << 20;
    /// <summary>
    /// kvm_rma_count: RMAs preallocated at host boot (PPC970). null = one per guest that is admitted, as an administrator
    /// sizes it for the guests the host will run (the kernel's own default, 0, would let no PPC970 guest run).
    /// </summary>
    public int? RmaCount { get; init; }
    /// <summary>3.4's swap token (mm/thrash.c); false models a kernel without it (3.5 and later removed it).</summary>
    public bool SwapToken { get; init; } = true;
    /// <summary>The kernel whose memory management the host follows (host.kernel).</summary>
    public HostKernel Kernel { get; init; } = HostKernel.Linux34;
    /// <summary>
    /// vm.nr_hugepages: 16 MiB huge pages set aside at boot for hugetlbfs. null = exactly what the admitted hugetlbfs
    /// guests use (as an administrator sizes the pool for the guests the host runs).
    /// </summary>
    public long? HugePages { get; init; }
    /// <summary>Kernel samepage merging (/sys/kernel/mm/ksm).</summary>
    public KsmConfig Ksm { get; init; } = new();
    /// <summary>The host page cache and the host I/O stream that fills it (none by default).</summary>
    public PageCacheConfig PageCache { get; init; } = new();
    /// <summary>zswap in front of the swap device (/sys/module/zswap/parameters; 3.11 and later).</summary>
    public ZswapConfig Zswap { get; init; } = new();
    /// <summary>A host-side manager setting every guest's balloon target from host and guest memory (oVirt MoM's balloon policy).</summary>
    public BalloonPolicyConfig BalloonPolicy { get; init; } = new();
}

/// <summary>
/// oVirt MoM's balloon policy (mom doc/balloon.rules, run by mom/PolicyEngine.py every policy-engine-interval, the
/// Balloon controller passing each target to libvirt's virDomainSetMemory): its constants, with MoM's defaults.
/// </summary>
public sealed record BalloonPolicyConfig
{
    /// <summary>The manager runs, and every guest has a balloon device (libvirt's &lt;memballoon model='virtio'/&gt;).</summary>
    public bool Enabled { get; init; }
    /// <summary>policy-engine-interval (doc/mom-balloon.conf: 10 s): time between two evaluations of the rules.</summary>
    public long IntervalNs { get; init; } = 10_000_000_000;
    /// <summary>pressure_threshold: host free memory (MemFree + Buffers + Cached over MemTotal) below which guests shrink.</summary>
    public double PressureThreshold { get; init; } = 0.20;
    /// <summary>pressure_critical: host free memory at or below which guests shrink into their used memory (forced to swap).</summary>
    public double PressureCritical { get; init; } = 0.05;
    /// <summary>min_guest_free_percent: free memory an unconstrained guest keeps, of its current memory.</summary>
    public double MinGuestFree { get; init; } = 0.20;
    /// <summary>max_balloon_change_percent: the most one evaluation changes a guest's memory, of its current memory.</summary>
    public double MaxChange { get; init; } = 0.05;
    /// <summary>min_balloon_change_percent: smaller changes (of its current memory) are not made (change_big_enough).</summary>
    public double MinChange { get; init; } = 0.0025;
}

/// <summary>/sys/module/zswap/parameters: enabled, max_pool_percent, accept_threshold_percent (defaults N, 20, 90).</summary>
public sealed record ZswapConfig
{
    /// <summary>enabled: swap-outs are compressed into a RAM pool first (zswap_store), the device takes what it refuses.</summary>
    public bool Enabled { get; init; }
    /// <summary>max_pool_percent: the pool's limit, in percent of host memory (zswap_max_pages).</summary>
    public int MaxPoolPercent { get; init; } = 20;
    /// <summary>accept_threshold_percent: once full, the pool refuses stores until it is back below this share of its limit.</summary>
    public int AcceptThresholdPercent { get; init; } = 90;
}

/// <summary>/sys/kernel/mm/ksm: run, pages_to_scan, sleep_millisecs (3.4 defaults 0, 100, 20).</summary>
public sealed record KsmConfig
{
    /// <summary>run: ksmd scans and merges (1) or not (0, the kernel's default).</summary>
    public bool Run { get; init; }
    /// <summary>pages_to_scan: pages ksmd scans per wake-up.</summary>
    public int PagesToScan { get; init; } = 100;
    /// <summary>sleep_millisecs: ksmd's sleep between scans.</summary>
    public long SleepNs { get; init; } = 20_000_000;
}

/// <summary>What backs a guest's RAM in its QEMU process.</summary>
public enum MemoryBacking
{
    /// <summary>Anonymous memory (QEMU's default): pageable on POWER7 through the MMU notifiers.</summary>
    Anonymous,
    /// <summary>hugetlbfs (-mem-path /dev/hugepages): 16 MiB huge pages from the boot-time pool, never reclaimed.</summary>
    Hugetlbfs,
}

public sealed record SwapDeviceConfig
{
    public string Kind { get; init; } = "ssd";
    /// <summary>Mean service time of one swap request.</summary>
    public long LatencyMeanNs { get; init; } = 200_000;
    /// <summary>Coefficient of variation of the service time (0 = constant, 1 = exponential; lognormal otherwise).</summary>
    public double LatencyCv { get; init; } = 0.5;
    /// <summary>A measured service-time distribution; when set it replaces <see cref="LatencyMeanNs"/> and <see cref="LatencyCv"/>.</summary>
    public LatencyHistogram? LatencyHistogram { get; init; }
    /// <summary>Requests served in parallel; more wait in FIFO order.</summary>
    public int ParallelSlots { get; init; } = 4;
    /// <summary>Transfer bandwidth limit; 0 = unlimited.</summary>
    public long BandwidthBytesPerSecond { get; init; } = 500_000_000;
    public long CapacityBytes { get; init; } = 16L << 30;
    /// <summary>2^vm.page-cluster pages read per swap-in.</summary>
    public int ReadaheadPages { get; init; } = 8;
    /// <summary>
    /// The block device's queue/rotational flag: 6.x swaps in with the VMA readahead only while no swap device is
    /// rotational (swap_use_vma_readahead), else with the adaptive slot-cluster readahead. 3.4 reads slot clusters either way.
    /// </summary>
    public bool Rotational { get; init; }
    /// <summary>
    /// zram's mem_limit (3.18 and later): the most host memory its compressed pool may take; a write that would need more
    /// fails. null = no limit.
    /// </summary>
    public long? MemLimitBytes { get; init; }

    /// <summary>The device is zram: a RAM block device that compresses on write and decompresses on read, synchronously.</summary>
    public bool IsZram => Kind == "zram";

    public static SwapDeviceConfig Ssd => new();
    /// <summary>zram (drivers/staging/zram in 3.4, drivers/block/zram later): no device latency, no queue; CPU instead (costs.compress, costs.decompress).</summary>
    public static SwapDeviceConfig Zram => new() { Kind = "zram", LatencyMeanNs = 0, LatencyCv = 0, BandwidthBytesPerSecond = 0 };
    public static SwapDeviceConfig Hdd => new()
    {
        Kind = "hdd", LatencyMeanNs = 10_000_000, LatencyCv = 0.3, ParallelSlots = 1, BandwidthBytesPerSecond = 120_000_000,
        Rotational = true,
    };
}

public sealed record GuestConfig
{
    public string Name { get; init; } = "guest";
    public long MemoryBytes { get; init; } = 1L << 30;
    public int Vcpus { get; init; } = 1;
    /// <summary>
    /// Guest SMT threads per core (QEMU -smp ...,threads=N; QEMU's default is 1). QEMU numbers vCPU ids so that each
    /// guest core starts a new host vcore, so vCPUs i / Threads share a vcore (see <see cref="Guest.Vcore"/>).
    /// </summary>
    public int Threads { get; init; } = 1;
    /// <summary>HPT size is 2^order bytes (default 24 = 16 MiB, the HPT_ORDER 3.4 fixes; minimum 18).</summary>
    public int HptOrder { get; init; } = 24;
    /// <summary>
    /// Guest page size: 4 KiB or 64 KiB (64 KiB on POWER7 only; 16 MiB needs hugetlbfs backing and is not modelled).
    /// null = the platform's default (<see cref="PlatformExtensions.DefaultGuestPageBytes"/>).
    /// </summary>
    public int? PageSizeBytes { get; init; }
    /// <summary>
    /// memory.max of the QEMU process's memory cgroup: pages charged beyond it are reclaimed synchronously by the
    /// charging task from the cgroup's own LRU lists (try_charge -> try_to_free_mem_cgroup_pages). null = max.
    /// </summary>
    public long? MemoryMaxBytes { get; init; }
    /// <summary>
    /// Whether the guest kernel bolts a linear mapping of all its RAM into the HPT at boot (Linux: htab_initialize ->
    /// htab_bolt_mapping), so that every page it touches through that mapping has a second HPTE besides its user one.
    /// </summary>
    public LinearMap LinearMap { get; init; } = LinearMap.Bolted;

    /// <summary>How the guest's memory is faulted in on the host: a KVM guest (default) or, for validation, a plain process.</summary>
    public FaultPath FaultPath { get; init; } = FaultPath.Kvm;
    /// memory.high of the QEMU process's memory cgroup (cgroup v2, 4.5+): pages charged beyond it are reclaimed by the
    /// charging task before it runs the guest again, which is throttled while reclaim cannot keep up
    /// (mem_cgroup_handle_over_high). null = max.
    /// </summary>
    public long? MemoryHighBytes { get; init; }
    /// <summary>
    /// memory.low of the QEMU process's memory cgroup (cgroup v2, 4.5+): global reclaim leaves the cgroup alone while
    /// its usage is within it, and scans it in proportion to the unprotected rest (shrink_node_memcgs, get_scan_count). null = 0.
    /// </summary>
    public long? MemoryLowBytes { get; init; }
    /// <summary>What backs the guest's RAM (QEMU -mem-path): anonymous memory or hugetlbfs huge pages.</summary>
    public MemoryBacking Backing { get; init; } = MemoryBacking.Anonymous;
    /// <summary>
    /// Share of the guest's memory whose contents are the same as the same pages of every other guest (one OS image,
    /// zeroed memory): what KSM can merge. The first that share of its pages; a store that breaks a merge makes the page unique.
    /// </summary>
    public double DuplicateFraction { get; init; }
    /// <summary>
    /// How well the guest's memory compresses (zram, zswap): the compressed size of a compressible page is page / ratio.
    /// lzo and lz4 give 2-4x on typical anonymous memory.
    /// </summary>
    public double CompressionRatio { get; init; } = 3;
    /// <summary>Share of the guest's pages filled with one repeated word (nearly always zeros): stored in no pool memory at all.</summary>
    public double SameFilledFraction { get; init; }
    /// <summary>Share of the guest's pages that do not compress (already compressed or encrypted data).</summary>
    public double IncompressibleFraction { get; init; }
    /// <summary>
    /// The virtio balloon's target (the QEMU monitor's `balloon` command, libvirt's memory - currentMemory): memory the
    /// guest gives back to the host, set from boot. null = no balloon device (QEMU's default).
    /// </summary>
    public long? BalloonBytes { get; init; }
    /// <summary>
    /// libvirt's &lt;memtune&gt;&lt;min_guarantee&gt; (oVirt's guaranteed memory), MoM's balloon_min: the balloon policy never
    /// shrinks the guest's memory below it. 0 when unset, as libvirtInterface._getGuaranteedMemory returns.
    /// </summary>
    public long BalloonMinBytes { get; init; }
    /// <summary>
    /// 4 KiB balloon pages (VIRTIO_BALLOON_PFN_SHIFT 12) the balloon moves per second, inflating or deflating: its
    /// requests of up to 256 pfns (VIRTIO_BALLOON_ARRAY_PFNS_MAX) each take pfns / rate of the balloon thread's and
    /// QEMU's time.
    /// </summary>
    public long BalloonRatePfns { get; init; } = 262_144;
    public required Workloads.WorkloadSpec Workload { get; init; }

    /// <summary>The guest page size this guest runs with on <paramref name="platform"/> above host pages of <paramref name="hostPageBytes"/>.</summary>
    public int PageBytesOn(Platform platform, int hostPageBytes) => PageSizeBytes ?? platform.DefaultGuestPageBytes(hostPageBytes);
}

/// <summary>How the guest kernel maps its own RAM in the HPT.</summary>
public enum LinearMap
{
    /// <summary>What a Linux ppc64 guest does: one bolted HPTE per page of RAM, entered with H_ENTER at boot (htab_initialize).</summary>
    Bolted,
    /// <summary>A guest without a bolted linear map: only the pages it touches get HPTEs, one each.</summary>
    None,
}
