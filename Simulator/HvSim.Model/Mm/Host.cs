using HvSim.Engine;
using HvSim.Model.Config;
using HvSim.Model.Guest;
using HvSim.Model.Hv;
using HvSim.Model.Replacement;
using HvSim.Model.Results;

namespace HvSim.Model.Mm;

/// <summary>
/// The host kernel's memory: physical pages and the free count, the anon LRU (whichever
/// <see cref="IReplacementPolicy"/> the scenario names), swap cache and swap device, kswapd and the QEMU memslots of
/// every guest. Host page ids index <see cref="Pages"/>; each guest owns a contiguous range.
/// </summary>
public sealed class Host : ISwapCompletion
{
    /// <summary>Per host page: the read it is locked for, null when none.</summary>
    private readonly SimEvent?[] _readsInFlight;
    private SimEvent? _pageFreed;
    /// <summary>The reclaim pass's plugged swap write (blk_start_plug), not yet submitted when SlotCount is 0.</summary>
    private SwapRequest _plug;

    public Host(Simulation sim, SimulationConfig config, IReadOnlyList<int> admitted, Func<int, IReplacementPolicy> policy)
    {
        Sim = sim;
        Config = config;
        Costs = config.Costs;
        PageBytes = config.Host.PageSizeBytes;
        TotalPages = config.Host.MemoryBytes / PageBytes;
        Watermarks = Watermarks.For(config.Host);
        int guestPages = 0;
        foreach (int g in admitted) guestPages = checked(guestPages + (int)(config.Guests[g].MemoryBytes / PageBytes));
        Pages = new HostPage[guestPages];
        for (int i = 0; i < Pages.Length; i++) Pages[i] = new HostPage { RmapHead = -1, SwapSlot = -1 };
        Policy = policy(guestPages);
        ObservesAccesses = Policy.ObservesAccesses;
        _readsInFlight = new SimEvent?[guestPages];
        SwapDevice = new SwapDevice(sim, config.Host.Swap, sim.Rng("swap-device"), this);
        SwapCache = new SwapCache(config.Host.Swap.CapacityBytes, PageBytes, config.Host.Swap.ReadaheadPages);
        ReservedPages = (config.Host.ReservedBytes + PageBytes - 1) / PageBytes;
        int basePage = 0;
        for (int i = 0; i < admitted.Count; i++)
        {
            var vm = new Vm(i, admitted[i], config.Guests[admitted[i]], config.Platform, basePage, PageBytes, Pages, config);
            Vms.Add(vm);
            basePage += vm.HostPageCount;
        }
        RmaPages = RmaPool.For(config).TotalPages;
        FreePages = TotalPages - ReservedPages - RmaPages;
        Counters = new HostResult
        {
            MemoryBytes = config.Host.MemoryBytes, PageSizeBytes = PageBytes,
            WatermarkMinPages = Watermarks.Min, WatermarkLowPages = Watermarks.Low, WatermarkHighPages = Watermarks.High,
        };
        Vmscan = new Vmscan(this);
        Kswapd = new Kswapd(this);
    }

    public Simulation Sim { get; }
    public SimulationConfig Config { get; }
    public CostConfig Costs { get; }
    public int PageBytes { get; }
    public long TotalPages { get; }
    /// <summary>Pages the host kernel and QEMU keep for themselves.</summary>
    public long ReservedPages { get; }
    /// <summary>PPC970: the RMA pool preallocated at boot (kvm_rma_count RMAs), whether or not guests took them.</summary>
    public long RmaPages { get; }
    public long FreePages { get; private set; }
    public Watermarks Watermarks { get; }
    public HostPage[] Pages { get; }
    public IReplacementPolicy Policy { get; }
    public bool ObservesAccesses { get; }
    public SwapDevice SwapDevice { get; }
    public SwapCache SwapCache { get; }
    public Vmscan Vmscan { get; }
    public Kswapd Kswapd { get; }
    public List<Vm> Vms { get; } = new();
    public HostResult Counters { get; }
    /// <summary>Pages under swap writeback: reclaimed, freed when the write completes.</summary>
    public long WritebackPages { get; private set; }
    /// <summary>With invariant checking on: the pages events changed since the last check; null otherwise.</summary>
    public Check.TouchedPages? Touched { get; set; }

    public Vm VmOf(int hostPage) => Vms[Pages[hostPage].Guest];

