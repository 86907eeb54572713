using HvSim.Engine;
using HvSim.Model.Config;
using HvSim.Model.Replacement;

namespace HvSim.Model.Mm;

/// <summary>
/// mm/vmscan.c of Linux 3.4 for the one zone of guest (anonymous) memory and, with a host page cache, file pages
/// (Vmscan.File.cs): do_try_to_free_pages' priority loop, shrink_zone with get_scan_count's per-list targets,
/// shrink_inactive_list / shrink_page_list and pageout. It is the
/// <see cref="IReferenceOracle"/> the policy consults: page_referenced() = host PTE young test-and-clear OR
/// kvm_age_hva, both always evaluated, plus 3.4's swap-token clause. Reclaim work happens at the reclaimer's clock
/// (<see cref="ScanControl.T"/>); tlbies make it take time, and a pass sleeps only where the kernel's does: in
/// get_request_wait when a write finds all 128 requests taken (the swap device is never "congested" for pageout:
/// swap_backing_dev_info is bust, says pageout's comment, so may_write_to_queue always allows the write).
/// </summary>
public sealed partial class Vmscan : IReferenceOracle
{
    public const int DefPriority = 12;
    private readonly Host _host;
    private readonly int _clusterMax;
    /// <summary>The pass being run (the reclaimer whose page_referenced calls the policy makes).</summary>
    private ScanControl _sc = null!;
    /// <summary>
    /// 6.x lruvec-&gt;refaults[WORKINGSET_ANON]: WORKINGSET_ACTIVATE_ANON when the last reclaim pass of that target ended
    /// (snapshot_refaults): per guest cgroup's lruvec, and the root's (hierarchical) at the end.
    /// </summary>
    private readonly long[] _refaultsSnapshot;
    /// <summary>
    /// mem_cgroup_iter's reclaim cookie: where the next walk of the cgroups starts (3.4: one per priority,
    /// mz-&gt;reclaim_iter[priority]; 6.x: one per node, used by direct reclaim's partial walks).
    /// </summary>
    private readonly int[] _walkCookie = new int[DefPriority + 1];
    /// <summary>Anon pages page_referenced found referenced, and pages reclaim activated, so far (recent_rotated[0]).</summary>
    private long _referenced, _activated;

    /// <summary>zone-&gt;reclaim_stat (3.4) / the lruvec's anon and file cost (6.x): what get_scan_count splits by.</summary>
    public ReclaimStat ReclaimStat { get; } = new();

    public Vmscan(Host host)
    {
        _host = host;
        _clusterMax = host.Config.Host.ReclaimBatchPages;
        _refaultsSnapshot = new long[host.Lruvecs.Length + 1];
        _fileBatch = new int[_clusterMax];
    }

    /// <summary>
    /// do_try_to_free_pages from DEF_PRIORITY down to 0 until <see cref="ScanControl.NrToReclaim"/> pages are freed;
    /// 6.x: a pass that freed nothing while it left cgroups within memory.low alone starts over reclaiming them too
    /// ("Untapped cgroup reserves? Don't OOM, retry."). Returns false when the pass must sleep for a swap request
    /// (<see cref="GetRequestWait"/>); call again to carry on.
    /// </summary>
    public bool DoTryToFreePages(ScanControl sc)
    {
        while (true)
        {
            while (sc.Priority >= 0)
            {
                if (!sc.LevelStarted && sc.Priority == 0) _host.SwapToken.Disable(); // disable_swap_token
                // shrink_zones: below DEF_PRIORITY an all_unreclaimable zone is left to kswapd (global reclaim only).
                bool skip = !sc.CgroupReclaim && !sc.LevelStarted && _host.AllUnreclaimable && sc.Priority != DefPriority;
                if (!skip && !ShrinkZone(sc)) return false;
                if (sc.NrReclaimed >= sc.NrToReclaim) break;
                // 3.4: "Try to write back as many pages as we just scanned" once past nr_to_reclaim * 3/2.
                if (!_host.Kernel.WorkingsetRefault && sc.NrScanned > sc.NrToReclaim + sc.NrToReclaim / 2)
                    _host.Flusher?.WakeupFlusherThreads(sc.NrScanned);
                // The nap below DEF_PRIORITY - 2 is wait_iff_congested, which sleeps only for a zone marked congested
                // (every dirty page PAGE_KEEP for a congested bdi): never for swap, whose bdi is never congested.
                sc.Priority--;
            }
            if (sc.NrReclaimed > 0 || !sc.MemcgLowSkipped) break;
            sc.Priority = DefPriority;
            sc.MemcgLowReclaim = true;
            sc.MemcgLowSkipped = false;
        }
        if (_host.Workingset is { } ws) // snapshot_refaults of the target lruvec
        {
            if (sc.CgroupReclaim) _refaultsSnapshot[sc.Mm!.Index] = ws.ActivateAnonOf(sc.Mm.Index);
            else _refaultsSnapshot[^1] = ws.ActivateAnon;
            _fileRefaultsSnapshot = ws.ActivateFile;
        }
        return true;
    }

