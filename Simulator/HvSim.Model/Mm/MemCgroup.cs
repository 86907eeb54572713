using HvSim.Model.Replacement;

namespace HvSim.Model.Mm;

/// <summary>
/// The memory cgroup of one guest's QEMU process (libvirt's &lt;memtune&gt; hard_limit is memory.max and, on cgroup v2,
/// soft_limit is memory.high; memory.low is set on the VM's scope by hand): the page_counter of its charged pages and its three limits (mm/memcontrol.c, cgroup v2). A page is
/// charged when it enters RAM for the guest (do_anonymous_page's mem_cgroup_charge, __read_swap_cache_async's
/// mem_cgroup_swapin_charge_folio, readahead pages included) and uncharged when it is freed (__remove_mapping ->
/// mem_cgroup_uncharge). memory.max: a charge that would exceed it fails (page_counter_try_charge) and the charging
/// task reclaims (try_charge, <see cref="PageAlloc"/>). memory.high: a charge beyond it succeeds, and the task reclaims
/// the excess and may be throttled before it runs the guest again (mem_cgroup_handle_over_high). memory.low: global
/// reclaim leaves the cgroup alone while its usage is within it (mem_cgroup_below_low) and scans it in proportion to
/// its unprotected part above it (get_scan_count). Each cgroup is a child of the root (no machine.slice in between).
/// </summary>
public sealed class MemCgroup(long maxPages, long highPages = long.MaxValue, long lowPages = 0)
{
    /// <summary>memory.max in pages; long.MaxValue for "max".</summary>
    public long MaxPages { get; } = maxPages;
    /// <summary>memory.high in pages; long.MaxValue for "max".</summary>
    public long HighPages { get; } = highPages;
    /// <summary>memory.low in pages (its effective elow: a child of the root keeps its own, mem_cgroup_calculate_protection).</summary>
    public long LowPages { get; } = lowPages;
    /// <summary>page_counter usage: pages of the guest in RAM (mapped or in the swap cache).</summary>
    public long Usage { get; private set; }
    /// <summary>current-&gt;memcg_nr_pages_over_high of the guest's vCPU threads: pages charged above memory.high not yet dealt with.</summary>
    public long NrPagesOverHigh { get; set; }

    /// <summary>page_counter_try_charge of one page would fail: the charging task must reclaim first.</summary>
    public bool OverLimit => Usage >= MaxPages;

    /// <summary>mem_cgroup_below_low: usage within the effective low protection (elow &gt;= usage).</summary>
    public bool BelowLow => LowPages > 0 && LowPages >= Usage;

    /// <summary>mem_cgroup_charge / mem_cgroup_swapin_charge_folio of one page; try_charge notes a page above memory.high.</summary>
    public void Charge()
    {
        Usage++;
        if (Usage > HighPages) NrPagesOverHigh++;
    }

    /// <summary>mem_cgroup_uncharge of one freed page.</summary>
    public void Uncharge() => Usage--;

    /// <summary>
    /// get_scan_count's memory.low scaling of one list (6.x, global reclaim of a cgroup above its low): scan
    /// size - size * protection / (cgroup_size + 1), at least SWAP_CLUSTER_MAX, then &gt;&gt; priority. With no
    /// protection (low 0, or reclaim that ignores it) just size &gt;&gt; priority.
    /// </summary>
    public static long ProtectedScan(long lruSize, long protection, long usage, int clusterMax, int priority)
    {
        if (protection == 0) return lruSize >> priority;
        long cgroupSize = Math.Max(usage, protection);
        long scan = lruSize - lruSize * protection / (cgroupSize + 1);
        return Math.Max(scan, clusterMax) >> priority;
    }

    /// <summary>
    /// One lruvec per guest's cgroup (mem_cgroup_lruvec), threading their lists through one <see cref="PageLists"/>
    /// over all <paramref name="pages"/> host pages.
    /// </summary>
    public static IReplacementPolicy[] Lruvecs(int pages, int guests, int pageBytes)
    {
        var lists = new PageLists(pages, Math.Max(2, 2 * guests));
        var lruvecs = new IReplacementPolicy[Math.Max(1, guests)];
        for (int g = 0; g < lruvecs.Length; g++) lruvecs[g] = new TwoListPolicy(lists, g, pageBytes);
        return lruvecs;
    }
}
