using System.Runtime.CompilerServices;
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
public sealed partial class Host : ISwapCompletion
{
    /// <summary>
    /// The read each page locked for swap-in waits on and when the device started serving it (long.MaxValue while it
    /// is still queued), by host page: like the kernel's hashed page wait queues (page_waitqueue, mm/filemap.c), state
    /// for the few pages in flight only, not words per page.
    /// </summary>
    private readonly Dictionary<int, (SimEvent Done, long StartedAt)> _readsInFlight = new();
    private SimEvent? _pageFreed;
    /// <summary>The reclaim pass's plugged swap write (blk_start_plug), not yet submitted when SlotCount is 0.</summary>
    private SwapRequest _plug;

    /// <param name="tables">The run's lease its guests' big tables come from (<see cref="TablePool"/>); fresh arrays without one.</param>
    public Host(Simulation sim, SimulationConfig config, IReadOnlyList<int> admitted, Func<int, IReplacementPolicy> policy,
        TablePool.Lease? tables = null)
    {
        Sim = sim;
        Config = config;
        Costs = config.Costs;
        PageBytes = config.Host.PageSizeBytes;
        TotalPages = config.Host.MemoryBytes / PageBytes;
        Watermarks = Watermarks.For(config.Host);
        int guestPages = 0;
        foreach (int g in admitted) guestPages = checked(guestPages + (int)(config.Guests[g].MemoryBytes / PageBytes));
        Pages = HugePages.NewArray<HostPage>(guestPages); // all zero: never touched, no swap slot, no rmap chain
        PerGuestMemcg = config.HasGuestMemcgs;
        Lruvecs = PerGuestMemcg ? MemCgroup.Lruvecs(guestPages, admitted.Count, PageBytes) : [policy(guestPages)];
        Kernel = config.Host.Kernel;
        ObservesAccesses = Policy.ObservesAccesses;
        WarmupEndNs = config.WarmupAuto ? long.MaxValue : config.WarmupNs;
        SwapDevice = new SwapDevice(sim, config.Host.Swap, sim.Rng("swap-device"), this);
        SwapCache = new SwapCache(config.Host.Swap.CapacityBytes, PageBytes);
        int filePages = config.Host.PageCache.Enabled ? PageCache.PagesFor(config.Host.PageCache, PageBytes) : 0;
        Workingset = Kernel.WorkingsetRefault ? new Workingset(SwapCache.Slots + filePages, Lruvecs.Length) : null;
        // swap_use_vma_readahead: 6.x reads virtual neighbours unless a swap device is rotational.
        VmaReadahead = Kernel.VmaSwapReadahead && !config.Host.Swap.Rotational
            ? new SwapVmaReadahead(admitted.Count, config.Host.Swap.ReadaheadPages, PageBytes) : null;
        ClusterReadahead = new SwapClusterReadahead(config.Host.Swap.ReadaheadPages, adaptive: Kernel.VmaSwapReadahead);
        ReservedPages = (config.Host.ReservedBytes + PageBytes - 1) / PageBytes;
        int basePage = 0;
        for (int i = 0; i < admitted.Count; i++)
        {
            var vm = new Vm(i, admitted[i], config.Guests[admitted[i]], config.Platform, basePage, PageBytes, Pages, config, tables);
            Vms.Add(vm);
            basePage += vm.HostPageCount;
            if (config.HasBalloon(vm.Config)) vm.Balloon = new VirtioBalloon(vm, this);
        }
        _guestOfChunk = GuestChunks(Vms, guestPages, out _guestChunkShift);
        RmaPages = RmaPool.AtBoot(config, admitted.Count).TotalPages;
        foreach (int g in admitted) KvmPages += KvmGuestMemory.For(config.Guests[g], config.Platform, PageBytes).TotalPages;
        HugetlbPages = HugetlbPool.AtBoot(config.Host, admitted.Sum(g => HugetlbPool.HugePagesFor(config.Guests[g]))).TotalPages;
        FreePages = TotalPages - ReservedPages - RmaPages - KvmPages - HugetlbPages;
        Counters = new HostResult
        {
            MemoryBytes = config.Host.MemoryBytes, PageSizeBytes = PageBytes,
            WatermarkMinPages = Watermarks.Min, WatermarkLowPages = Watermarks.Low, WatermarkHighPages = Watermarks.High,
        };
        Vmscan = new Vmscan(this);
        Kswapd = new Kswapd(this);
        PageAlloc = new PageAlloc(this);
        MmapSem = new MmapSem(admitted.Count);
        SwapToken = new SwapToken(config.Host.SwapToken && Kernel.HasSwapToken, admitted.Count, MmapSem);
        Ksm = config.Host.Ksm.Run ? new Ksm(this) : null;
        PageCache = config.Host.PageCache.Enabled ? new PageCache(this, config.Host.PageCache) : null;
        Flusher = PageCache is null ? null : new Flusher(this, PageCache);
        Zram = config.Host.Swap.IsZram ? new Zram(this, SwapCache.Slots) : null;
        Zswap = config.Host.Zswap.Enabled ? new Zswap(this, SwapCache.Slots) : null;
        if (Zram != null) SwapCache.SlotFreeNotify = Zram.FreePage; // zram_slot_free_notify
        if (Zswap != null) SwapCache.SlotFreeNotify = Zswap.Invalidate; // swap_entry_free -> zswap_invalidate
        GuestExecution = new GuestExecution(sim, config.ReferenceMode);
    }

