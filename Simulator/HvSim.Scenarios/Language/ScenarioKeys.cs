using HvSim.Model.Config;
using HvSim.Model.Replacement;
using HvSim.Model.Workloads;
using HvSim.Scenarios.Loading;

namespace HvSim.Scenarios.Language;

/// <summary>
/// THE definition of the scenario language: every key with its type, unit, default, range and meaning. Defaults are
/// read from the model's config records, so the model stays the one place a default value lives.
/// </summary>
public static class ScenarioKeys
{
    public static readonly IReadOnlyList<string> AllOutputs = ["summary", "host", "timeseries", "fault_latency"];
    /// <summary>Every platform's name, and `both` for all of them: what a platform list in a scenario or plan may hold.</summary>
    public static readonly IReadOnlyList<string> PlatformChoices = [.. Enum.GetValues<Platform>().Select(PlatformName), "both"];

    private static readonly HostConfig HostDefaults = new();
    private static readonly SwapDeviceConfig SwapDefaults = SwapDeviceConfig.Ssd;
    private static readonly CostConfig CostDefaults = new();

    private const long Day = 86_400_000_000_000;
    /// <summary>The run settings every top-level key starts from: the model's defaults.</summary>
    private static SimulationConfig Defaults => RunTemplate.Prototype.Config;

    public static readonly Section<SwapDeviceConfig> Swap = new()
    {
        Name = "swap",
        Doc = "The swap device. `swap: ssd` or `swap: hdd` picks a preset; a mapping picks a preset with `device:` and overrides keys.",
        ShortFormKey = "device",
        Keys =
        [
            Choice<SwapDeviceConfig>("device", "Preset the other keys start from (kernel-model.md defaults for an SSD or a disk), or zram: a RAM block device that compresses each page written (zram_bvec_write, costs.compress on the reclaimer) into a pool taken from host memory and decompresses it on read (zram_bvec_read, costs.decompress on the faulting vCPU), synchronously, with no latency, queue or bandwidth (3.4: drivers/staging/zram; 6.x reads outside the swap cache, without readahead). capacity is its disksize.",
                ["ssd", "hdd", "zram"], SwapDefaults.Kind, (s, v) => v switch { "hdd" => SwapDeviceConfig.Hdd, "zram" => SwapDeviceConfig.Zram, _ => SwapDeviceConfig.Ssd }),
            Key<SwapDeviceConfig>("latency", ValueKind.Duration, "Mean service time of one swap request (ssd 200us, hdd 10ms).",
                SwapDefaults.LatencyMeanNs, (s, v) => s with { LatencyMeanNs = (long)v! }, min: 0, max: 60_000_000_000),
            Key<SwapDeviceConfig>("latency_cv", ValueKind.Number, "Coefficient of variation of the service time (0 constant, 1 exponential, otherwise lognormal).",
                SwapDefaults.LatencyCv, (s, v) => s with { LatencyCv = (double)v! }, min: 0, max: 10),
            new KeyDef<SwapDeviceConfig>
            {
                Name = "latency_histogram", Kind = ValueKind.Text, DefaultDescription = "none",
                Doc = "A measured service-time distribution (`hvsim calibrate swap` writes it): buckets `LOWER..UPPER WEIGHT`, comma-separated; a request's time is drawn from it, replacing latency and latency_cv.",
                AllowedDescription = LatencyHistogramText.Allowed,
                Apply = (s, v) => s with { LatencyHistogram = LatencyHistogramText.Parse((string)v!) },
            },
            Key<SwapDeviceConfig>("slots", ValueKind.Integer, "Requests served in parallel; more wait in FIFO order (ssd 4, hdd 1).",
                (long)SwapDefaults.ParallelSlots, (s, v) => s with { ParallelSlots = (int)(long)v! }, min: 1, max: 1024),
            Key<SwapDeviceConfig>("bandwidth", ValueKind.Bandwidth, "Transfer bandwidth limit, 0 = unlimited (ssd 500MB/s, hdd 120MB/s).",
                SwapDefaults.BandwidthBytesPerSecond, (s, v) => s with { BandwidthBytesPerSecond = (long)v! }, min: 0),
            Key<SwapDeviceConfig>("capacity", ValueKind.Size, "Swap space; running out is reported (swap_full_events), not a crash.",
                SwapDefaults.CapacityBytes, (s, v) => s with { CapacityBytes = (long)v! }, min: 0, max: 1L << 50),
            Key<SwapDeviceConfig>("readahead", ValueKind.Integer, "Pages read per swap-in (2^vm.page-cluster).",
                (long)SwapDefaults.ReadaheadPages, (s, v) => s with { ReadaheadPages = (int)(long)v! }, min: 1, max: 256),
            Key<SwapDeviceConfig>("rotational", ValueKind.Boolean, "The device's /sys/block/DEV/queue/rotational (ssd false, hdd true; a virtio disk says true). linux-6.18 swaps in with the VMA readahead only while no swap device is rotational (swap_use_vma_readahead), else with the slot-cluster readahead that adapts to hits; linux-3.4 always reads the fixed slot cluster.",
                SwapDefaults.Rotational, (s, v) => s with { Rotational = (bool)v! }),
            new KeyDef<SwapDeviceConfig>
            {
                Name = "mem_limit", Kind = ValueKind.Size, AllowsAuto = true, Min = 64 << 10, Max = 1L << 46, Default = SwapDefaults.MemLimitBytes,
                Doc = "zram's mem_limit (device zram, linux-6.18; 3.4's zram has none): the most host memory its compressed pool may hold; a swap-out that would need more fails and the page stays in RAM, dirty. Unset or auto = no limit.",
                Apply = (s, v) => s with { MemLimitBytes = (long?)v },
            },
        ],
    };

