using HvSim.Model.Replacement;

namespace HvSim.Model.Mm;

/// <summary>
/// mm/vmscan.c of the 3.x kernel: the priority loop over the anon LRU (scan lru_size &gt;&gt; priority from
/// DEF_PRIORITY 12 down to 0) and shrink_page_list for each isolated page (kernel-model.md §3). It is the
/// <see cref="IReferenceOracle"/> the policy consults: page_referenced() = host PTE young test-and-clear OR
/// kvm_age_hva, both always evaluated. Reclaim work happens at the caller's instant; tlbies make it take time.
/// </summary>
public sealed class Vmscan : IReferenceOracle
{
    public const int DefPriority = 12;
    private readonly Host _host;
    /// <summary>Time inside the current reclaim pass: start plus the tlbies issued so far.</summary>
    private long _t;
    /// <summary>The current pass may submit swap writes (may_write_to_queue, checked per page).</summary>
    private bool _kswapd;
    /// <summary>Dirty pages the current pass kept because it may not write to the congested queue.</summary>
    private int _keptDirty;

    public Vmscan(Host host) => _host = host;

    /// <summary>
    /// do_try_to_free_pages / one kswapd batch at <paramref name="now"/>: reclaim up to <paramref name="nrToReclaim"/>
    /// pages (freed or put under writeback). <paramref name="end"/> is when the reclaiming thread is done. The pass's
    /// swap writes are plugged and merged. Once the pass is below DEF_PRIORITY - 2 having kept dirty pages for a
    /// congested queue it stops: the caller naps (wait_iff_congested) instead of unmapping the whole LRU.
    /// </summary>
    public int Shrink(int nrToReclaim, long now, out long end, bool kswapd = false)
    {
        _t = now;
        _kswapd = kswapd;
        _keptDirty = 0;
        int reclaimed = 0;
        var policy = _host.Policy;
        if (_host.SwapCache.FreeSlots == 0)
        {
            // get_scan_count: with no swap space anon lists are not scanned at all.
            _host.Counters.SwapFullEvents++;
            end = now;
            return 0;
        }
        for (int priority = DefPriority; priority >= 0 && reclaimed < nrToReclaim; priority--)
        {
            if (priority < DefPriority - 2 && _keptDirty > 0) break;
            int budget = policy.Count >> priority;
            while (budget > 0 && reclaimed < nrToReclaim)
            {
                int before = budget;
                int victim = policy.IsolateVictim(this, ref budget);
                _host.Counters.PagesScanned += before - budget;
                if (victim < 0) break;
                if (ShrinkPage(victim)) reclaimed++;
            }
        }
        _host.FinishPlug();
        end = _t;
        return reclaimed;
    }

    /// <summary>page_referenced on a mapped anon page: ptep_clear_flush_young_notify on its one QEMU PTE.</summary>
    public bool PageReferenced(int page)
    {
        _host.Touched?.Add(page);
        ref var p = ref _host.Pages[page];
        if (p.State != HostPageState.Resident) return false; // unmapped: no PTE to walk, no notifier call
        bool young = p.Has(HostPageFlags.Young);
        p.Flags &= ~HostPageFlags.Young;
        young |= _host.VmOf(page).Notifier.AgeHva(page, ref _t);
        return young;
    }

    /// <summary>
    /// shrink_page_list for one page isolated from the inactive list; true when it was freed or put under writeback.
    /// Pages it gives up on go back to the inactive list (keep: putback_lru_page); only activate_locked activates.
    /// </summary>
    internal bool ShrinkPage(int hostPage)
    {
        _host.Touched?.Add(hostPage);
        ref var page = ref _host.Pages[hostPage];
        // PPC970 pins hold an extra reference, and locked or writeback pages cannot go now: keep them on the LRU.
        if (page.Has(HostPageFlags.Pinned | HostPageFlags.Writeback | HostPageFlags.Locked))
        {
            _host.Policy.InsertInactive(hostPage);
            return false;
        }
        if (page.State == HostPageState.SwapCache)
        {
            if (page.Has(HostPageFlags.Dirty)) return Pageout(hostPage); // unmapped earlier, kept for a congested queue
            _host.FreePage(hostPage); // clean swap-cache page (read ahead, never mapped): dropped
            return true;
        }
        if (page.SwapSlot < 0 && !_host.SwapCache.AddToSwap(ref page, hostPage))
        {
            _host.Counters.SwapFullEvents++;
            _host.Policy.Insert(hostPage); // activate_locked
            return false;
        }
        // try_to_unmap_one: clear_flush_young again before unmapping; a young page is activated.
        if (PageReferenced(hostPage))
        {
            _host.Policy.Insert(hostPage);
            return false;
        }
        page.State = HostPageState.SwapCache;
        page.Flags &= ~(HostPageFlags.Young | HostPageFlags.Writable);
        _t = _host.VmOf(hostPage).Notifier.InvalidatePage(hostPage, _t);
        if (page.Has(HostPageFlags.Dirty)) return Pageout(hostPage);
        _host.FreePage(hostPage);
        return true;
    }

    /// <summary>The PageDirty branch of shrink_page_list: pageout when may_write_to_queue allows, else keep the page.</summary>
    private bool Pageout(int hostPage)
    {
        if (!_host.MayWriteToQueue(_kswapd))
        {
            _keptDirty++;
            _host.Counters.PageoutsDeferred++;
            _host.Policy.InsertInactive(hostPage);
            return false;
        }
        _host.Pageout(hostPage, _t);
        return true;
    }
}