    /// <summary>The host page cache of the host I/O stream's file; null without host I/O (host.page_cache).</summary>
    public PageCache? PageCache { get; }
    /// <summary>The flusher thread writing the page cache's dirty pages back; null without a page cache.</summary>
    public Flusher? Flusher { get; }

    /// <summary>The workingset shadow slot of page-cache page <paramref name="filePage"/>: after the swap slots.</summary>
    public int FileShadowIndex(int filePage) => SwapCache.Slots + filePage;

    /// <summary>
    /// workingset_test_recent's workingset size (6.x mm/workingset.c) for a refault of a file or anon page in
    /// <paramref name="lruvec"/>: the active file list, plus the inactive file list for an anon refault; with swap
    /// room, the active anon list too, plus the inactive anon list for a file refault.
    /// </summary>
    public long WorkingsetSize(bool file, int lruvec = 0)
    {
        long size = PageCache is { } pc ? pc.ActiveCount + (file ? 0 : pc.InactiveCount) : 0;
        if (SwapCache.FreeSlots > 0) size += Lruvecs[lruvec].ActiveCount + (file ? Lruvecs[lruvec].InactiveCount : 0);
        return size;
    }

    /// <summary>A page-cache page reclaim freed (__remove_mapping + free_hot_cold_page): pgsteal, and the zone is reclaimable again.</summary>
    public void FreeCachePage()
    {
        FreePages++;
        ZonePagesScanned = 0;
        AllUnreclaimable = false;
        Counters.PagesFreed++;
        Counters.FilePagesFreed++;
        WakePageFreedWaiters();
    }

    /// <summary>The swap device when it is zram; null for a block device.</summary>
    public Zram? Zram { get; }

    /// <summary>zswap in front of the swap device; null unless host.zswap.</summary>
    public Zswap? Zswap { get; }

    /// <summary>Host pages held by the compressed pools of zram and zswap.</summary>
    public long CompressedPoolPages => (Zram?.Pool.Pages ?? 0) + (Zswap?.Pool.Pages ?? 0);

    /// <summary>What the compressor makes of <paramref name="hostPage"/>'s contents (<see cref="PageContents"/>).</summary>
    public int CompressedBytes(int hostPage)
    {
        var vm = VmOf(hostPage);
        return PageContents.CompressedBytes(vm.Config, vm.ConfigIndex, hostPage - vm.HostBase, PageBytes);
    }

    /// <summary>Pages for a compressed pool (zs_malloc from reclaim, which may use the reserves): false when none are free.</summary>
    public bool TakePoolPages(long n)
    {
        if (FreePages < n) return false;
        FreePages -= n;
        return true;
    }