    private static readonly PageCacheConfig PageCacheDefaults = new();

    public static readonly Section<PageCacheConfig> PageCache = new()
    {
        Name = "page_cache",
        Doc = "The host page cache and the host I/O that fills it: a host task (QEMU disk I/O with cache=writeback, logs) reading and writing random pages of one file through the page cache, so the host holds clean and dirty file pages that compete with guest memory (get_scan_count splits reclaim between them by host.swappiness). No `rate` (the default) = a host without page cache.",
        Keys =
        [
            Key<PageCacheConfig>("rate", ValueKind.Bandwidth, "Bytes per second the host I/O reads and writes through the page cache, one page at a time at exponential intervals; 0 = no host I/O and no page cache.",
                PageCacheDefaults.RateBytesPerSecond, (c, v) => c with { RateBytesPerSecond = (long)v! }, min: 0, max: 1L << 40),
            Key<PageCacheConfig>("footprint", ValueKind.Size, "Size of the file the host I/O reads and writes (each access a uniformly random page of it): the page cache's working set.",
                PageCacheDefaults.FootprintBytes, (c, v) => c with { FootprintBytes = (long)v! }, min: 64 << 10, max: 1L << 40),
            Key<PageCacheConfig>("write_fraction", ValueKind.Fraction, "Share of the host I/O's page accesses that are writes (whole pages: dirtied without a read first); the rest are reads, which wait for the disk on a page-cache miss.",
                PageCacheDefaults.WriteFraction, (c, v) => c with { WriteFraction = (double)v! }, min: 0, max: 1),
            Key<PageCacheConfig>("dirty_ratio", ValueKind.Integer, "vm.dirty_ratio: percent of dirtyable memory (free + file + anon pages while swap has room) above which balance_dirty_pages stops the writer until writeback catches up; from halfway between it and dirty_background_ratio the writer waits for one write per page it dirties.",
                (long)PageCacheDefaults.DirtyRatio, (c, v) => c with { DirtyRatio = (int)(long)v! }, min: 1, max: 100),
            Key<PageCacheConfig>("dirty_background_ratio", ValueKind.Integer, "vm.dirty_background_ratio: percent of dirtyable memory above which the flusher writes dirty pages back in the background (at most half of dirty_ratio's threshold).",
                (long)PageCacheDefaults.DirtyBackgroundRatio, (c, v) => c with { DirtyBackgroundRatio = (int)(long)v! }, min: 0, max: 100),
            Key<PageCacheConfig>("dirty_expire", ValueKind.Duration, "vm.dirty_expire_centisecs: the periodic flush writes pages dirty for longer than this.",
                PageCacheDefaults.DirtyExpireNs, (c, v) => c with { DirtyExpireNs = (long)v! }, min: 0, max: Day),
            Key<PageCacheConfig>("dirty_writeback", ValueKind.Duration, "vm.dirty_writeback_centisecs: the flusher's periodic wake-up.",
                PageCacheDefaults.DirtyWritebackNs, (c, v) => c with { DirtyWritebackNs = (long)v! }, min: 10_000_000, max: Day),
            Choice<PageCacheConfig>("disk", "The disk the file lives on (its own device, not the swap device), from the swap presets: ssd or hdd.",
                ["ssd", "hdd"], PageCacheDefaults.Disk.Kind, (c, v) => c with { Disk = v == "hdd" ? SwapDeviceConfig.Hdd : SwapDeviceConfig.Ssd }),
        ],
    };

    private static readonly BalloonPolicyConfig BalloonPolicyDefaults = new();

    public static readonly Section<BalloonPolicyConfig> BalloonPolicy = new()
    {
        Name = "balloon_policy",
        Doc = "Automatic ballooning under host pressure: oVirt MoM's balloon policy (MoM 0.6 doc/balloon.rules; defaults are MoM's) on the host, which gives every guest a virtio balloon and every `interval` reads the host's free memory (MemFree + Buffers + Cached over MemTotal: free pages plus the page cache) and each guest's current and free memory (the balloon driver's VIRTIO_BALLOON_S_MEMFREE), then sets each guest's balloon target (libvirt virDomainSetMemory). " +
            "Below pressure_threshold every guest shrinks by max_change of its current memory, but not below its used memory plus a free share scaled to the pressure (min_guest_free x host free / pressure_threshold; at or below pressure_critical, host free - 5 %, into its used memory) nor below guests.balloon_min; otherwise ballooned guests grow back by max_change (at least to used + min_guest_free). Changes of at most min_change are not made. The guest's balloon driver moves towards the target at guests.balloon_rate. POWER7 only, anonymous backing only, guest pages as large as host pages (as guests.balloon).",
        Keys =
        [
            Key<BalloonPolicyConfig>("enabled", ValueKind.Boolean, "Run the balloon policy (MoM with its Balloon controller); every guest gets a balloon device, starting at guests.balloon (or none).",
                BalloonPolicyDefaults.Enabled, (c, v) => c with { Enabled = (bool)v! }),
            Key<BalloonPolicyConfig>("interval", ValueKind.Duration, "MoM's policy-engine-interval: time between two evaluations (the first one interval after start).",
                BalloonPolicyDefaults.IntervalNs, (c, v) => c with { IntervalNs = (long)v! }, min: 1_000_000, max: Day),
            Key<BalloonPolicyConfig>("pressure_threshold", ValueKind.Fraction, "pressure_threshold: host free memory (share of host memory) below which every guest shrinks; at or above it ballooned guests grow back.",
                BalloonPolicyDefaults.PressureThreshold, (c, v) => c with { PressureThreshold = (double)v! }, min: 0, max: 1),
            Key<BalloonPolicyConfig>("pressure_critical", ValueKind.Fraction, "pressure_critical: host free memory at or below which guests shrink into their used memory (their free share becomes host free - 5 %), forcing them to give up pages they use.",
                BalloonPolicyDefaults.PressureCritical, (c, v) => c with { PressureCritical = (double)v! }, min: 0, max: 1),
            Key<BalloonPolicyConfig>("min_guest_free", ValueKind.Fraction, "min_guest_free_percent: free memory (share of its current memory) a guest keeps when the host has none to spare; scaled down with host pressure.",
                BalloonPolicyDefaults.MinGuestFree, (c, v) => c with { MinGuestFree = (double)v! }, min: 0, max: 1),
            Key<BalloonPolicyConfig>("max_change", ValueKind.Fraction, "max_balloon_change_percent: the most one evaluation shrinks or grows a guest, as a share of its current memory.",
                BalloonPolicyDefaults.MaxChange, (c, v) => c with { MaxChange = (double)v! }, min: 0, max: 1),
            Key<BalloonPolicyConfig>("min_change", ValueKind.Fraction, "min_balloon_change_percent: a new target is set only when it differs from the guest's current memory by more than this share of it (change_big_enough).",
                BalloonPolicyDefaults.MinChange, (c, v) => c with { MinChange = (double)v! }, min: 0, max: 1),
        ],
    };