    /// <summary>get_page_from_freelist above the low watermark: no reclaim involved.</summary>
    public bool TryAllocateFast()
    {
        if (FreePages <= Watermarks.Low) return false;
        FreePages--;
        return true;
    }

    /// <summary>Take a page below the low watermark (ALLOC_WMARK_MIN or, when reclaim is hopeless, the reserves).</summary>
    public void TakeFreePage()
    {
        if (FreePages <= 0) throw new InvalidOperationException("no free host page");
        FreePages--;
    }

    /// <summary>Return an allocated page that was not used (a racing fault already brought the page in).</summary>
    public void ReturnFreePage()
    {
        FreePages++;
        WakePageFreedWaiters();
    }

    /// <summary>Wait for any page to be freed (congestion_wait on writeback, or an exhausted machine).</summary>
    public SimEvent PageFreed => _pageFreed ??= Sim.NewEvent();

    private void WakePageFreedWaiters()
    {
        if (_pageFreed == null) return;
        var e = _pageFreed;
        _pageFreed = null;
        e.Trigger();
    }

    /// <summary>
    /// A clean, unmapped swap-cache page leaves RAM (__remove_mapping + free_hot_cold_page): only its swap copy remains.
    /// </summary>
    public void FreePage(int hostPage)
    {
        Touched?.Add(hostPage);
        ref var page = ref Pages[hostPage];
        if (Policy.Contains(hostPage)) Policy.Remove(hostPage);
        page.State = HostPageState.SwappedOut;
        page.Flags &= HostPageFlags.RmapReferenced | HostPageFlags.RmapChanged;
        FreePages++;
        VmOf(hostPage).Counters.PagesReclaimed++;
        WakePageFreedWaiters();
    }

    /// <summary>
    /// do_anonymous_page for a never-touched page: a zeroed, writable, dirty page (a read does not map the shared zero
    /// page here: every first touch allocates).
    /// </summary>
    public void ZeroFill(int hostPage)
    {
        Touched?.Add(hostPage);
        ref var page = ref Pages[hostPage];
        page.State = HostPageState.Resident;
        page.Flags |= HostPageFlags.Young | HostPageFlags.Writable | HostPageFlags.Dirty;
        Policy.Insert(hostPage);
    }

    /// <summary>
    /// do_swap_page on a page found in the swap cache: map it again (writable and redirtied only for a store, which
    /// also drops the swap copy via reuse_swap_page; try_to_free_swap when swap is more than half full).
    /// </summary>
    public void MapSwapCachePage(int hostPage, bool write)
    {
        Touched?.Add(hostPage);
        ref var page = ref Pages[hostPage];
        page.State = HostPageState.Resident;
        page.Flags |= HostPageFlags.Young;
        if (write) MakeWritable(ref page);
        else if (SwapCache.IsFull && !page.Has(HostPageFlags.Writeback))
        {
            SwapCache.Free(ref page);
            page.Flags |= HostPageFlags.Dirty;
        }
        if (!Policy.Contains(hostPage)) Policy.InsertInactive(hostPage); // under writeback: back where reclaim left it
    }

    /// <summary>do_wp_page on an exclusive anon page (reuse_swap_page): writable, dirty, swap copy dropped.</summary>
    public void MakeWritable(ref HostPage page)
    {
        page.Flags |= HostPageFlags.Writable | HostPageFlags.Dirty;
        if (page.SwapSlot >= 0 && !page.Has(HostPageFlags.Writeback)) SwapCache.Free(ref page);
    }

    /// <summary>The event a fault waits on while <paramref name="hostPage"/> is locked for a swap read.</summary>
    public SimEvent ReadInFlight(int hostPage) => _readsInFlight[hostPage]!;

    /// <summary>
    /// swapin_readahead at <paramref name="t"/>: read the target page plus the swapped-out pages of its aligned cluster
    /// (while free pages stay above min) in one request; all are locked in the swap cache until it completes.
    /// The target's page was allocated by the caller. Returns the completion event.
    /// </summary>
    public SimEvent SwapIn(int hostPage, long t)
    {
        var done = Sim.NewEvent();
        var (first, end) = SwapCache.ReadaheadCluster(Pages[hostPage].SwapSlot);
        int count = 1;
        LockForRead(hostPage, done);
        for (int s = first; s < end; s++)
        {
            int p = SwapCache.OwnerOf(s);
            if (p < 0 || p == hostPage || Pages[p].State != HostPageState.SwappedOut || FreePages <= Watermarks.Min) continue;
            FreePages--;
            LockForRead(p, done);
            count++;
        }
        Counters.SwapReadRequests++;
        SwapDevice.Submit(new SwapRequest { IsRead = true, FirstSlot = first, SlotCount = end - first, Bytes = (long)count * PageBytes, QueuedAt = t, Done = done });
        return done;
    }

