using HvSim.Model.Guest;

namespace HvSim.Model.Config;

/// <summary>Checks a <see cref="SimulationConfig"/> against what the model supports; throws <see cref="ArgumentException"/> naming the field.</summary>
public static class ModelConfigValidator
{
    public static void Validate(SimulationConfig c)
    {
        var h = c.Host;
        Require(h.PageSizeBytes is 4096 or 65536, $"host.page_size_bytes must be 4096 or 65536, got {h.PageSizeBytes}");
        Require(h.MemoryBytes > 0 && h.MemoryBytes % h.PageSizeBytes == 0, $"host.memory_bytes must be a positive multiple of the host page size, got {h.MemoryBytes}");
        Require(h.ReservedBytes >= 0 && h.ReservedBytes < h.MemoryBytes, $"host.reserved_bytes must be in [0, memory), got {h.ReservedBytes}");
        Require(h.HugePages is null or >= 0, $"host.hugepages must be >= 0, got {h.HugePages}");
        Require(Replacement.ReplacementPolicies.Find(h.Policy) is not null, $"host.policy must be one of {string.Join(", ", Replacement.ReplacementPolicies.Names)}, got '{h.Policy}'");
        Require(h.ReclaimBatchPages >= 1, $"host.reclaim_batch_pages must be >= 1, got {h.ReclaimBatchPages}");
        Require(h.Swap.CapacityBytes >= 0 && h.Swap.CapacityBytes / h.PageSizeBytes <= Mm.HostPage.MaxSwapSlots,
            $"host.swap.capacity_bytes must be in [0, {Mm.HostPage.MaxSwapSlots} host pages] (a host page's swap entry is {Mm.HostPage.SwapSlotBits} bits), got {h.Swap.CapacityBytes}");
        Require(c.Guests.Sum(g => g.MemoryBytes / h.PageSizeBytes) <= Replacement.PageLists.MaxPages,
            $"guest memory must be at most {Replacement.PageLists.MaxPages} host pages (LRU links are {Replacement.PageLists.LinkBits} bits), got {c.Guests.Sum(g => g.MemoryBytes / h.PageSizeBytes)}");
        Require(h.Swap.ReadaheadPages >= 1, $"host.swap.readahead_pages must be >= 1, got {h.Swap.ReadaheadPages}");
        Require(!h.Zswap.Enabled || h.Kernel.HasZswap, $"host.zswap: {h.Kernel.Name} has no zswap (frontswap came in 3.5, zswap in 3.11); use swap device zram or host.kernel linux-6.18");
        Require(!h.Zswap.Enabled || !h.Swap.IsZram, "host.zswap in front of a zram swap device would compress twice; use one or the other");
        Require(h.Swap.MemLimitBytes is null || (h.Swap.IsZram && h.Kernel.HasZramMemLimit),
            $"host.swap.mem_limit is zram's mem_limit (3.18): it needs swap device zram and a kernel that has it, got device {h.Swap.Kind} on {h.Kernel.Name}");
        var bp = h.BalloonPolicy;
        Require(!bp.Enabled || (bp.IntervalNs > 0 && bp.PressureCritical is >= 0 and <= 1 && bp.PressureThreshold is >= 0 and <= 1 && bp.MinGuestFree is >= 0 and <= 1
            && bp.MaxChange is >= 0 and <= 1 && bp.MinChange is >= 0 and <= 1),
            $"host.balloon_policy: interval must be > 0 and the fractions in [0, 1], got {bp}");
        Require(h.Zswap.MaxPoolPercent is >= 1 and <= 100, $"host.zswap_max_pool_percent must be in [1, 100], got {h.Zswap.MaxPoolPercent}");
        Require(h.Zswap.AcceptThresholdPercent is >= 1 and <= 100, $"host.zswap_accept_threshold_percent must be in [1, 100], got {h.Zswap.AcceptThresholdPercent}");
        Require(c.DurationNs > 0, $"duration must be > 0, got {c.DurationNs} ns");
        Require(c.WarmupNs >= 0 && c.WarmupNs < c.DurationNs, $"warmup must be in [0, duration), got {c.WarmupNs} ns");
        Require(c.SampleIntervalNs > 0, $"sample_interval must be > 0, got {c.SampleIntervalNs} ns");
        Require(c.InvariantCheckEveryEvents >= 1, $"invariant_check_every_events must be >= 1, got {c.InvariantCheckEveryEvents}");
        Require(c.InvariantFullSweepEveryEvents >= 1, $"invariant_full_sweep_every_events must be >= 1, got {c.InvariantFullSweepEveryEvents}");
        Require(c.Guests.Count <= 255, $"at most 255 guests, got {c.Guests.Count}");
        Require(h.Swappiness >= 0 && h.Swappiness <= (h.Kernel.WorkingsetRefault ? 200 : 100), $"host.swappiness must be in [0, {(h.Kernel.WorkingsetRefault ? 200 : 100)}] on {h.Kernel.Name}, got {h.Swappiness}");
        if (h.PageCache.Enabled)
        {
            var pc = h.PageCache;
            Require(!c.HasGuestMemcgs, "host.page_cache with per-guest memory cgroups is not modelled");
            Require(h.Policy == Replacement.ReplacementPolicies.Default, $"host.page_cache needs host.policy {Replacement.ReplacementPolicies.Default}, got {h.Policy}");
            Require(pc.FootprintBytes >= h.PageSizeBytes && pc.FootprintBytes / h.PageSizeBytes <= Replacement.PageLists.MaxPages,
                $"host.page_cache.footprint must be from one host page to {Replacement.PageLists.MaxPages} host pages (LRU links are {Replacement.PageLists.LinkBits} bits), got {pc.FootprintBytes}");
            Require(pc.WriteFraction is >= 0 and <= 1, $"host.page_cache.write_fraction must be in [0, 1], got {pc.WriteFraction}");
            Require(pc.DirtyRatio is >= 1 and <= 100 && pc.DirtyBackgroundRatio is >= 0 and <= 100, "host.page_cache dirty ratios must be percentages");
            Require(pc.DirtyWritebackNs > 0, $"host.page_cache.dirty_writeback must be > 0, got {pc.DirtyWritebackNs} ns");
        }
        if (c.HasGuestMemcgs)
        {
            Require(h.Policy == Replacement.ReplacementPolicies.Default,
                $"guests.memory_max/high/low give each guest's QEMU a memory cgroup with its own active/inactive lists: host.policy must be {Replacement.ReplacementPolicies.Default}, got {h.Policy}");
            Require(c.Guests.Count <= MaxGuestMemcgs, $"guests.memory_max/high/low: at most {MaxGuestMemcgs} guests with cgroups of their own, got {c.Guests.Count}");
        }
        foreach (var g in c.Guests)
        {
            string n = $"guest '{g.Name}'";
            int page = g.PageBytesOn(c.Platform, h.PageSizeBytes);
            Require(page is 4096 or 65536, $"{n}: page_size_bytes must be 4096 or 65536 (16 MiB pages need hugetlbfs, not modelled), got {page}");
            Require(c.Platform.AcceptsGuestPage(page), $"{n}: {page} B guest pages on PPC970: H_ENTER returns H_PARAMETER (hpte_page_size accepts 64 KiB only with CPU_FTR_ARCH_206); use 4096");
            Require(page <= h.PageSizeBytes, $"{n}: guest pages of {page} B need host backing pages at least as large (host has {h.PageSizeBytes} B): H_PARAMETER");
            Require(g.MemoryBytes > 0 && g.MemoryBytes % h.PageSizeBytes == 0, $"{n}: memory_bytes must be a positive multiple of the host page size ({h.PageSizeBytes}), got {g.MemoryBytes}");
            Require(g.MemoryBytes / page <= int.MaxValue, $"{n}: too many guest pages");
            Require(g.MemoryMaxBytes is null || g.MemoryMaxBytes >= h.PageSizeBytes, $"{n}: memory_max must be at least one host page ({h.PageSizeBytes} B), got {g.MemoryMaxBytes}");
            Require(g.MemoryHighBytes is null || g.MemoryHighBytes >= h.PageSizeBytes, $"{n}: memory_high must be at least one host page ({h.PageSizeBytes} B), got {g.MemoryHighBytes}");
            Require(h.Kernel.HasCgroupV2 || (g.MemoryHighBytes is null && g.MemoryLowBytes is null),
                $"{n}: {CgroupV2Only(h.Kernel)}");
            Require(g.Backing == MemoryBacking.Anonymous || c.Platform == Platform.Power7,
                $"{n}: backing hugetlbfs is modelled on POWER7 only (a PPC970 guest is pinned whatever backs it); use anonymous");
            Require(g.CompressionRatio >= 1, $"{n}: compression_ratio must be >= 1, got {g.CompressionRatio}");
            Require(g.SameFilledFraction is >= 0 and <= 1 && g.IncompressibleFraction is >= 0 and <= 1 && g.SameFilledFraction + g.IncompressibleFraction <= 1,
                $"{n}: same_filled_fraction + incompressible_fraction must be in [0, 1], got {g.SameFilledFraction} + {g.IncompressibleFraction}");
            if (c.HasBalloon(g))
            {
                Require((g.BalloonBytes ?? 0) is >= 0 && (g.BalloonBytes ?? 0) < g.MemoryBytes, $"{n}: balloon must be in [0, memory), got {g.BalloonBytes}");
                Require(g.BalloonMinBytes >= 0 && g.BalloonMinBytes <= g.MemoryBytes, $"{n}: balloon_min must be in [0, memory], got {g.BalloonMinBytes}");
                Require(g.BalloonRatePfns >= 1, $"{n}: balloon_rate must be >= 1 page/s, got {g.BalloonRatePfns}");
                Require(c.Platform == Platform.Power7, $"{n}: {BalloonOnPpc970}");
                Require(g.Backing == MemoryBacking.Anonymous, $"{n}: {BalloonOnHugetlbfs}");
                Require(page == h.PageSizeBytes, $"{n}: {BalloonPageMismatch(page, h.PageSizeBytes)}");
            }
            Require(g.Vcpus >= 1, $"{n}: vcpus must be >= 1, got {g.Vcpus}");
            int smt = Guest.PlatformExtensions.ThreadsPerCore(c.Platform);
            Require(g.Threads >= 1 && g.Threads <= smt,
                $"{n}: threads must be in [1, {smt}] on {c.Platform} (QEMU refuses more threads per core than the host's KVM_CAP_PPC_SMT), got {g.Threads}");
            Require(g.HptOrder is >= Hv.Hpt.MinOrder and <= Hv.Hpt.MaxOrder, $"{n}: hpt_order must be in [{Hv.Hpt.MinOrder}, {Hv.Hpt.MaxOrder}], got {g.HptOrder}");
        }
    }