    public static readonly Section<HostConfig> Host = new()
    {
        Name = "host",
        Doc = "The POWER host: memory, reclaim and swap.",
        Nested =
        [
            Nest.Mapping<HostConfig, SwapDeviceConfig>(Swap, h => h.Swap, (h, swap) => h with { Swap = swap }),
            Nest.Mapping<HostConfig, PageCacheConfig>(PageCache, h => h.PageCache, (h, cache) => h with { PageCache = cache }),
            Nest.Mapping<HostConfig, BalloonPolicyConfig>(BalloonPolicy, h => h.BalloonPolicy, (h, policy) => h with { BalloonPolicy = policy }),
        ],
        Keys =
        [
            Key<HostConfig>("memory", ValueKind.Size, "Host physical memory.", HostDefaults.MemoryBytes, (h, v) => h with { MemoryBytes = (long)v! }, min: 64 << 20, max: 1L << 46),
            Key<HostConfig>("page_size", ValueKind.Size, "Host base page size: 64KiB (ppc64 distributions) or 4KiB.",
                (long)HostDefaults.PageSizeBytes, (h, v) => h with { PageSizeBytes = (int)(long)v! }, min: 4 << 10, max: 64 << 10),
            Key<HostConfig>("reserved", ValueKind.Size, "Memory the host kernel and QEMU keep, never available to guests.",
                HostDefaults.ReservedBytes, (h, v) => h with { ReservedBytes = (long)v! }, min: 0, max: 1L << 46),
            new KeyDef<HostConfig>
            {
                Name = "min_free_kbytes", Kind = ValueKind.Integer, AllowsAuto = true, Min = 1, Max = 1L << 32, Default = HostDefaults.MinFreeKbytes,
                Doc = "vm.min_free_kbytes; auto = the 3.x default sqrt(16 * lowmem_kB) clamped to [128, 65536]. Watermarks: min = this, low = 5/4 min, high = 3/2 min.",
                Apply = (h, v) => h with { MinFreeKbytes = (long?)v },
            },
            Key<HostConfig>("swappiness", ValueKind.Integer, "vm.swappiness: how get_scan_count splits reclaim between anonymous (guest) pages and the page cache's file pages (anon weight swappiness, file weight 200 - swappiness, each scaled by how often its recently scanned pages were in use: 3.4 recent_rotated / recent_scanned, 6.x the lru_note_cost cost). 0-100 on linux-3.4, 0-200 on linux-6.18. Without a page cache (host.page_cache) reclaim can take only guest pages, and swappiness changes nothing.", (long)HostDefaults.Swappiness, (h, v) => h with { Swappiness = (int)(long)v! }, min: 0, max: 200),
            Choice<HostConfig>("policy", "Host page-replacement policy: " + string.Join("; ", ReplacementPolicies.All.Select(p => $"{p.Name}: {p.Doc}")) + ".",
                [.. ReplacementPolicies.Names], HostDefaults.Policy, (h, v) => h with { Policy = v }),
            Choice<HostConfig>("kernel", "The host kernel whose memory management the model follows: linux-3.4 (the kernel of 342d3db) or linux-6.18 (without MGLRU: new anon pages on the inactive list, workingset refault detection for anon pages, the used-once check for anon pages, VMA-based swap readahead, read swap-ins mapped writable, no swap token). docs/fidelity.md lists what each models.",
                HostKernel.All.Select(k => k.Name).ToArray(), HostDefaults.Kernel.Name, (h, v) => h with { Kernel = HostKernel.Find(v)! }),
            Key<HostConfig>("swap_token", ValueKind.Boolean, "3.4's swap token (mm/thrash.c): the guest whose QEMU last won it in a swap-in fault has its pages treated as referenced by other reclaimers while one of its vCPU threads is in a get_user_pages fault. false models a kernel without it (3.5 and later); linux-6.18 has none whatever this says.",
                HostDefaults.SwapToken, (h, v) => h with { SwapToken = (bool)v! }),
            Key<HostConfig>("reclaim_batch", ValueKind.Integer, "Pages reclaimed per batch (SWAP_CLUSTER_MAX).",
                (long)HostDefaults.ReclaimBatchPages, (h, v) => h with { ReclaimBatchPages = (int)(long)v! }, min: 1, max: 4096),
            Key<HostConfig>("rma", ValueKind.Size, "PPC970 kvm_rma_size: each real-mode area of the boot-time pool; a guest's RMA backs the first this-much of its memory, so the guest pins only the rest. 0 = guests need no RMA.",
                HostDefaults.RmaBytes, (h, v) => h with { RmaBytes = (long)v! }, min: 0, max: 1L << 40),
            Key<HostConfig>("ksm", ValueKind.Boolean, "Kernel samepage merging (/sys/kernel/mm/ksm/run; QEMU marks guest RAM mergeable): ksmd merges pages of identical contents (guests.duplicate_fraction) into write-protected KSM pages, unmapping their HPTEs through kvm_set_spte_hva; a store copies the page back (do_wp_page).",
                HostDefaults.Ksm.Run, (h, v) => h with { Ksm = h.Ksm with { Run = (bool)v! } }),
            Key<HostConfig>("ksm_pages_to_scan", ValueKind.Integer, "/sys/kernel/mm/ksm/pages_to_scan: pages ksmd scans per wake-up.",
                (long)HostDefaults.Ksm.PagesToScan, (h, v) => h with { Ksm = h.Ksm with { PagesToScan = (int)(long)v! } }, min: 1, max: 1 << 24),
            Key<HostConfig>("ksm_sleep", ValueKind.Duration, "/sys/kernel/mm/ksm/sleep_millisecs: ksmd's sleep between scans.",
                HostDefaults.Ksm.SleepNs, (h, v) => h with { Ksm = h.Ksm with { SleepNs = (long)v! } }, min: 1_000_000, max: 3_600_000_000_000),
            Key<HostConfig>("zswap", ValueKind.Boolean, "zswap in front of the swap device (linux-6.18 only: zswap came in 3.11): each swap-out is compressed into a RAM pool (zswap_store, costs.compress on the reclaimer) and freed at once; a swap-in from the pool is decompressed by the faulting vCPU (zswap_load, costs.decompress) with no device I/O. A full pool refuses pages, which go to the device, and its shrink worker writes the oldest entries back. Not with device zram.",
                HostDefaults.Zswap.Enabled, (h, v) => h with { Zswap = h.Zswap with { Enabled = (bool)v! } }),
            Key<HostConfig>("zswap_max_pool_percent", ValueKind.Integer, "zswap's max_pool_percent: the pool's limit in percent of host memory.",
                (long)HostDefaults.Zswap.MaxPoolPercent, (h, v) => h with { Zswap = h.Zswap with { MaxPoolPercent = (int)(long)v! } }, min: 1, max: 100),
            Key<HostConfig>("zswap_accept_threshold_percent", ValueKind.Integer, "zswap's accept_threshold_percent: a full pool refuses stores until it is back at this percent of its limit, which its shrink worker writes back to.",
                (long)HostDefaults.Zswap.AcceptThresholdPercent, (h, v) => h with { Zswap = h.Zswap with { AcceptThresholdPercent = (int)(long)v! } }, min: 1, max: 100),
            new KeyDef<HostConfig>
            {
                Name = "hugepages", Kind = ValueKind.Integer, AllowsAuto = true, Min = 0, Max = 1L << 30, Default = null,
                Doc = "vm.nr_hugepages: 16 MiB huge pages set aside at boot for hugetlbfs-backed guests (guests.backing), out of host memory whether or not guests use them; a hugetlbfs guest that finds too few free is refused. auto = exactly what the admitted hugetlbfs guests need.",
                Apply = (h, v) => h with { HugePages = (long?)v },
            },
            new KeyDef<HostConfig>
            {
                Name = "rma_count", Kind = ValueKind.Integer, AllowsAuto = true, Min = 0, Max = 255, Default = null,
                Doc = "PPC970 kvm_rma_count: RMAs preallocated at host boot, out of host memory whether or not guests use them; a guest that finds none free is refused, and a refused guest holds none. The kernel's default is 0, which lets no PPC970 guest run; auto = one per admitted guest, as an administrator would boot the host for the guests it runs.",
                Apply = (h, v) => h with { RmaCount = v is null ? null : (int)(long)v },
            },
        ],
    };