    /// <summary>
    /// What a pass that returned false waits for: its own clock to reach the instant of the write, then (the requests
    /// still all taken) get_request_wait's sleep until a write request is freed. Set <see cref="ScanControl.T"/> to now
    /// on resuming and call the pass again.
    /// </summary>
    public Command GetRequestWait(ScanControl sc)
    {
        long now = _host.Sim.Now;
        if (sc.T > now) return Command.Delay(sc.T - now);
        if (!sc.SleptForRequest) _host.Counters.WriteRequestWaits++; // once per bio, however many wake-ups it loses
        sc.SleptForRequest = true;
        return Command.Wait(_host.SwapDevice.WriteDone);
    }

    /// <summary>
    /// shrink_zone at <see cref="ScanControl.Priority"/>: shrink each cgroup's lruvec in turn (3.4 mem_cgroup_iter with
    /// the reclaim cookie: from where the last walk at this priority stopped to the last cgroup; 6.x
    /// shrink_node_memcgs: kswapd walks them all, direct reclaim from the cookie and stops once nr_to_reclaim pages are
    /// freed; reclaim at a cgroup's limit only its own). 6.x skips a cgroup within memory.low
    /// (mem_cgroup_below_low) unless the pass reclaims protected memory. Returns false when the pass must sleep for a
    /// swap request; call again to carry on.
    /// </summary>
    public bool ShrinkZone(ScanControl sc)
    {
        _sc = sc;
        var lruvecs = _host.Lruvecs;
        bool modern = _host.Kernel.WorkingsetRefault;
        int cookie = modern ? 0 : sc.Priority;
        bool fullWalk = modern && sc.IsKswapd;
        if (!sc.LevelStarted)
        {
            sc.LevelStarted = true;
            sc.LruvecStarted = false;
            sc.WalkPos = sc.CgroupReclaim ? sc.Mm!.Index : fullWalk ? 0 : _walkCookie[cookie];
            // 6.x prepare_scan_control: deactivate anon pages when refaults were activated since the target's last
            // pass or its inactive list is low; 3.4 asks inactive_anon_is_low of each lruvec before each active batch.
            if (_host.Workingset is { } ws)
            {
                sc.MayDeactivate = sc.CgroupReclaim
                    ? ws.ActivateAnonOf(sc.Mm!.Index) != _refaultsSnapshot[sc.Mm.Index] || lruvecs[sc.Mm.Index].InactiveIsLow
                    : ws.ActivateAnon != _refaultsSnapshot[^1] || RootInactiveIsLow();
                if (_host.PageCache is { } pc) PrepareFileScan(sc, ws, pc);
            }
        }
        while (sc.WalkPos < lruvecs.Length)
        {
            int i = sc.WalkPos;
            if (!sc.LruvecStarted)
            {
                if (!sc.CgroupReclaim && _host.PerGuestMemcg && _host.Vms[i].Memcg.BelowLow && !sc.MemcgLowReclaim)
                {
                    sc.MemcgLowSkipped = true;
                    sc.WalkPos++;
                    continue;
                }
                sc.LruvecStarted = true;
                sc.ZoneReclaimed = 0;
                GetScanCount(sc, i);
            }
            if (!ShrinkLruvec(sc, lruvecs[i])) return false;
            sc.LruvecStarted = false;
            sc.WalkPos++;
            if (sc.CgroupReclaim) break;
            if (modern && !fullWalk && sc.NrReclaimed >= sc.NrToReclaim) break; // partial walk: bail once the goal is reached
        }
        if (!sc.CgroupReclaim && !fullWalk) _walkCookie[cookie] = sc.WalkPos < lruvecs.Length ? sc.WalkPos : 0;
        sc.LevelStarted = false;
        return true;
    }