    /// <summary>Pages a compressed pool no longer needs go back to the free list.</summary>
    public void ReturnPoolPages(long n)
    {
        FreePages += n;
        WakePageFreedWaiters();
    }

    /// <summary>A page for zswap's writeback (GFP_KERNEL from the worker, which does not reclaim here): only above the min watermark.</summary>
    public bool TakePageForWriteback()
    {
        if (FreePages <= Watermarks.Min) return false;
        FreePages--;
        return true;
    }

    /// <summary>The guests' steps on the host's hardware threads, in time order (one per host, shared by every vcore).</summary>
    public GuestExecution GuestExecution { get; }

    /// <summary>Kernel samepage merging; null unless host.ksm runs.</summary>
    public Ksm? Ksm { get; }

    /// <summary>
    /// A page merged into a KSM page gives up its own memory (replace_page: page_remove_rmap + put_page): off the LRU,
    /// uncharged, its swap copy dropped, mapped read-only.
    /// </summary>
    public void ReleaseMergedPage(int hostPage)
    {
        Touched?.Add(hostPage);
        ref var page = ref Pages[hostPage];
        var lruvec = LruvecOf(hostPage);
        if (lruvec.Contains(hostPage)) lruvec.Remove(hostPage);
        if (page.SwapSlot >= 0) SwapCache.Free(ref page);
        page.Clear(HostPageFlags.Writable | HostPageFlags.Dirty | HostPageFlags.Referenced);
        VmOf(hostPage).Memcg.Uncharge();
        FreePages++;
        WakePageFreedWaiters();
    }

    /// <summary>The page that becomes a new KSM page (try_to_merge_two_pages keeps one of the two merged pages' memory).</summary>
    public void TakeKsmPage() => TakeFreePage();

    public Simulation Sim { get; }
    public SimulationConfig Config { get; }
    public CostConfig Costs { get; }
    public int PageBytes { get; }
    public long TotalPages { get; }
    /// <summary>Pages the host kernel and QEMU keep for themselves.</summary>
    public long ReservedPages { get; }
    /// <summary>PPC970: the RMA pool preallocated at boot (kvm_rma_count RMAs), whether or not guests took them.</summary>
    public long RmaPages { get; }
    /// <summary>What KVM allocated in the host kernel for the admitted guests (HPTs, revmaps, rmaps, slot_phys): never reclaimable.</summary>
    public long KvmPages { get; }
    /// <summary>The hugetlbfs pool set aside at boot (vm.nr_hugepages), whether or not guests use it all.</summary>
    public long HugetlbPages { get; }
    public long FreePages { get; private set; }
    public Watermarks Watermarks { get; }
    public HostPage[] Pages { get; }
    /// <summary>
    /// Each guest's QEMU runs in a memory cgroup of its own (any guests.memory_max/high/low set): every guest has its own
    /// lruvec and reclaim walks them one by one (3.4 shrink_zone's mem_cgroup_iter, 6.x shrink_node_memcgs). Otherwise
    /// all guests share one LRU.
    /// </summary>
    public bool PerGuestMemcg { get; }
    /// <summary>The anon LRUs: one per guest (<see cref="PerGuestMemcg"/>) or the one the guests share.</summary>
    public IReplacementPolicy[] Lruvecs { get; }
    /// <summary>The first lruvec: the host's one LRU unless <see cref="PerGuestMemcg"/>.</summary>
    public IReplacementPolicy Policy => Lruvecs[0];
    /// <summary>The kernel whose memory management this host follows (host.kernel).</summary>
    public HostKernel Kernel { get; }
    /// <summary>Workingset refault detection for anon pages (6.x); null on 3.4.</summary>
    public Workingset? Workingset { get; }
    public bool ObservesAccesses { get; }
    public SwapDevice SwapDevice { get; }
    public SwapCache SwapCache { get; }
    /// <summary>6.x VMA-based swap readahead state per guest; null on 3.4 and with a rotational swap device (cluster readahead).</summary>
    public SwapVmaReadahead? VmaReadahead { get; }
    /// <summary>The swap-slot cluster readahead, used where <see cref="VmaReadahead"/> is null.</summary>
    public SwapClusterReadahead ClusterReadahead { get; }
    public Vmscan Vmscan { get; }
    public Kswapd Kswapd { get; }
    public List<Vm> Vms { get; } = new();
    public HostResult Counters { get; }
    /// <summary>Pages under swap writeback (PG_writeback): not yet freeable; a later scan frees them once written.</summary>
    public long WritebackPages { get; private set; }
    /// <summary>zone-&gt;pages_scanned: LRU pages scanned since a page was last freed.</summary>
    public long ZonePagesScanned { get; set; }
    /// <summary>zone-&gt;all_unreclaimable: set by kswapd when the zone was scanned six times over without a page freed.</summary>
    public bool AllUnreclaimable { get; set; }
    /// <summary>zone_reclaimable: pages_scanned &lt; zone_reclaimable_pages * 6 (file LRU pages, and anon LRU pages while swap has room).</summary>
    public bool ZoneReclaimable => ZonePagesScanned < ((SwapCache.FreeSlots > 0 ? LruPages : 0) + (PageCache?.LruCount ?? 0)) * 6L;