    public static readonly Section<CostConfig> Costs = new()
    {
        Name = "costs",
        Doc = "Costs of kernel-model.md section 4.",
        Keys =
        [
            Cost("real_mode_hcall", "C_rm_hcall: real-mode hcall round trip (H_ENTER, H_REMOVE, real-mode HDSI part).", CostDefaults.RealModeHcallNs, (c, v) => c with { RealModeHcallNs = v }),
            Cost("exit", "C_exit: full guest exit to the host kernel and re-entry.", CostDefaults.ExitNs, (c, v) => c with { ExitNs = v }),
            Cost("tlbie", "C_tlbie: one global tlbie sequence under tlbie_lock.", CostDefaults.TlbieNs, (c, v) => c with { TlbieNs = v }),
            Cost("gup_hit", "C_gup_hit: get_user_pages_fast on a resident page.", CostDefaults.GupHitNs, (c, v) => c with { GupHitNs = v }),
            Cost("zero_fill", "C_minflt for an anonymous zero-fill of a new host page.", CostDefaults.ZeroFillNs, (c, v) => c with { ZeroFillNs = v }),
            Cost("swap_cache_hit", "C_minflt for a swap-cache hit.", CostDefaults.SwapCacheHitNs, (c, v) => c with { SwapCacheHitNs = v }),
            Cost("access", "One guest access through a valid HPTE (a memory reference).", CostDefaults.AccessNs, (c, v) => c with { AccessNs = v }),
            Cost("ksm_scan", "ksmd's host CPU per page scanned (checksum and tree compares of one host page; an estimate).", CostDefaults.KsmScanPageNs, (c, v) => c with { KsmScanPageNs = v }),
            Cost("swap_in", "CPU of a major fault besides the swap read it waits for (do_swap_page: page allocation, memcg charge, swap-cache insert, bio submission, PTE update). 0 = not modelled; hvsim validation sets the real host's measured fault cost.", CostDefaults.SwapInNs, (c, v) => c with { SwapInNs = v }),
            Cost("compress", "CPU to compress 4 KiB (scaled to the host page) into zram or zswap, paid by the reclaiming task (kswapd, or the vCPU in direct or memory.max reclaim). Default: lzo (3.4 zram's compressor, zswap's default) at 414 MB/s, the LZ4 project's benchmark of LZO 2.06 on one Core i5-3340M core; lz4 is about the same to compress.", CostDefaults.CompressNs, (c, v) => c with { CompressNs = v }),
            Cost("decompress", "CPU to decompress 4 KiB (scaled to the host page) from zram or zswap, paid by the faulting vCPU (readahead pages too); the zswap worker pays it for writeback. Default: lzo at 600 MB/s (same benchmark; lz4 decompresses about 3x faster: set 2us).", CostDefaults.DecompressNs, (c, v) => c with { DecompressNs = v }),
            Cost("reclaim_page", "CPU per page reclaim scans (isolate, page_check_references, try_to_unmap, add_to_swap, bio submission), on the reclaimer's clock besides its tlbies: the faulting task pays it in direct and memory.max reclaim. 0 = not modelled; hvsim validation sets the real host's measured cost.", CostDefaults.ReclaimPageNs, (c, v) => c with { ReclaimPageNs = v }),
        ],
    };