    /// <summary>
    /// shrink_mem_cgroup_zone (3.4) / shrink_lruvec (6.x) on one lruvec: SWAP_CLUSTER_MAX batches of the inactive list
    /// alternate with the active list (shrunk only when the inactive list is low) while inactive target remains; below
    /// DEF_PRIORITY (and 6.x cgroup reclaim at any priority) it stops once nr_to_reclaim pages are freed. Its swap
    /// writes are plugged (blk_start_plug) and submitted when it ends or sleeps.
    /// </summary>
    private bool ShrinkLruvec(ScanControl sc, IReplacementPolicy policy)
    {
        while (sc.IsolatedNext < sc.IsolatedCount || sc.PendingWrite >= 0 || sc.NrInactive > 0 || sc.NrInactiveFile > 0 || sc.NrActiveFile > 0)
        {
            if (sc.IsolatedNext == sc.IsolatedCount && sc.PendingWrite < 0)
            {
                int n = (int)Math.Min(sc.NrInactive, _clusterMax);
                sc.NrInactive -= n;
                IsolateLruPages(sc, policy, n);
            }
            if (!ShrinkPageList(sc)) return false;
            NoteAnonBatchCost(sc);
            if (sc.NrActive > 0)
            {
                int n = (int)Math.Min(sc.NrActive, _clusterMax);
                sc.NrActive -= n;
                if (_host.Workingset != null ? sc.MayDeactivate : policy.InactiveIsLow) ShrinkActiveList(policy, n);
            }
            if (_host.PageCache is { } pc) ShrinkFileLists(sc, pc);
            bool stopAtTarget = sc.Priority < DefPriority || (sc.CgroupReclaim && _host.Kernel.CgroupReclaimStopsAtTarget);
            if (sc.ZoneReclaimed >= sc.NrToReclaim && stopAtTarget) break;
        }
        sc.NrInactive = sc.NrActive = sc.NrInactiveFile = sc.NrActiveFile = 0;
        // Even if we did not try to evict anon pages at all, we want to rebalance the anon lru active/inactive ratio.
        if (policy.InactiveIsLow) ShrinkActiveList(policy, _clusterMax);
        _host.FinishPlug(); // blk_finish_plug
        return true;
    }

    /// <summary>inactive_is_low of the root lruvec (6.x, hierarchical: every cgroup's anon lists together).</summary>
    private bool RootInactiveIsLow()
    {
        if (!_host.PerGuestMemcg) return _host.Policy.InactiveIsLow;
        long active = 0, inactive = 0;
        foreach (var lruvec in _host.Lruvecs)
        {
            active += lruvec.ActiveCount;
            inactive += lruvec.InactiveCount;
        }
        return inactive * TwoListPolicy.InactiveRatioFor((active + inactive) * _host.PageBytes) < active;
    }

    /// <summary>age_active_anon (balance_pgdat): for each cgroup's lruvec, shrink_active_list(SWAP_CLUSTER_MAX) when its inactive list is low.</summary>
    public void AgeActiveAnon(ScanControl sc)
    {
        _sc = sc;
        if (_host.SwapCache.Slots == 0) return;
        foreach (var lruvec in _host.Lruvecs)
            if (lruvec.InactiveIsLow) ShrinkActiveList(lruvec, _clusterMax);
    }