    private void LockForRead(int hostPage, SimEvent done)
    {
        Touched?.Add(hostPage);
        Pages[hostPage].State = HostPageState.SwapCache;
        Pages[hostPage].Flags |= HostPageFlags.Locked;
        _readsInFlight[hostPage] = done;
    }

    /// <summary>end_swap_bio_read / end_swap_bio_write.</summary>
    void ISwapCompletion.EndIo(in SwapRequest request)
    {
        if (request.IsRead) EndSwapBioRead(request);
        else EndSwapBioWrite(request);
    }

    /// <summary>end_swap_bio_read + unlock_page: the pages join the LRU as clean swap-cache pages.</summary>
    private void EndSwapBioRead(in SwapRequest request)
    {
        for (int s = request.FirstSlot; s < request.FirstSlot + request.SlotCount; s++)
        {
            int p = SwapCache.OwnerOf(s);
            if (p < 0 || _readsInFlight[p] != request.Done) continue;
            Touched?.Add(p);
            Pages[p].Flags &= ~HostPageFlags.Locked;
            _readsInFlight[p] = null;
            Policy.InsertInactive(p); // read_swap_cache_async -> lru_cache_add_anon (3.x: inactive list)
            VmOf(p).Counters.SwapIns++;
            Counters.SwapReads++;
        }
        request.Done!.Trigger();
    }

    /// <summary>
    /// may_write_to_queue: kswapd (PF_SWAPWRITE) writes while a request descriptor is free; a direct reclaimer does
    /// not write to a write-congested queue (its dirty pages stay in the swap cache, PAGE_KEEP).
    /// </summary>
    public bool MayWriteToQueue(bool kswapd) => kswapd ? !SwapDevice.WriteRequestsExhausted : !SwapDevice.WriteCongested;

    /// <summary>
    /// pageout -> swap_writepage at <paramref name="t"/>: the page is clean and under writeback. Its bio joins the
    /// reclaim pass's plug, merging with the previous one when the swap slots are consecutive.
    /// </summary>
    public void Pageout(int hostPage, long t)
    {
        Touched?.Add(hostPage);
        ref var page = ref Pages[hostPage];
        page.Flags = (page.Flags & ~HostPageFlags.Dirty) | HostPageFlags.Writeback;
        WritebackPages++;
        VmOf(hostPage).Counters.SwapOuts++;
        Counters.SwapWrites++;
        if (_plug.SlotCount > 0 && page.SwapSlot == _plug.FirstSlot + _plug.SlotCount)
        {
            _plug.SlotCount++;
            _plug.Bytes += PageBytes;
            _plug.QueuedAt = t;
            return;
        }
        FinishPlug();
        _plug = new SwapRequest { FirstSlot = page.SwapSlot, SlotCount = 1, Bytes = PageBytes, QueuedAt = t };
    }

    /// <summary>blk_finish_plug at the end of a reclaim pass: submit the merged swap write.</summary>
    public void FinishPlug()
    {
        if (_plug.SlotCount == 0) return;
        Counters.SwapWriteRequests++;
        SwapDevice.Submit(_plug);
        _plug = default;
    }

    /// <summary>
    /// end_page_writeback for each page of the request: rotate_reclaimable_page puts the page at the inactive tail,
    /// where the next scan frees it if it is still clean and unmapped; the model frees it right away.
    /// </summary>
    private void EndSwapBioWrite(in SwapRequest request)
    {
        for (int s = request.FirstSlot; s < request.FirstSlot + request.SlotCount; s++)
        {
            int hostPage = SwapCache.OwnerOf(s);
            Touched?.Add(hostPage);
            ref var page = ref Pages[hostPage];
            page.Flags &= ~HostPageFlags.Writeback;
            WritebackPages--;
            if (page.State == HostPageState.SwapCache && !page.Has(HostPageFlags.Dirty)) FreePage(hostPage);
        }
        WakePageFreedWaiters();
    }
}