    /// <summary>A guest profile's `workload:`: `kind:` and that kind's keys (<see cref="WorkloadKinds"/>).</summary>
    public static readonly SpecialSection Workload = new()
    {
        Name = "workload", Required = true,
        Doc = "A workload block: `kind:` and that kind's keys.",
        Allowed = "a workload block with kind: " + string.Join("|", WorkloadKinds.All.Select(k => k.Name)),
    };

    public static readonly Section<GuestGroup> Guests = new()
    {
        Name = "guests", Required = true, ItemName = "guest",
        Doc = "Guests: one profile (a mapping, with `count:`) or a list of profiles. Guests of a profile are named <name>0, <name>1, ... (just <name> when count is 1).",
        Allowed = "a guest profile (mapping with count:, memory:, workload: ...) or a list of profiles",
        Nested = [Nest.Special<GuestGroup, WorkloadSpec>(Workload, (b, node, path) => b.BindWorkload(node, path), (g, w) => g with { Guest = g.Guest with { Workload = w } })],
        Keys =
        [
            Key<GuestGroup>("count", ValueKind.Integer, "Number of identical guests of this profile (at most 255 guests in all).", 1L, (g, v) => g with { Count = (int)(long)v! }, min: 1, max: 255),
            Key<GuestGroup>("name", ValueKind.Text, "Guest name (prefix when count > 1).", GuestGroup.Prototype.Guest.Name, (g, v) => g with { Guest = g.Guest with { Name = (string)v! } }),
            Key<GuestGroup>("memory", ValueKind.Size, "Guest memory.", GuestGroup.Prototype.Guest.MemoryBytes,
                (g, v) => g with { Guest = g.Guest with { MemoryBytes = (long)v! } }, min: 16 << 20, max: 1L << 44),
            new KeyDef<GuestGroup>
            {
                Name = "memory_max", Kind = ValueKind.Size, AllowsAuto = true, Min = 4 << 10, Max = 1L << 44, Default = null,
                Doc = "memory.max of the guest's QEMU process's memory cgroup (libvirt <memtune><hard_limit>; cgroup v1 memory.limit_in_bytes in 3.4): a page charged beyond it is reclaimed at once by the faulting vCPU thread from the cgroup's own LRU lists (try_charge -> try_to_free_mem_cgroup_pages), with no kswapd and no watermarks. Unset or auto = max (no limit). Setting any of memory_max, memory_high, memory_low gives every guest a cgroup with LRU lists of its own, which global reclaim walks one by one.",
                Apply = (g, v) => g with { Guest = g.Guest with { MemoryMaxBytes = (long?)v } },
            },
            new KeyDef<GuestGroup>
            {
                Name = "memory_high", Kind = ValueKind.Size, AllowsAuto = true, Min = 4 << 10, Max = 1L << 44, Default = null,
                Doc = "memory.high of the guest's QEMU process's memory cgroup (libvirt <memtune><soft_limit> on cgroup v2; linux-6.18 only): pages charged beyond it are reclaimed from the cgroup by the faulting vCPU thread before the guest runs again, which sleeps up to 2 s when reclaim cannot keep up (mem_cgroup_handle_over_high). Unset or auto = max.",
                Apply = (g, v) => g with { Guest = g.Guest with { MemoryHighBytes = (long?)v } },
            },
            new KeyDef<GuestGroup>
            {
                Name = "memory_low", Kind = ValueKind.Size, AllowsAuto = true, Min = 0, Max = 1L << 44, Default = null,
                Doc = "memory.low of the guest's QEMU process's memory cgroup (linux-6.18 only; libvirt sets none for QEMU, so it is set on the VM's scope, e.g. systemd MemoryLow=): host reclaim leaves the guest alone while it holds no more than this, and scans it in proportion to what it holds above (shrink_node_memcgs, get_scan_count). Unset or auto = 0.",
                Apply = (g, v) => g with { Guest = g.Guest with { MemoryLowBytes = (long?)v } },
            },
            Choice<GuestGroup>("backing", "What backs the guest's RAM in QEMU: anonymous (the default; pageable on POWER7) or hugetlbfs (-mem-path /dev/hugepages: 16 MiB huge pages from the host's boot-time pool, never reclaimed or swapped, like pinned memory; POWER7 only). A hugetlbfs guest is admitted only if its huge pages fit (host.hugepages).",
                Enum.GetNames<MemoryBacking>().Select(n => n.ToLowerInvariant()).ToArray(), GuestGroup.Prototype.Guest.Backing.ToString().ToLowerInvariant(),
                (g, v) => g with { Guest = g.Guest with { Backing = Enum.Parse<MemoryBacking>(v, ignoreCase: true) } }),
            Key<GuestGroup>("duplicate_fraction", ValueKind.Fraction, "Share of the guest's memory whose contents equal the same pages of every other guest (one image, zeroed memory): what KSM (host.ksm) can merge. A store to a merged page makes it unique.",
                GuestGroup.Prototype.Guest.DuplicateFraction, (g, v) => g with { Guest = g.Guest with { DuplicateFraction = (double)v! } }, min: 0, max: 1),
            Key<GuestGroup>("compression_ratio", ValueKind.Number, "How well the guest's compressible pages compress in zram or zswap: each takes page / ratio of pool memory. lzo and lz4 give 2-4x on typical anonymous memory (3 is a middle guess; zram's mm_stat or zswap's stored_pages against pool_total_size measure it on a real host).",
                GuestGroup.Prototype.Guest.CompressionRatio, (g, v) => g with { Guest = g.Guest with { CompressionRatio = (double)v! } }, min: 1, max: 1000),
            Key<GuestGroup>("same_filled_fraction", ValueKind.Fraction, "Share of the guest's pages filled with one repeated word, nearly always zero (memory the guest freed and zeroed, unused buffers): zram and zswap keep them in no pool memory and compress nothing. Which pages they are is a fixed draw per page.",
                GuestGroup.Prototype.Guest.SameFilledFraction, (g, v) => g with { Guest = g.Guest with { SameFilledFraction = (double)v! } }, min: 0, max: 1),
            Key<GuestGroup>("incompressible_fraction", ValueKind.Fraction, "Share of the guest's pages that do not compress (compressed or encrypted data): zswap sends them to the swap device, zram stores them whole. same_filled_fraction + incompressible_fraction <= 1.",
                GuestGroup.Prototype.Guest.IncompressibleFraction, (g, v) => g with { Guest = g.Guest with { IncompressibleFraction = (double)v! } }, min: 0, max: 1),
            new KeyDef<GuestGroup>
            {
                Name = "balloon", Kind = ValueKind.Size, AllowsAuto = true, Min = 0, Max = 1L << 44, Default = null,
                Doc = "Target of the guest's virtio balloon, set from boot (the QEMU monitor's `balloon` command; libvirt's memory minus currentMemory): memory the guest gives back to the host. " +
                    "The guest's balloon driver takes its free pages first, then the pages its own reclaim would give up (the least recently used in the guest's view), and QEMU frees each with madvise(MADV_DONTNEED), which unmaps its HPTEs through invalidate_range_start/end. " +
                    "A guest that touches a page it gave away waits for a deflate of that page, then a zero-fill fault on the host; the balloon takes the next coldest page to stay at its target. " +
                    "POWER7 only (PPC970 has no KVM_CAP_SYNC_MMU, so QEMU's balloon frees nothing), anonymous backing only, guest pages as large as host pages. Unset or auto = no balloon (with host.balloon_policy: the policy's starting target, none).",
                Apply = (g, v) => g with { Guest = g.Guest with { BalloonBytes = (long?)v } },
            },
            Key<GuestGroup>("balloon_min", ValueKind.Size, "libvirt's <memtune><min_guarantee> (oVirt's guaranteed memory; MoM's balloon_min): host.balloon_policy never shrinks the guest's memory below it. 0 = no guarantee (MoM's value when libvirt sets none).",
                GuestGroup.Prototype.Guest.BalloonMinBytes, (g, v) => g with { Guest = g.Guest with { BalloonMinBytes = (long)v! } }, min: 0, max: 1L << 44),
            Key<GuestGroup>("balloon_rate", ValueKind.Integer, "4 KiB balloon pages per second the balloon inflates or deflates (the guest's balloon thread and QEMU's handler; requests of up to 256 pages, VIRTIO_BALLOON_ARRAY_PFNS_MAX). The default, 1 GiB/s, is an estimate.",
                GuestGroup.Prototype.Guest.BalloonRatePfns, (g, v) => g with { Guest = g.Guest with { BalloonRatePfns = (long)v! } }, min: 1, max: 1L << 40),
            Choice<GuestGroup>("fault_path", "How the guest's memory is faulted in on the host: kvm (a KVM guest: get_user_pages with FOLL_TOUCH marks the page accessed, and a page mapped writable into the guest is dirtied) or process (what the real-kernel validation measures: a plain process whose own page faults run handle_mm_fault, with no mark_page_accessed, and whose pages are dirtied only by stores). docs/validation.md says why the two differ.",
                Enum.GetValues<FaultPath>().Select(FaultPathName).ToArray(), FaultPathName(GuestGroup.Prototype.Guest.FaultPath),
                (g, v) => g with { Guest = g.Guest with { FaultPath = Enum.Parse<FaultPath>(v, ignoreCase: true) } }),
            Key<GuestGroup>("vcpus", ValueKind.Integer, "vCPUs, each running its own access stream.", (long)GuestGroup.Prototype.Guest.Vcpus,
                (g, v) => g with { Guest = g.Guest with { Vcpus = (int)(long)v! } }, min: 1, max: 1024),
            Key<GuestGroup>("threads", ValueKind.Integer, "Guest SMT threads per core, like QEMU's -smp N,threads=T (QEMU's default is 1). vCPUs i / threads share one KVM vcore, which enters and leaves the guest as a unit: a fault of one thread stalls its siblings (kvmppc_run_core); when threads does not divide vcpus, the last core has the remaining vCPUs. At most the host's threads per core: 4 on POWER7, 1 on PPC970.",
                (long)GuestGroup.Prototype.Guest.Threads, (g, v) => g with { Guest = g.Guest with { Threads = (int)(long)v! } }, min: 1, max: 4),
            Key<GuestGroup>("hpt_order", ValueKind.Integer, "HPT size is 2^order bytes (16 bytes per HPTE, PTEGs of 8). 3.4 fixes it at 24 (HPT_ORDER); other orders are a what-if (KVM_PPC_ALLOCATE_HTAB came in 3.5). The HPT and its revmap (as large again) are host kernel memory charged per guest. At most 26: the host page's rmap word holds a 23-bit HPTE index.", (long)GuestGroup.Prototype.Guest.HptOrder,
                (g, v) => g with { Guest = g.Guest with { HptOrder = (int)(long)v! } }, min: HvSim.Model.Hv.Hpt.MinOrder, max: HvSim.Model.Hv.Hpt.MaxOrder),
            Choice<GuestGroup>("linear_map", "How the guest kernel maps its RAM in the HPT. bolted (what a Linux ppc64 guest does): at boot htab_initialize enters one bolted HPTE per guest page with H_ENTER (ABSENT on POWER7 while the host page is untouched; on PPC970 each one pins its page), and the guest kernel zeroes each page through that mapping before a process first maps it, so the page's host rmap chain holds two HPTEs and its first unmap or age costs two tlbies. A guest whose linear map does not fit its HPT panics at boot and is refused. none: a guest without one, each page gets one HPTE on first touch.",
                ["bolted", "none"], LinearMapName(GuestGroup.Prototype.Guest.LinearMap), (g, v) => g with { Guest = g.Guest with { LinearMap = v == "none" ? LinearMap.None : LinearMap.Bolted } }),
            new KeyDef<GuestGroup>
            {
                Name = "page_size", Kind = ValueKind.Size, AllowsAuto = true, Min = 4 << 10, Max = 64 << 10, Default = (long?)GuestGroup.Prototype.Guest.PageSizeBytes,
                Doc = "Guest page size: 4KiB, or 64KiB on POWER7 only (PPC970's H_ENTER refuses 64KiB pages with H_PARAMETER in 3.4; 16MiB pages are not modelled). " +
                    "auto = what QEMU offers a Linux guest: 64KiB on POWER7 when host pages are 64KiB, else 4KiB; 4KiB on PPC970.",
                Apply = (g, v) => g with { Guest = g.Guest with { PageSizeBytes = v is null ? null : (int)(long)v } },
            },
        ],
    };

