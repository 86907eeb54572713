using HvSim.Engine;
using HvSim.Model.Config;
using HvSim.Model.Replacement;

namespace HvSim.Model.Mm;

/// <summary>
/// mm/vmscan.c of Linux 3.4 for the one zone of anonymous guest memory: do_try_to_free_pages' priority loop,
/// shrink_zone with get_scan_count's per-list targets, shrink_inactive_list / shrink_page_list and pageout. It is the
/// <see cref="IReferenceOracle"/> the policy consults: page_referenced() = host PTE young test-and-clear OR
/// kvm_age_hva, both always evaluated, plus 3.4's swap-token clause. Reclaim work happens at the reclaimer's clock
/// (<see cref="ScanControl.T"/>); tlbies make it take time, and a pass sleeps only where the kernel's does: in
/// get_request_wait when a write finds all 128 requests taken (the swap device is never "congested" for pageout:
/// swap_backing_dev_info is bust, says pageout's comment, so may_write_to_queue always allows the write).
/// </summary>
public sealed class Vmscan : IReferenceOracle
{
    public const int DefPriority = 12;
    private readonly Host _host;
    private readonly int _clusterMax;
    /// <summary>The pass being run (the reclaimer whose page_referenced calls the policy makes).</summary>
    private ScanControl _sc = null!;
    /// <summary>6.x lruvec-&gt;refaults[WORKINGSET_ANON]: WORKINGSET_ACTIVATE_ANON when the last reclaim pass ended (snapshot_refaults).</summary>
    private long _refaultsSnapshot;

    public Vmscan(Host host)
    {
        _host = host;
        _clusterMax = host.Config.Host.ReclaimBatchPages;
    }