    /// <summary>
    /// get_scan_count for lruvec <paramref name="lruvec"/>: nr[lru] = size &gt;&gt; priority per anon list, scaled down
    /// for a cgroup above its memory.low in global reclaim (6.x, <see cref="MemCgroup.ProtectedScan"/>); nothing when
    /// swap is full (noswap).
    /// </summary>
    private void GetScanCount(ScanControl sc, int lruvec)
    {
        var policy = _host.Lruvecs[lruvec];
        if (_host.PageCache is { } pc)
        {
            GetScanCountWithFiles(sc, policy, pc);
            return;
        }
        // No page cache: file + free <= high holds in every global pass (kswapd and direct reclaim run at or below
        // high), so 3.4 puts all pressure on anon (fraction 1/1), as below.
        if (_host.SwapCache.FreeSlots == 0)
        {
            _host.Counters.SwapFullEvents++;
            sc.NrInactive = sc.NrActive = 0;
            return;
        }
        long protection = 0, usage = 0;
        if (!sc.CgroupReclaim && _host.PerGuestMemcg && !sc.MemcgLowReclaim && _host.Vms[lruvec].Memcg is { LowPages: > 0 } memcg)
        {
            protection = memcg.LowPages;
            usage = memcg.Usage;
            sc.MemcgLowSkipped = true;
        }
        sc.NrInactive = MemCgroup.ProtectedScan(policy.InactiveCount, protection, usage, _clusterMax, sc.Priority);
        sc.NrActive = MemCgroup.ProtectedScan(policy.ActiveCount, protection, usage, _clusterMax, sc.Priority);
        // force_scan: kswapd keeps polling an all_unreclaimable zone with a minimum batch.
        if (sc.IsKswapd && _host.AllUnreclaimable)
        {
            if (sc.NrInactive == 0) sc.NrInactive = _clusterMax;
            if (sc.NrActive == 0) sc.NrActive = _clusterMax;
        }
    }

    /// <summary>
    /// isolate_lru_pages for shrink_inactive_list: examine up to <paramref name="nrToScan"/> pages at the inactive
    /// tail (pgscan, zone-&gt;pages_scanned). The policy applies page_check_references as it goes: referenced pages
    /// are activated, the others taken off the LRU into the batch.
    /// </summary>
    private void IsolateLruPages(ScanControl sc, IReplacementPolicy policy, int nrToScan)
    {
        sc.IsolatedCount = sc.IsolatedNext = 0;
        sc.BatchReclaimedAt = sc.NrReclaimed;
        sc.BatchPageoutsAt = _host.Counters.SwapWrites;
        long activatedBefore = _activated;
        int budget = nrToScan;
        while (budget > 0 && policy.InactiveCount > 0)
        {
            int before = budget;
            int victim = policy.IsolateInactive(this, ref budget);
            CountScanned(sc, before - budget);
            if (victim < 0) continue;
            _host.Pages[victim].Set(HostPageFlags.Isolated);
            sc.Isolated[sc.IsolatedCount++] = victim;
        }
        sc.BatchTaken = nrToScan - budget;
        ReclaimStat.RecentScanned[0] += sc.BatchTaken; // shrink_inactive_list: recent_scanned[0] += nr_anon
        ReclaimStat.RecentRotated[0] += _activated - activatedBefore; // putback_inactive_pages: activated pages
    }

    /// <summary>
    /// 6.x shrink_inactive_list's lru_note_cost(anon, nr_pageout, nr_scanned - nr_reclaimed) once an anon batch is done
    /// (with a page cache only: without one no get_scan_count reads it).
    /// </summary>
    private void NoteAnonBatchCost(ScanControl sc)
    {
        if (sc.BatchTaken == 0 || _host.PageCache is null) return;
        if (_host.Kernel.WorkingsetRefault)
            ReclaimStat.LruNoteCost(false, _host.Counters.SwapWrites - sc.BatchPageoutsAt,
                Math.Max(0, sc.BatchTaken - (sc.NrReclaimed - sc.BatchReclaimedAt)), LruSizeWithFiles, _clusterMax);
        sc.BatchTaken = 0;
    }

    /// <summary>pgscan: <paramref name="pages"/> examined, each costing the reclaimer <see cref="CostConfig.ReclaimPageNs"/> of CPU.</summary>
    private void CountScanned(ScanControl sc, int pages)
    {
        sc.T += pages * _host.Costs.ReclaimPageNs;
        sc.NrScanned += pages;
        _host.Counters.PagesScanned += pages;
        _host.ZonePagesScanned += pages;
    }

