using HvSim.Model.Guest;

namespace HvSim.Model.Mm;

/// <summary>
/// struct scan_control of one reclaimer (kswapd, or a task in direct reclaim), plus where its pass stands: a pass can
/// sleep in get_request_wait in the middle of a batch and carry on from there when a request is freed. One object
/// per reclaimer, reused for every pass: reclaim allocates nothing.
/// </summary>
public sealed class ScanControl
{
    public ScanControl(int batchPages) => Isolated = new int[batchPages];

    /// <summary>current_is_kswapd().</summary>
    public bool IsKswapd { get; init; }
    /// <summary>cgroup_reclaim(sc): reclaim of one memory cgroup's lists at its memory.max (try_to_free_mem_cgroup_pages).</summary>
    public bool CgroupReclaim { get; private set; }
    /// <summary>
    /// 6.x sc-&gt;may_deactivate &amp; DEACTIVATE_ANON (prepare_scan_control, per shrink_node): shrink the active anon list
    /// in this level's batches.
    /// </summary>
    internal bool MayDeactivate;
    /// <summary>6.x sc-&gt;may_deactivate &amp; DEACTIVATE_FILE, and sc-&gt;cache_trim_mode (prepare_scan_control).</summary>
    internal bool MayDeactivateFile, CacheTrimMode;
    /// <summary>current-&gt;mm: the guest whose vCPU thread reclaims (null for kswapd), for the swap token test.</summary>
    public Vm? Mm { get; set; }
    /// <summary>sc-&gt;nr_to_reclaim: SWAP_CLUSTER_MAX for direct reclaim, unlimited (ULONG_MAX) for kswapd.</summary>
    public long NrToReclaim { get; set; }
    /// <summary>sc-&gt;nr_reclaimed: pages this pass freed (pages only put under writeback do not count).</summary>
    public long NrReclaimed { get; set; }
    /// <summary>Pages of the inactive list this pass isolated (pgscan), since <see cref="Begin"/>.</summary>
    public long NrScanned { get; set; }
    /// <summary>The priority of the level in progress (DEF_PRIORITY 12 down to 0).</summary>
    public int Priority { get; set; }
    /// <summary>The reclaimer's own clock within the pass: its start plus the tlbies issued so far.</summary>
    public long T { get; set; }

    /// <summary>
    /// 6.x sc-&gt;memcg_low_reclaim: this pass also reclaims cgroups within memory.low (a retry after a pass that freed
    /// nothing skipped some, do_try_to_free_pages).
    /// </summary>
    internal bool MemcgLowReclaim;
    /// <summary>6.x sc-&gt;memcg_low_skipped: a cgroup was left alone (or scanned less) for its memory.low.</summary>
    internal bool MemcgLowSkipped;

    // shrink_zone's state at the level in progress: the memcg walk (mem_cgroup_iter), get_scan_count's nr[] for the
    // lruvec being shrunk and the batch being shrunk.
    internal bool LevelStarted;
    /// <summary>The memcg walk's position (an index into <see cref="Host.Lruvecs"/>) and whether that lruvec's shrink began.</summary>
    internal int WalkPos;
    internal bool LruvecStarted;
    internal long NrInactive, NrActive;
    /// <summary>get_scan_count's nr[LRU_INACTIVE_FILE] and nr[LRU_ACTIVE_FILE] (0 without a page cache).</summary>
    internal long NrInactiveFile, NrActiveFile;
    /// <summary>The anon batch in progress: pages taken and sc-&gt;nr_reclaimed and swap writes when it was taken (lru_note_cost).</summary>
    internal long BatchTaken, BatchReclaimedAt, BatchPageoutsAt;
    /// <summary>shrink_zone's own nr_reclaimed (its early exit compares it with nr_to_reclaim).</summary>
    internal long ZoneReclaimed;
    /// <summary>The isolated batch (shrink_inactive_list's page_list) and the next page of it to shrink.</summary>
    internal readonly int[] Isolated;
    internal int IsolatedCount, IsolatedNext;
    /// <summary>A page written by this pass whose bio still waits for a request (get_request_wait), -1 when none.</summary>
    internal int PendingWrite = -1;
    /// <summary>The pending write has already been counted as a get_request_wait sleep.</summary>
    internal bool SleptForRequest;

    /// <summary>Start a pass at <paramref name="now"/> (try_to_free_pages' or balance_pgdat's fresh scan_control).</summary>
    public void Begin(long now, long nrToReclaim, bool cgroupReclaim = false)
    {
        CgroupReclaim = cgroupReclaim;
        T = now;
        NrToReclaim = nrToReclaim;
        NrReclaimed = 0;
        NrScanned = 0;
        Priority = Vmscan.DefPriority;
        LevelStarted = false;
        LruvecStarted = false;
        MemcgLowReclaim = MemcgLowSkipped = false;
        IsolatedCount = IsolatedNext = 0;
        PendingWrite = -1;
        SleptForRequest = false;
    }
}