    /// <summary>`sweep:`: key paths mapped to value lists (<see cref="Loading.SweepParser"/>).</summary>
    public static readonly SpecialSection Sweep = new()
    {
        Name = "sweep",
        Doc = "Key paths mapped to lists of values; each point x platform x replication is one run with its own derived seed.",
    };

    // Declared after the sections it contains: static fields are initialised in textual order.
    public static readonly Section<RunTemplate> Root = new()
    {
        Name = "",
        Doc = "Top level of a scenario file.",
        Nested =
        [
            Nest.Mapping<RunTemplate, HostConfig>(Host, t => t.Config.Host, (t, h) => t with { Config = t.Config with { Host = h } }),
            Nest.Mapping<RunTemplate, CostConfig>(Costs, t => t.Config.Costs, (t, c) => t with { Config = t.Config with { Costs = c } }),
            Nest.List<RunTemplate, GuestGroup>(Guests, GuestGroup.Prototype, (t, groups) => t.WithGroups(groups)),
            Nest.Parsed<RunTemplate>(Sweep),
        ],
        Keys =
        [
            new KeyDef<RunTemplate>
            {
                Name = "name", Sweepable = false, Kind = ValueKind.Text, DefaultDescription = "the file name without .yaml",
                Doc = "Scenario name; results go to results/<name>/ (sanitised to letters, digits, '-', '_', '.').",
                Apply = (t, v) => t with { Config = t.Config with { Name = (string)v! } },
            },
            new KeyDef<RunTemplate>
            {
                Name = "description", Sweepable = false, Kind = ValueKind.Text, DefaultDescription = "empty", Doc = "Free text, copied into manifest.json.",
                Apply = (t, v) => t with { Description = (string)v! },
            },
            new KeyDef<RunTemplate>
            {
                Name = "extends", Kind = ValueKind.Path, Sweepable = false, OpenedByLoader = true, Apply = (t, _) => t,
                Doc = "Another scenario file (relative to this one) whose keys this one overrides; mappings merge key by key, lists and values replace.",
            },
            Key<RunTemplate>("seed", ValueKind.Integer, "Master seed; each run's seed is derived from it, the sweep point's values and the replication number.",
                (long)Defaults.Seed, (t, v) => t with { Config = t.Config with { Seed = v is ulong u ? u : (ulong)(long)v! } }, min: 0, max: ulong.MaxValue, sweepable: false),
            Key<RunTemplate>("replications", ValueKind.Integer, "Independent runs per sweep point and platform, each with its own derived seed.",
                (long)RunTemplate.Prototype.Replications, (t, v) => t with { Replications = (int)(long)v! }, min: 1, max: 10_000, sweepable: false),
            new KeyDef<RunTemplate>
            {
                Name = "platform", Sweepable = false, Kind = ValueKind.ChoiceList, Choices = PlatformChoices,
                Doc = "power7: pageable guests (using_mmu_notifiers = 1); ppc970: pinned guests (using_mmu_notifiers = 0); both: one run on each, side by side.",
                Default = RunTemplate.Prototype.Platforms.Select(PlatformName).ToList(),
                Apply = (t, v) => t with { Platforms = ParsePlatforms((IReadOnlyList<string>)v!) },
            },
            Choice<RunTemplate>("aging", "kvm_age_hva variant on POWER7: rbit (clear the HPTE R bit with a tlbie: what Linux 3.4 shipped) or unmap (ageing by HDSI refaults: 342d3db before its follow-up, never in a released kernel, a what-if).",
                ["unmap", "rbit"], Name(Defaults.Aging), (t, v) => t with { Config = t.Config with { Aging = v == "unmap" ? AgingVariant.Unmap : AgingVariant.RBit } }),
            Key<RunTemplate>("duration", ValueKind.Duration, "Simulated time of each run, warm-up included.",
                Defaults.DurationNs, (t, v) => t with { Config = t.Config with { DurationNs = (long)v! } }, min: 1_000, max: 30 * Day),
            new KeyDef<RunTemplate>
            {
                Name = "warmup", Kind = ValueKind.Duration, AllowsAuto = true, Min = 0, Max = 30 * Day, Default = Defaults.WarmupNs,
                Doc = "Initial simulated time left out of the statistics (must be shorter than duration); auto = until the run reaches steady state: host reclaim (if any) running for 5 intervals, guest resident memory within 1 % of host memory over 5 intervals, and the accesses of the last 5 intervals within 5 % of the 5 before (at most half the duration; docs/analysis.md).",
                Apply = (t, v) => t with { Config = t.Config with { WarmupNs = v as long? ?? 0, WarmupAuto = v is null } },
            },
            Key<RunTemplate>("interval", ValueKind.Duration, "Time-series sampling interval (timeseries.csv).",
                Defaults.SampleIntervalNs, (t, v) => t with { Config = t.Config with { SampleIntervalNs = (long)v! } }, min: 1_000, max: 30 * Day),
            Key<RunTemplate>("check", ValueKind.Boolean, "Check the memory-model invariants while running (slow; `hvsim run --check` sets it too).",
                Defaults.CheckInvariants, (t, v) => t with { Config = t.Config with { CheckInvariants = (bool)v! } }),
            Key<RunTemplate>("check_every", ValueKind.Integer, "With check on: events between two invariant checks (1 = after every event).",
                (long)Defaults.InvariantCheckEveryEvents, (t, v) => t with { Config = t.Config with { InvariantCheckEveryEvents = (int)(long)v! } }, min: 1, max: int.MaxValue),
            Key<RunTemplate>("reference_mode", ValueKind.Boolean, "Schedule one event per guest access (slow reference mode used as a test oracle).",
                Defaults.ReferenceMode, (t, v) => t with { Config = t.Config with { ReferenceMode = (bool)v! } }),
            new KeyDef<RunTemplate>
            {
                Name = "outputs", Sweepable = false, Kind = ValueKind.ChoiceList, Choices = AllOutputs, Default = AllOutputs,
                Doc = "Which results tables to write (manifest.json is always written).",
                Apply = (t, v) => t with { Outputs = AllOutputs.Where(((IReadOnlyList<string>)v!).Contains).ToList() },
            },
        ],
    };