    /// <summary>shrink_active_list: deactivate up to <paramref name="nrToScan"/> pages (zone-&gt;pages_scanned, pgrefill).</summary>
    private void ShrinkActiveList(IReplacementPolicy lruvec, int nrToScan)
    {
        long referencedBefore = _referenced;
        int scanned = lruvec.ShrinkActiveList(this, nrToScan);
        _host.ZonePagesScanned += scanned;
        _host.Counters.PagesDeactivated += scanned;
        // 3.4 shrink_active_list: recent_scanned += nr_taken, recent_rotated += the referenced pages (deactivated all the same).
        ReclaimStat.RecentScanned[0] += scanned;
        ReclaimStat.RecentRotated[0] += _referenced - referencedBefore;
    }

    /// <summary>
    /// page_referenced on a mapped anon page: ptep_clear_flush_young_notify on its one QEMU PTE (host young bit OR
    /// kvm_age_hva), then page_referenced_one's swap-token clause.
    /// </summary>
    public bool PageReferenced(int page)
    {
        ref var p = ref _host.Pages[page];
        if (p.State != HostPageState.Resident) return false; // unmapped: no PTE to walk, no notifier call
        bool referenced = ClearFlushYoung(page);
        if (_host.SwapToken.PretendReferenced(_host.GuestOf(page), _sc.Mm))
        {
            _host.Counters.SwapTokenReferences++;
            referenced = true;
        }
        if (referenced) _referenced++;
        return referenced;
    }

    /// <summary>
    /// page_check_references on an inactive page. 3.4: referenced PTEs activate a swap-backed page at once. 6.x
    /// folio_check_references (<see cref="HostKernel.AnonUsedOnce"/>): PG_referenced is tested and cleared; referenced
    /// PTEs set it again and activate the page only when it was already set (FOLIOREF_ACTIVATE), else give it another
    /// trip (FOLIOREF_KEEP); no referenced PTE reclaims it. 6.x move_folios_to_lru ages nonresident_age by each
    /// activated page (workingset_age_nonresident).
    /// </summary>
    public PageReferences CheckReferences(int page)
    {
        bool referencedPtes = PageReferenced(page);
        if (!_host.Kernel.AnonUsedOnce)
        {
            if (!referencedPtes) return PageReferences.Reclaim;
            _activated++;
            return PageReferences.Activate;
        }
        ref var p = ref _host.Pages[page];
        bool referencedPage = p.Has(HostPageFlags.Referenced);
        p.Clear(HostPageFlags.Referenced);
        if (!referencedPtes) return PageReferences.Reclaim;
        p.Set(HostPageFlags.Referenced);
        if (!referencedPage) return PageReferences.Keep;
        _host.Workingset?.AgeNonresident(_host.LruvecIndexOf(page), 1);
        _activated++;
        return PageReferences.Activate;
    }

    /// <summary>ptep_clear_flush_young_notify: test-and-clear the host PTE young bit and ask KVM (kvm_age_hva).</summary>
    private bool ClearFlushYoung(int page)
    {
        _host.Touched?.Add(page);
        ref var p = ref _host.Pages[page];
        bool young = p.Has(HostPageFlags.Young);
        p.Clear(HostPageFlags.Young);
        long t = _sc.T;
        young |= _host.VmOf(page).Notifier.AgeHva(page, ref t);
        _sc.T = t;
        return young;
    }

    /// <summary>shrink_page_list over the isolated batch; false when a write must wait for a request.</summary>
    private bool ShrinkPageList(ScanControl sc)
    {
        if (sc.PendingWrite >= 0)
        {
            if (!_host.SubmitPageout(sc.PendingWrite, sc.T)) return false;
            PutBack(sc.PendingWrite, active: false);
            sc.PendingWrite = -1;
            sc.SleptForRequest = false;
        }
        while (sc.IsolatedNext < sc.IsolatedCount)
        {
            int page = sc.Isolated[sc.IsolatedNext++];
            if (!ShrinkPage(sc, page)) return false;
        }
        return true;
    }