    /// <summary>Pages on every lruvec's lists.</summary>
    public long LruPages
    {
        get
        {
            long n = 0;
            foreach (var lruvec in Lruvecs) n += lruvec.Count;
            return n;
        }
    }

    /// <summary>Per chunk of 2^<see cref="_guestChunkShift"/> host pages: the guest whose memslot holds it.</summary>
    private readonly byte[] _guestOfChunk;
    private readonly int _guestChunkShift;

    /// <summary>
    /// The guest (its <see cref="Vm.Index"/>) whose memslot holds <paramref name="hostPage"/>: the memslot lookup
    /// (search_memslots) as a table of chunks, each the largest power of two of pages that divides every guest's size,
    /// so it holds one byte per chunk, not per page.
    /// </summary>
    public int GuestOf(int hostPage) => _guestOfChunk[hostPage >> _guestChunkShift];

    /// <summary>The chunk table of <see cref="GuestOf"/>; its chunks never straddle two guests, since every memslot starts and ends on one.</summary>
    private static byte[] GuestChunks(IReadOnlyList<Vm> vms, int pages, out int shift)
    {
        shift = GuestChunkShift(vms.Select(vm => vm.HostPageCount));
        var table = new byte[(pages >> shift) + 1];
        foreach (var vm in vms)
            for (int c = vm.HostBase >> shift; c < (vm.HostBase + vm.HostPageCount) >> shift; c++) table[c] = checked((byte)vm.Index);
        return table;
    }

    /// <summary>log2 of <see cref="GuestOf"/>'s chunk: the largest power of two (up to 2^30) dividing every guest's host page count.</summary>
    public static int GuestChunkShift(IEnumerable<int> guestHostPages) =>
        guestHostPages.Select(n => System.Numerics.BitOperations.TrailingZeroCount(n | (1 << 30))).DefaultIfEmpty(30).Min();

    /// <summary>The index of the lruvec <paramref name="hostPage"/> is charged to (mem_cgroup_page_lruvec / folio_lruvec).</summary>
    public int LruvecIndexOf(int hostPage) => LruvecIndexOfGuest(GuestOf(hostPage));

    /// <summary>The index of the lruvec the pages of guest <paramref name="guest"/> (its <see cref="Vm.Index"/>) are charged to.</summary>
    private int LruvecIndexOfGuest(int guest) => PerGuestMemcg ? guest : 0;

    /// <summary>The lruvec <paramref name="hostPage"/> is charged to.</summary>
    public IReplacementPolicy LruvecOf(int hostPage) => Lruvecs[LruvecIndexOf(hostPage)];
    public PageAlloc PageAlloc { get; }
    public SwapToken SwapToken { get; }
    public MmapSem MmapSem { get; }
    /// <summary>With invariant checking on: the pages events changed since the last check; null otherwise.</summary>
    public Check.TouchedPages? Touched { get; set; }

    public Vm VmOf(int hostPage) => Vms[GuestOf(hostPage)];