    /// <summary>Why a balloon frees nothing on PPC970 (also the scenario check's message).</summary>
    public const string BalloonOnPpc970 = "a balloon frees no host memory on PPC970: 3.4 reports KVM_CAP_SYNC_MMU only with CPU_FTR_ARCH_206 (POWER7), " +
        "so QEMU's balloon_page skips its madvise (later QEMU refuses the balloon: 'Using KVM without synchronous MMU'), and every guest page is pinned anyway";
    /// <summary>Why memory.high and memory.low need a 6.x kernel (also the scenario check's message).</summary>
    public static string CgroupV2Only(HostKernel kernel) =>
        $"memory_high and memory_low are cgroup v2 files (Linux 4.5); {kernel.Name} has cgroup v1 only, whose memory.limit_in_bytes is memory_max and whose memory.soft_limit_in_bytes HvSim does not model";
    /// <summary>Why a balloon frees nothing over hugetlbfs.</summary>
    public const string BalloonOnHugetlbfs = "a balloon frees nothing from hugetlbfs-backed RAM: 3.4's madvise_dontneed returns EINVAL for VM_HUGETLB";

    /// <summary>Why QEMU 1.x's 4 KiB balloon_page is wrong for guest pages smaller than host pages.</summary>
    public static string BalloonPageMismatch(int guestPage, int hostPage) =>
        $"a balloon needs guest pages as large as host pages (guest {guestPage} B, host {hostPage} B): QEMU 1.x's balloon_page madvises 4 KiB at a time, " +
        "which on larger host pages frees the whole host page under an aligned pfn, guest pages still in use included, and nothing for the others " +
        "(fixed in QEMU 2.7, 'virtio-balloon: Fix balloon operation for host vs. guest page size mismatch')";

    /// <summary>Guests with cgroups of their own: two lists each in one <see cref="Replacement.PageLists"/> of at most 127 lists.</summary>
    public const int MaxGuestMemcgs = 63;

    private static void Require(bool ok, string message)
    {
        if (!ok) throw new ArgumentException(message);
    }
}