    /// <summary>
    /// shrink_page_list for one isolated page. Freed pages count in nr_reclaimed; a written page goes back to the
    /// inactive list under writeback with PG_reclaim (keep_lumpy) and is freed by a later scan once its write is done
    /// and rotate_reclaimable_page has moved it to the tail. False when its write must wait for a request.
    /// </summary>
    internal bool ShrinkPage(ScanControl sc, int hostPage)
    {
        _sc = sc;
        _host.Touched?.Add(hostPage);
        ref var page = ref _host.Pages[hostPage];
        // Locked (a read racing), under writeback, or pinned by PPC970's extra reference: keep on the inactive list.
        if (page.Has(HostPageFlags.Pinned | HostPageFlags.Writeback | HostPageFlags.Locked))
        {
            PutBack(hostPage, active: false);
            return true;
        }
        if (page.State == HostPageState.SwapCache)
        {
            if (page.Has(HostPageFlags.Dirty)) return Pageout(sc, hostPage);
            Free(sc, hostPage); // clean swap-cache page (read ahead or written back, unmapped): __remove_mapping
            return true;
        }
        if (page.SwapSlot < 0 && !_host.SwapCache.AddToSwap(ref page, hostPage))
        {
            _host.Counters.SwapFullEvents++;
            PutBack(hostPage, active: true); // activate_locked
            return true;
        }
        // 3.4 try_to_unmap_one: clear_flush_young again before unmapping (no swap-token clause there): SWAP_FAIL
        // activates. A policy that does not read reference bits evicts what it chose; 6.x never checks (TTU_IGNORE_ACCESS).
        if (_host.Kernel.UnmapChecksYoung && _host.LruvecOf(hostPage).UsesReferenceBits && ClearFlushYoung(hostPage))
        {
            PutBack(hostPage, active: true);
            return true;
        }
        page.State = HostPageState.SwapCache;
        page.Clear(HostPageFlags.Young | HostPageFlags.Writable);
        sc.T = _host.VmOf(hostPage).Notifier.InvalidatePage(hostPage, sc.T);
        if (page.Has(HostPageFlags.Dirty)) return Pageout(sc, hostPage);
        Free(sc, hostPage);
        return true;
    }

    /// <summary>
    /// pageout -> swap_writepage: clear_page_dirty_for_io, SetPageReclaim, set_page_writeback, then submit_bio, which
    /// sleeps in get_request_wait when all write requests are taken. The page goes back to the inactive list.
    /// </summary>
    private bool Pageout(ScanControl sc, int hostPage)
    {
        // zswap_store or a zram device: the write is over when swap_writepage returns, so shrink_page_list goes on to
        // free the page ("A synchronous write - probably a ramdisk"); a failed zram write leaves it dirty (keep).
        long t = sc.T;
        var write = _host.SwapWritepageSync(hostPage, ref t);
        sc.T = t;
        if (write == SwapWrite.Written)
        {
            Free(sc, hostPage);
            return true;
        }
        if (write == SwapWrite.Failed)
        {
            PutBack(hostPage, active: false);
            return true;
        }
        _host.StartWriteback(hostPage);
        if (!_host.SubmitPageout(hostPage, sc.T))
        {
            sc.PendingWrite = hostPage;
            return false;
        }
        PutBack(hostPage, active: false);
        return true;
    }

    private void Free(ScanControl sc, int hostPage)
    {
        _host.Pages[hostPage].Clear(HostPageFlags.Isolated);
        _host.FreePage(hostPage);
        sc.NrReclaimed++;
        sc.ZoneReclaimed++;
    }

    /// <summary>putback_inactive_pages: to the head of the inactive list, or of the active list after activate_locked.</summary>
    private void PutBack(int hostPage, bool active)
    {
        ref var page = ref _host.Pages[hostPage];
        page.Clear(HostPageFlags.Isolated);
        var lruvec = _host.LruvecOf(hostPage);
        if (page.State == HostPageState.SwappedOut || lruvec.Contains(hostPage)) return;
        if (active)
        {
            ReclaimStat.RecentRotated[0]++; // putback_inactive_pages: an activated page
            lruvec.Insert(hostPage);
            _host.Workingset?.AgeNonresident(_host.LruvecIndexOf(hostPage), 1); // move_folios_to_lru: an activated page
        }
        else lruvec.InsertInactive(hostPage);
    }
}