    /// <summary>
    /// do_try_to_free_pages from DEF_PRIORITY down to 0 until <see cref="ScanControl.NrToReclaim"/> pages are freed.
    /// Returns false when the pass must sleep for a swap request (<see cref="GetRequestWait"/>); call again to
    /// carry on.
    /// </summary>
    public bool DoTryToFreePages(ScanControl sc)
    {
        while (sc.Priority >= 0)
        {
            if (!sc.LevelStarted && sc.Priority == 0) _host.SwapToken.Disable(); // disable_swap_token
            // shrink_zones: below DEF_PRIORITY an all_unreclaimable zone is left to kswapd (global reclaim only).
            bool skip = !sc.CgroupReclaim && !sc.LevelStarted && _host.AllUnreclaimable && sc.Priority != DefPriority;
            if (!skip && !ShrinkZone(sc)) return false;
            if (sc.NrReclaimed >= sc.NrToReclaim) break;
            // The nap below DEF_PRIORITY - 2 is wait_iff_congested, which sleeps only for a zone marked congested
            // (every dirty page PAGE_KEEP for a congested bdi): never for swap, whose bdi is never congested.
            sc.Priority--;
        }
        if (_host.Workingset != null) _refaultsSnapshot = _host.Workingset.ActivateAnon; // snapshot_refaults
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
    /// shrink_zone at <see cref="ScanControl.Priority"/> (shrink_mem_cgroup_zone): get_scan_count sets each anon list's
    /// target to its size &gt;&gt; priority (the whole list at 0; no file pages, so anon takes all the pressure), then
    /// SWAP_CLUSTER_MAX batches of the inactive list alternate with the active list (shrunk only when the inactive
    /// list is low) while inactive target remains; below DEF_PRIORITY it stops once nr_to_reclaim pages are freed.
    /// Its swap writes are plugged (blk_start_plug) and submitted when it ends or sleeps.
    /// Returns false when the pass must sleep for a swap request; call again to carry on.
    /// </summary>
    public bool ShrinkZone(ScanControl sc)
    {
        _sc = sc;
        var policy = _host.Policy;
        if (!sc.LevelStarted)
        {
            sc.LevelStarted = true;
            sc.ZoneReclaimed = 0;
            GetScanCount(sc);
            // 6.x prepare_scan_control: deactivate anon pages when refaults were activated since the last pass or the
            // inactive list is low; 3.4 asks inactive_anon_is_low before each active batch.
            var ws = _host.Workingset;
            sc.MayDeactivate = ws != null && (ws.ActivateAnon != _refaultsSnapshot || policy.InactiveIsLow);
        }
        while (sc.IsolatedNext < sc.IsolatedCount || sc.PendingWrite >= 0 || sc.NrInactive > 0)
        {
            if (sc.IsolatedNext == sc.IsolatedCount && sc.PendingWrite < 0)
            {
                int n = (int)Math.Min(sc.NrInactive, _clusterMax);
                sc.NrInactive -= n;
                IsolateLruPages(sc, n);
            }
            if (!ShrinkPageList(sc)) return false;
            if (sc.NrActive > 0)
            {
                int n = (int)Math.Min(sc.NrActive, _clusterMax);
                sc.NrActive -= n;
                if (_host.Workingset != null ? sc.MayDeactivate : policy.InactiveIsLow) ShrinkActiveList(n);
            }
            bool stopAtTarget = sc.Priority < DefPriority || (sc.CgroupReclaim && _host.Kernel.CgroupReclaimStopsAtTarget);
            if (sc.ZoneReclaimed >= sc.NrToReclaim && stopAtTarget) break;
        }
        sc.NrInactive = sc.NrActive = 0;
        // Even if we did not try to evict anon pages at all, we want to rebalance the anon lru active/inactive ratio.
        if (policy.InactiveIsLow) ShrinkActiveList(_clusterMax);
        _host.FinishPlug(); // blk_finish_plug
        sc.LevelStarted = false;
        return true;
    }

    /// <summary>age_active_anon (balance_pgdat): shrink_active_list(SWAP_CLUSTER_MAX) when the inactive list is low.</summary>
    public void AgeActiveAnon(ScanControl sc)
    {
        _sc = sc;
        if (_host.SwapCache.Slots > 0 && _host.Policy.InactiveIsLow) ShrinkActiveList(_clusterMax);
    }

    /// <summary>get_scan_count: nr[lru] = size &gt;&gt; priority per anon list; nothing when swap is full (noswap).</summary>
    private void GetScanCount(ScanControl sc)
    {
        var policy = _host.Policy;
        if (_host.SwapCache.FreeSlots == 0)
        {
            _host.Counters.SwapFullEvents++;
            sc.NrInactive = sc.NrActive = 0;
            return;
        }
        sc.NrInactive = policy.InactiveCount >> sc.Priority;
        sc.NrActive = policy.ActiveCount >> sc.Priority;
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
    private void IsolateLruPages(ScanControl sc, int nrToScan)
    {
        var policy = _host.Policy;
        sc.IsolatedCount = sc.IsolatedNext = 0;
        int budget = nrToScan;
        while (budget > 0 && policy.InactiveCount > 0)
        {
            int before = budget;
            int victim = policy.IsolateInactive(this, ref budget);
            CountScanned(sc, before - budget);
            if (victim < 0) continue;
            _host.Pages[victim].Flags |= HostPageFlags.Isolated;
            sc.Isolated[sc.IsolatedCount++] = victim;
        }
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
    private void ShrinkActiveList(int nrToScan)
    {
        int scanned = _host.Policy.ShrinkActiveList(this, nrToScan);
        _host.ZonePagesScanned += scanned;
        _host.Counters.PagesDeactivated += scanned;
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
        if (_host.SwapToken.PretendReferenced(p.Guest, _sc.Mm))
        {
            _host.Counters.SwapTokenReferences++;
            referenced = true;
        }
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
        if (!_host.Kernel.AnonUsedOnce) return referencedPtes ? PageReferences.Activate : PageReferences.Reclaim;
        ref var p = ref _host.Pages[page];
        bool referencedPage = p.Has(HostPageFlags.Referenced);
        p.Flags &= ~HostPageFlags.Referenced;
        if (!referencedPtes) return PageReferences.Reclaim;
        p.Flags |= HostPageFlags.Referenced;
        if (!referencedPage) return PageReferences.Keep;
        _host.Workingset?.AgeNonresident(1);
        return PageReferences.Activate;
    }

    /// <summary>ptep_clear_flush_young_notify: test-and-clear the host PTE young bit and ask KVM (kvm_age_hva).</summary>
    private bool ClearFlushYoung(int page)
    {
        _host.Touched?.Add(page);
        ref var p = ref _host.Pages[page];
        bool young = p.Has(HostPageFlags.Young);
        p.Flags &= ~HostPageFlags.Young;
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
        if (_host.Kernel.UnmapChecksYoung && _host.Policy.UsesReferenceBits && ClearFlushYoung(hostPage))
        {
            PutBack(hostPage, active: true);
            return true;
        }
        page.State = HostPageState.SwapCache;
        page.Flags &= ~(HostPageFlags.Young | HostPageFlags.Writable);
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
        _host.Pages[hostPage].Flags &= ~HostPageFlags.Isolated;
        _host.FreePage(hostPage);
        sc.NrReclaimed++;
        sc.ZoneReclaimed++;
    }

    /// <summary>putback_inactive_pages: to the head of the inactive list, or of the active list after activate_locked.</summary>
    private void PutBack(int hostPage, bool active)
    {
        ref var page = ref _host.Pages[hostPage];
        page.Flags &= ~HostPageFlags.Isolated;
        if (page.State == HostPageState.SwappedOut || _host.Policy.Contains(hostPage)) return;
        if (active)
        {
            _host.Policy.Insert(hostPage);
            _host.Workingset?.AgeNonresident(1); // move_folios_to_lru: an activated page
        }
        else _host.Policy.InsertInactive(hostPage);
    }
}