    private static KeyDef<T> Key<T>(string name, ValueKind kind, string doc, object? def, Func<T, object?, T> apply, double? min = null, double? max = null, bool sweepable = true) =>
        new() { Name = name, Kind = kind, Doc = doc, Default = def, Apply = apply, Min = min, Max = max, Sweepable = sweepable };

    private static KeyDef<T> Choice<T>(string name, string doc, string[] choices, string def, Func<T, string, T> apply) =>
        new() { Name = name, Kind = ValueKind.Choice, Doc = doc, Default = def, Choices = choices, Apply = (t, v) => apply(t, (string)v!) };

    private static KeyDef<CostConfig> Cost(string name, string doc, long def, Func<CostConfig, long, CostConfig> apply) =>
        Key<CostConfig>(name, ValueKind.Duration, doc, def, (c, v) => apply(c, (long)v!), min: 0, max: 1_000_000_000);

    private static string LinearMapName(LinearMap m) => m == LinearMap.None ? "none" : "bolted";
    private static string FaultPathName(FaultPath f) => f.ToString().ToLowerInvariant();

    private static string Name(AgingVariant a) => a == AgingVariant.Unmap ? "unmap" : "rbit";

    /// <summary>A platform as files and results name it: `power7`, `ppc970`.</summary>
    public static string PlatformName(Platform p) => p.ToString().ToLowerInvariant();

    /// <summary>The platform <paramref name="name"/> names (one of <see cref="PlatformName"/>'s).</summary>
    public static Platform ParsePlatform(string name) => Enum.GetValues<Platform>().Single(p => PlatformName(p) == name);

    /// <summary>The platforms a list of <see cref="PlatformChoices"/> names, each once, in enum order.</summary>
    public static IReadOnlyList<Platform> ParsePlatforms(IEnumerable<string> names) =>
        names.Contains("both") ? Enum.GetValues<Platform>() : names.Select(ParsePlatform).Distinct().Order().ToList();
}