    /// <summary>get_page_from_freelist above the low watermark: no reclaim involved.</summary>
    public bool TryAllocateFast()
    {
        if (FreePages <= Watermarks.Low) return false;
        FreePages--;
        return true;
    }

    /// <summary>
    /// A page for <paramref name="vm"/> without reclaim: its cgroup can be charged (below memory.max) and the zone is
    /// above the low watermark. Otherwise <see cref="PageAlloc.AllocPagesSlowpath"/> reclaims.
    /// </summary>
    public bool TryAllocateFast(Vm vm) => !vm.Memcg.OverLimit && TryAllocateFast();

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

    /// <summary>Wait for any page to be freed (an exhausted machine).</summary>
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
        var lruvec = LruvecOf(hostPage);
        if (lruvec.Contains(hostPage)) lruvec.Remove(hostPage);
        page.State = HostPageState.SwappedOut;
        page.Flags &= HostPageFlags.RmapReferenced | HostPageFlags.RmapChanged;
        Workingset?.Eviction(page.SwapSlot, LruvecIndexOf(hostPage)); // __remove_mapping -> workingset_eviction: the shadow entry in the slot
        VmOf(hostPage).Memcg.Uncharge();
        FreePages++;
        ZonePagesScanned = 0; // free_pcppages_bulk: the zone is reclaimable again
        AllUnreclaimable = false;
        VmOf(hostPage).Counters.PagesReclaimed++;
        Counters.PagesFreed++;
        WakePageFreedWaiters();
    }

    /// <summary>
    /// get_user_pages_fast for a fault on <paramref name="hostPage"/>: when the host PTE is not present (or is read-only
    /// for a store) the powerpc fast path falls back to get_user_pages under down_read(mmap_sem), held until
    /// <see cref="GupSlowPathExit"/> across the fault, its swap read and any direct reclaim. True when it did.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool GupSlowPathEnter(Vm vm, int hostPage, bool write)
    {
        ref var page = ref Pages[hostPage];
        if (page.State == HostPageState.Resident && (!write || page.Has(HostPageFlags.Writable))) return false;
        MmapSem.DownRead(vm.Index);
        return true;
    }

    /// <summary>
    /// The end of the get_user_pages slow path: follow_page(FOLL_TOUCH) finds the page and calls mark_page_accessed,
    /// then up_read(mmap_sem). A plain process's handle_mm_fault (<see cref="FaultPath.Process"/>) marks nothing.
    /// </summary>
    public void GupSlowPathExit(Vm vm, int hostPage)
    {
        if (vm.Config.FaultPath == FaultPath.Kvm) MarkPageAccessed(hostPage, LruvecIndexOfGuest(vm.Index));
        MmapSem.UpRead(vm.Index);
    }

    /// <summary>
    /// mark_page_accessed (mm/swap.c) on <paramref name="hostPage"/>, charged to lruvec <paramref name="lruvecIndex"/>: inactive,unreferenced
    /// -> inactive,referenced -> active,unreferenced. The page is on the LRU at once (the per-CPU pagevec that delays
    /// PageLRU is not modelled). Inlined into its one caller, the gup slow path's end.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void MarkPageAccessed(int hostPage, int lruvecIndex)
    {
        var lruvec = Lruvecs[lruvecIndex];
        Touched?.Add(hostPage);
        ref var page = ref Pages[hostPage];
        if (page.Has(HostPageFlags.Referenced) && lruvec.OnInactiveList(hostPage))
        {
            lruvec.ActivatePage(hostPage);
            page.Clear(HostPageFlags.Referenced);
            Vmscan.ReclaimStat.UpdatePageReclaimStat(file: false, rotated: true); // __activate_page
            Workingset?.AgeNonresident(lruvecIndex, 1); // workingset_activation
        }
        else
        {
            page.Set(HostPageFlags.Referenced);
        }
    }

    /// <summary>
    /// The event a fault waits on while <paramref name="hostPage"/> is locked for a swap read; its
    /// <see cref="SimEvent.Value"/>, once triggered, is when the device started serving the read.
    /// </summary>
    public SimEvent ReadInFlight(int hostPage) => _readsInFlight[hostPage].Done;

    /// <summary>When the device started serving the swap read <paramref name="hostPage"/> is locked for; long.MaxValue while it is still queued.</summary>
    public long ReadStartedAt(int hostPage) => _readsInFlight[hostPage].StartedAt;

    /// <summary>
    /// End of the warm-up: statistics cover [WarmupEndNs, duration). The configured warm-up, or with `warmup: auto`
    /// long.MaxValue until <see cref="Results.SteadyState"/> decides it.
    /// </summary>
    public long WarmupEndNs { get; internal set; }

    /// <summary>
    /// swap_cache_get_folio finding <paramref name="hostPage"/> in the swap cache (do_swap_page, read in or still being
    /// read): PG_readahead is test-and-cleared, a set one is a readahead hit (swap_ra_hit), and the 6.x VMA readahead
    /// state notes the fault's address and the hit, or the cluster readahead counts the hit (swapin_readahead_hits).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void SwapCacheGetFolio(Vm vm, int hostPage)
    {
        ref var page = ref Pages[hostPage];
        bool readahead = page.Has(HostPageFlags.Readahead);
        if (readahead)
        {
            page.Clear(HostPageFlags.Readahead);
            Counters.SwapRaHit++;
        }
        if (VmaReadahead is not null) VmaReadahead.CacheHit(vm.Index, hostPage - vm.HostBase, readahead);
        else if (readahead) ClusterReadahead.Hit();
    }

    /// <summary>
    /// do_swap_page on a swap-cache miss: swapin_readahead. 6.x (<see cref="HostKernel.VmaSwapReadahead"/>) without a
    /// rotational swap device: swap_vma_readahead reads the window swap_vma_ra_win sizes (<see cref="SwapVmaReadahead"/>),
    /// in address order, each page of it whose PTE is a swap entry and which is not in the swap cache. 3.4, and 6.x with
    /// a rotational device (swap_cluster_readahead): see <see cref="SwapinCluster"/>.
    /// Returns when every read is issued; the target's completes <see cref="ReadInFlight"/>, and what zswap or zram read
    /// synchronously is in <paramref name="owed"/>.
    /// </summary>
    public IEnumerable<Command> SwapinReadahead(Vm vm, int hostPage, SyncSwapRead owed)
    {
        // 6.x do_swap_page on a SWP_SYNCHRONOUS_IO device (zram) reads just the faulting page, no readahead.
        if (Zram != null && Kernel.SynchronousIoSkipsSwapCache) return ReadSwapPages(vm, hostPage, hostPage, hostPage + 1, slots: false, owed);
        if (VmaReadahead is null) return SwapinCluster(vm, hostPage, owed);
        var (_, start, end) = VmaReadahead.Window(vm.Index, hostPage - vm.HostBase, vm.HostPageCount);
        return ReadSwapPages(vm, hostPage, vm.HostBase + (int)start, vm.HostBase + (int)end, slots: false, owed);
    }

    /// <summary>
    /// 3.4's swapin_readahead (mm/swap_state.c): grab_swap_token (3.4 only), then read_swap_cache_async for every slot
    /// of the aligned cluster (<see cref="SwapClusterReadahead"/>: 2^page-cluster slots on 3.4, adaptive on 6.x) in slot
    /// order, the target's included:
    /// each page not already in RAM is allocated like any page (kswapd woken, direct reclaim below min), added to the
    /// swap cache locked, and read with a request of its own (one bio per page, no plug).
    /// </summary>
    private IEnumerable<Command> SwapinCluster(Vm vm, int hostPage, SyncSwapRead owed)
    {
        SwapToken.Grab(vm);
        var (first, end) = ClusterReadahead.Window(Pages[hostPage].SwapSlot, SwapCache.Slots);
        return ReadSwapPages(vm, hostPage, first, end, slots: true, owed);
    }

    /// <summary>
    /// __read_swap_cache_async + swap_read_folio for the swap slots [first, end) (<paramref name="slots"/>) or the
    /// host pages [first, end): each page only on swap is allocated and charged (reclaiming if need be), added to the swap
    /// cache locked and read with a request of its own; one read for another page than the target is readahead
    /// (PG_readahead, swap_ra). Counts the major fault when it issues the target's read.
    /// </summary>
    private IEnumerable<Command> ReadSwapPages(Vm vm, int hostPage, int first, int end, bool slots, SyncSwapRead owed)
    {
        for (int i = first; i < end; i++)
        {
            int p = slots ? SwapCache.OwnerOf(i) : i;
            if (p < 0 || Pages[p].State != HostPageState.SwappedOut) continue; // free slot, PTE none or present, or found in the swap cache
            if (!TryAllocateFast(vm))
                foreach (var c in PageAlloc.AllocPagesSlowpath(vm)) yield return c;
            if ((slots && SwapCache.OwnerOf(i) != p) || Pages[p].State != HostPageState.SwappedOut)
            {
                ReturnFreePage(); // read in (or freed) by someone else while this task reclaimed
                continue;
            }
            if (p == hostPage) VmOf(p).Counters.MajorFaults++;
            else
            {
                Pages[p].Set(HostPageFlags.Readahead);
                Counters.SwapRa++;
            }
            if (SwapReadpageSync(p, hostPage, owed)) continue;
            var done = Sim.NewEvent();
            int slot = Pages[p].SwapSlot;
            LockForRead(p, done);
            Counters.SwapReadRequests++;
            SwapDevice.Submit(new SwapRequest { IsRead = true, FirstSlot = slot, SlotCount = 1, Bytes = PageBytes, QueuedAt = Sim.Now, Done = done });
        }
    }

    private void LockForRead(int hostPage, SimEvent done)
    {
        Pages[hostPage].Set(HostPageFlags.Locked);
        _readsInFlight[hostPage] = (done, long.MaxValue);
        AddToSwapCacheForRead(hostPage);
    }

    /// <summary>
    /// __read_swap_cache_async for a page about to be read: in the swap cache, charged (mem_cgroup_swapin_charge_folio),
    /// and on 6.x put active when workingset_refault says it was part of the workingset.
    /// </summary>
    private void AddToSwapCacheForRead(int hostPage)
    {
        Touched?.Add(hostPage);
        Pages[hostPage].State = HostPageState.SwapCache;
        VmOf(hostPage).Memcg.Charge(); // mem_cgroup_swapin_charge_folio
        // workingset_refault: folio_set_active before folio_add_lru.
        if (Workingset == null) return;
        long refaults = Workingset.RefaultAnon;
        bool activate = Workingset.Refault(Pages[hostPage].SwapSlot, LruvecIndexOf(hostPage), WorkingsetSize(file: false, LruvecIndexOf(hostPage)), file: false);
        Counters.WorkingsetRefault += Workingset.RefaultAnon - refaults;
        if (!activate) return;
        Pages[hostPage].Set(HostPageFlags.Active);
        Counters.WorkingsetActivate++;
    }

    /// <summary>end_swap_bio_read / end_swap_bio_write.</summary>
    void ISwapCompletion.StartIo(in SwapRequest request)
    {
        if (!request.IsRead) return;
        for (int s = request.FirstSlot; s < request.FirstSlot + request.SlotCount; s++)
            if (SwapCache.OwnerOf(s) is var p and >= 0 && _readsInFlight.TryGetValue(p, out var read) && read.Done == request.Done)
                _readsInFlight[p] = (read.Done, Sim.Now);
    }

    void ISwapCompletion.EndIo(in SwapRequest request)
    {
        if (request.IsRead) EndSwapBioRead(request);
        else EndSwapBioWrite(request);
    }

    /// <summary>end_swap_bio_read + unlock_page: the pages join the LRU as clean swap-cache pages.</summary>
    private void EndSwapBioRead(in SwapRequest request)
    {
        long started = Sim.Now;
        for (int s = request.FirstSlot; s < request.FirstSlot + request.SlotCount; s++)
        {
            int p = SwapCache.OwnerOf(s);
            if (p < 0 || !_readsInFlight.TryGetValue(p, out var waiting) || waiting.Done != request.Done) continue;
            started = waiting.StartedAt;
            Touched?.Add(p);
            Pages[p].Clear(HostPageFlags.Locked);
            _readsInFlight.Remove(p);
            AddReadPageToLru(p);
            Counters.SwapReads++;
        }
        request.Done!.Trigger(started);
    }

    /// <summary>
    /// A page read in joins the LRU: read_swap_cache_async -> lru_cache_add_anon (3.x: inactive list); 6.x
    /// folio_add_lru: active after a refault workingset_refault activated.
    /// </summary>
    private void AddReadPageToLru(int p)
    {
        if (Pages[p].Has(HostPageFlags.Active)) LruvecOf(p).Insert(p);
        else LruvecOf(p).InsertInactive(p);
        Vmscan.ReclaimStat.UpdatePageReclaimStat(file: false, rotated: Pages[p].Has(HostPageFlags.Active));
        Pages[p].Clear(HostPageFlags.Active);
        VmOf(p).Counters.SwapIns++;
    }

    /// <summary>
    /// clear_page_dirty_for_io + SetPageReclaim + set_page_writeback (pageout -> swap_writepage): the page is clean and
    /// under writeback from now on, whether or not its bio has a request yet.
    /// </summary>
    public void StartWriteback(int hostPage)
    {
        Touched?.Add(hostPage);
        ref var page = ref Pages[hostPage];
        page.Flags = (page.Flags & ~HostPageFlags.Dirty) | HostPageFlags.Writeback | HostPageFlags.Reclaim;
        WritebackPages++;
        VmOf(hostPage).Counters.SwapOuts++;
        Counters.SwapWrites++;
    }

    /// <summary>
    /// submit_bio of a page under writeback at <paramref name="t"/> (blk_queue_bio): it merges into the reclaim pass's
    /// plugged request when its slot follows that request's and the request stays within queue_max_sectors
    /// (ll_back_merge_fn); otherwise it needs a request of its own, and
    /// get_request_wait sleeps when all <see cref="SwapDevice.NrRequests"/> write requests are taken (the plugged one
    /// included). False when the caller must sleep (the plug is flushed first, as io_schedule does) and try again.
    /// </summary>
    public bool SubmitPageout(int hostPage, long t)
    {
        ref var page = ref Pages[hostPage];
        if (_plug.SlotCount > 0 && page.SwapSlot == _plug.FirstSlot + _plug.SlotCount && _plug.Bytes + PageBytes <= SwapDevice.MaxRequestBytes)
        {
            _plug.SlotCount++;
            _plug.Bytes += PageBytes;
            _plug.QueuedAt = t;
            return true;
        }
        FinishPlug();
        if (SwapDevice.QueuedWrites >= SwapDevice.NrRequests) return false;
        _plug = new SwapRequest { FirstSlot = page.SwapSlot, SlotCount = 1, Bytes = PageBytes, QueuedAt = t };
        return true;
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
    /// end_swap_bio_write -> end_page_writeback for each page of the request: PG_writeback cleared and, for a page
    /// reclaim wrote (PG_reclaim), rotate_reclaimable_page moves it to the inactive tail if it is still clean, unlocked
    /// and inactive, so the next scan frees it.
    /// </summary>
    private void EndSwapBioWrite(in SwapRequest request)
    {
        for (int s = request.FirstSlot; s < request.FirstSlot + request.SlotCount; s++)
        {
            int hostPage = SwapCache.OwnerOf(s);
            Touched?.Add(hostPage);
            ref var page = ref Pages[hostPage];
            page.Clear(HostPageFlags.Writeback);
            WritebackPages--;
            if (!page.Has(HostPageFlags.Reclaim)) continue;
            page.Clear(HostPageFlags.Reclaim);
            var lruvec = LruvecOf(hostPage);
            if (!page.Has(HostPageFlags.Locked | HostPageFlags.Dirty | HostPageFlags.Isolated) && lruvec.Contains(hostPage))
                lruvec.RotateReclaimable(hostPage);
        }
    }
}
