namespace HvSim.Model.Config;

/// <summary>
/// The host kernel whose memory management the model follows (<c>host.kernel</c>): what changed between Linux 3.4, the
/// kernel of 342d3db, and 6.18 without MGLRU that matters to a paging guest. Declared once; the mm code consults it.
/// </summary>
public sealed record HostKernel
{
    public required string Name { get; init; }
    /// <summary>
    /// 5.9: do_anonymous_page adds a new anon page to the inactive list
    /// (lru_cache_add_inactive_or_unevictable); 3.4 adds it to the active list (lru_cache_add_lru(LRU_ACTIVE_ANON)).
    /// </summary>
    public required bool NewAnonInactive { get; init; }
    /// <summary>
    /// 5.9: anon pages leave a shadow entry in the swap cache when reclaimed (workingset_eviction)
    /// and a refault whose distance fits in the workingset is activated (workingset_refault); reclaim deactivates the
    /// active list whenever there were such activations (prepare_scan_control's may_deactivate).
    /// </summary>
    public required bool WorkingsetRefault { get; init; }
    /// <summary>
    /// 6.x do_swap_page maps an exclusive anon page writable on a read fault too (pte_mkwrite for an exclusive folio),
    /// keeping its swap copy; 3.4 maps it writable only for a write fault (reuse_swap_page), so a later store takes a
    /// second, minor fault (do_wp_page).
    /// </summary>
    public required bool SwapInMapsExclusiveWritable { get; init; }
    /// <summary>
    /// 6.x shrink_lruvec stops a cgroup's reclaim once nr_to_reclaim pages are freed at any priority (no proportional
    /// scan outside global direct reclaim); 3.4 shrink_mem_cgroup_zone only below DEF_PRIORITY.
    /// </summary>
    public required bool CgroupReclaimStopsAtTarget { get; init; }
    /// <summary>
    /// 6.x inactive_is_low takes the ratio int_sqrt(10 * GB) from the size of the two lists now; 3.4's zone LRU fixes it
    /// from the zone's size (calculate_zone_inactive_ratio).
    /// </summary>
    public required bool InactiveRatioFromLists { get; init; }
    /// <summary>
    /// 3.5 (e48982734ea0, "consider all swapped back pages in used-once logic"): page_check_references treats a mapped
    /// anon page like a file page: referenced PTEs give it PG_referenced and another trip around the inactive list
    /// (PAGEREF_KEEP), and only a page found referenced with PG_referenced already set is activated
    /// (6.x folio_check_references). 3.4 activates a referenced swap-backed page at once.
    /// </summary>
    public required bool AnonUsedOnce { get; init; }
    /// <summary>
    /// 3.4 try_to_unmap_one keeps a page whose PTE (or secondary MMU, through the notifier) was young since
    /// page_check_references (SWAP_FAIL); 5.11 (013339df116c, "mm/rmap: always do TTU_IGNORE_ACCESS") dropped that check.
    /// </summary>
    public required bool UnmapChecksYoung { get; init; }
    /// <summary>
    /// 4.14: VMA-based swap readahead (swap_vma_readahead): a window of virtual neighbours whose size adapts to readahead
    /// hits (<see cref="Mm.SwapVmaReadahead"/>); 3.4's swapin_readahead always reads the aligned 2^page-cluster cluster
    /// of swap slots.
    /// </summary>
    public required bool VmaSwapReadahead { get; init; }
    /// <summary>3.4's swap token (mm/thrash.c), removed in 3.5.</summary>
    public required bool HasSwapToken { get; init; }
    /// <summary>
    /// cgroup v2's memory.high and memory.low (4.5; mem_cgroup_handle_over_high, mem_cgroup_below_low); 3.4 has cgroup v1
    /// only (memory.limit_in_bytes, which memory_max models, and memory.soft_limit_in_bytes).
    /// </summary>
    public required bool HasCgroupV2 { get; init; }
    /// <summary>
    /// zswap (mm/zswap.c, 3.11, on frontswap of 3.5): 3.4 has neither, only zram in drivers/staging/zram.
    /// </summary>
    public required bool HasZswap { get; init; }
    /// <summary>zram's mem_limit (3.18, 9ada9da9573f); 3.4's zram has only its disksize.</summary>
    public required bool HasZramMemLimit { get; init; }
    /// <summary>
    /// 4.15 (0bcac06f27d7, SWP_SYNCHRONOUS_IO): do_swap_page on a zram swap slot used once skips swapin_readahead and the
    /// swap cache: it reads just the faulting page into a new page and frees the slot (swap_free). 3.4 reads the
    /// readahead cluster through the swap cache like any device, each page synchronously.
    /// </summary>
    public required bool SynchronousIoSkipsSwapCache { get; init; }

    public static readonly HostKernel Linux34 = new()
    {
        Name = "linux-3.4", NewAnonInactive = false, WorkingsetRefault = false, SwapInMapsExclusiveWritable = false,
        CgroupReclaimStopsAtTarget = false, InactiveRatioFromLists = false, AnonUsedOnce = false, UnmapChecksYoung = true,
        VmaSwapReadahead = false, HasSwapToken = true, HasCgroupV2 = false,
        HasZswap = false, HasZramMemLimit = false, SynchronousIoSkipsSwapCache = false,
    };

    public static readonly HostKernel Linux618 = new()
    {
        Name = "linux-6.18", NewAnonInactive = true, WorkingsetRefault = true, SwapInMapsExclusiveWritable = true,
        CgroupReclaimStopsAtTarget = true, InactiveRatioFromLists = true, AnonUsedOnce = true, UnmapChecksYoung = false,
        VmaSwapReadahead = true, HasSwapToken = false, HasCgroupV2 = true,
        HasZswap = true, HasZramMemLimit = true, SynchronousIoSkipsSwapCache = true,
    };

    public static IReadOnlyList<HostKernel> All { get; } = [Linux34, Linux618];

    public static HostKernel? Find(string name) => All.FirstOrDefault(k => k.Name == name);
}
