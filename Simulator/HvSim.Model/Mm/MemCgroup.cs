namespace HvSim.Model.Mm;

/// <summary>
/// The memory cgroup of one guest's QEMU process (mm/memcontrol.c, cgroup v2 memory.max; v1's limit_in_bytes behaves the
/// same for this): the page_counter of its charged pages. A page is charged when it enters RAM for the guest
/// (do_anonymous_page's mem_cgroup_charge, __read_swap_cache_async's mem_cgroup_swapin_charge_folio, readahead pages
/// included) and uncharged when it is freed (__remove_mapping -> mem_cgroup_uncharge). A charge that would exceed
/// memory.max fails (page_counter_try_charge) and the charging task reclaims (try_charge, <see cref="PageAlloc"/>).
/// </summary>
public sealed class MemCgroup(long maxPages)
{
    /// <summary>memory.max in pages; long.MaxValue for "max".</summary>
    public long MaxPages { get; } = maxPages;
    /// <summary>page_counter usage: pages of the guest in RAM (mapped or in the swap cache).</summary>
    public long Usage { get; private set; }

    /// <summary>page_counter_try_charge of one page would fail: the charging task must reclaim first.</summary>
    public bool OverLimit => Usage >= MaxPages;

    /// <summary>mem_cgroup_charge / mem_cgroup_swapin_charge_folio of one page.</summary>
    public void Charge() => Usage++;

    /// <summary>mem_cgroup_uncharge of one freed page.</summary>
    public void Uncharge() => Usage--;
}
