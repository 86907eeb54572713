using HvSim.Model.Config;
using HvSim.Model.Mm;
using HvSim.Model.Replacement;

namespace HvSim.Model.Tests.Model;

/// <summary>
/// The host page cache (host.page_cache) against hand-worked examples from Linux 3.4 mm/vmscan.c (get_scan_count,
/// shrink_page_list, page_check_references, inactive_file_is_low) and 6.x (get_scan_count's cost model, lru_note_cost
/// in mm/swap.c, workingset_test_recent in mm/workingset.c).
/// </summary>
public class PageCacheTests
{
    private static Rig CacheRig(int swappiness, HostKernel? kernel = null) =>
        new(policy: n => new TwoListPolicy(n), kernel: kernel, host: h => h with
        {
            Swappiness = swappiness,
            PageCache = new PageCacheConfig { RateBytesPerSecond = 1 << 20, FootprintBytes = 8 * ModelKit.Mib },
        });

    /// <summary>A clean page-cache page, as a read that missed the cache leaves it (add_to_page_cache_lru: inactive file list).</summary>
    private static void AddCachePage(Rig rig, int page, bool dirty = false)
    {
        Assert.True(rig.Host.TryAllocateFast());
        rig.Host.PageCache!.AddToPageCacheLru(page);
        if (dirty) rig.Host.PageCache.SetPageDirty(page, rig.Sim.Now);
    }

    [Fact]
    public void GetScanCount34SplitsTheScanBySwappinessAndRecentRotations()
    {
        // 3.4 get_scan_count, anon 40,000 and file 40,000 pages, recent_scanned {8000, 8000}, recent_rotated {4000, 1000}
        // (no halving: 8000 <= 40000 / 4). swappiness 60: ap = 60 * 8001 / 4001 = 119, fp = 140 * 8001 / 1001 = 1119,
        // denominator 119 + 1119 + 1 = 1239. At priority 6 an inactive anon list of 20,000 pages gets
        // (20000 >> 6 = 312) * 119 / 1239 = 29, an inactive file list of 30,000 gets 468 * 1119 / 1239 = 422.
        var stat = new ReclaimStat();
        (stat.RecentScanned[0], stat.RecentScanned[1], stat.RecentRotated[0], stat.RecentRotated[1]) = (8000, 8000, 4000, 1000);
        var (ap, fp, den) = stat.Fraction34(40_000, 40_000, 60);
        Assert.Equal((119UL, 1119UL, 1239UL), (ap, fp, den));
        Assert.Equal(29, Vmscan.ScanTarget(20_000, 6, ap, den, wholeList: false, forceScan: false, 32));
        Assert.Equal(422, Vmscan.ScanTarget(30_000, 6, fp, den, wholeList: false, forceScan: false, 32));
        // swappiness 100, same history: ap = 100 * 8001 / 4001 = 199, fp = 100 * 8001 / 1001 = 799, denominator 999:
        // anon gets 312 * 199 / 999 = 62, twice as much as at 60.
        (ap, fp, den) = stat.Fraction34(40_000, 40_000, 100);
        Assert.Equal((199UL, 799UL, 999UL), (ap, fp, den));
        Assert.Equal(62, Vmscan.ScanTarget(20_000, 6, ap, den, false, false, 32));
        // swappiness 0: anon_prio 0, so no anon scan even at priority 0 (the `!vmscan_swappiness` clause keeps the fraction).
        (ap, _, den) = stat.Fraction34(40_000, 40_000, 0);
        Assert.Equal(0, Vmscan.ScanTarget(20_000, 0, ap, den, false, false, 32));
        // recent_scanned[0] 12,000 > 40,000 / 4 halves both anon counts to 6000 and 2000: ap = 60 * 6001 / 2001 = 179.
        (stat.RecentScanned[0], stat.RecentRotated[0]) = (12_000, 4000);
        (ap, _, _) = stat.Fraction34(40_000, 40_000, 60);
        Assert.Equal((179UL, 6000L, 2000L), (ap, stat.RecentScanned[0], stat.RecentRotated[0]));
    }

    [Fact]
    public void GetScanCount618WeighsTheListsByTheirReclaimCost()
    {
        // 6.x get_scan_count SCAN_FRACT with anon_cost 300, file_cost 100, swappiness 60: total 400, anon_cost 700,
        // file_cost 500, total 1200; ap = 60 * 1201 / 701 = 102, fp = 140 * 1201 / 501 = 335, denominator 437.
        var stat = new ReclaimStat { AnonCost = 300, FileCost = 100 };
        Assert.Equal((102UL, 335UL, 437UL), stat.Fraction618(60));
        // lru_note_cost: 2 pages written and 5 rotated cost 2 * 32 + 5 = 69 on the file side; with 1000 LRU pages the
        // costs (300 + 169 = 469) pass 1000 / 4 = 250 and both halve: 150 and 84.
        stat.LruNoteCost(file: true, nrIo: 2, nrRotated: 5, lruSize: 1000, swapClusterMax: 32);
        Assert.Equal((150L, 84L), (stat.AnonCost, stat.FileCost));
    }

    [Fact]
    public void AtSwappinessZeroReclaimFreesCleanFilePagesAndLeavesGuestPagesAlone()
    {
        // 3.4 get_scan_count, swappiness 0, file + free above the high watermark: anon_prio 0 gives the anon lists no
        // scan at any priority; shrink_page_list frees clean, unmapped file pages without I/O (__remove_mapping).
        var rig = CacheRig(swappiness: 0);
        for (int p = 0; p < 100; p++) rig.MakeResident(p);
        for (int f = 0; f < 100; f++) AddCachePage(rig, f);
        long free = rig.Host.FreePages;
        int freed = rig.Reclaim(32, 0, out _);
        var cache = rig.Host.PageCache!;
        Assert.True(freed >= 32, $"freed {freed}");
        Assert.Equal(freed, rig.Host.Counters.FilePagesFreed);
        Assert.Equal(100 - freed, cache.NrCached); // file pages remain, yet no anon page was taken
        Assert.Equal(0, rig.Host.Counters.SwapWrites);
        Assert.Equal(100, rig.Host.Policy.Count);
        Assert.Equal(free + freed, rig.Host.FreePages);
        // At swappiness 100 the same state puts pressure on the guest pages too: pages go to swap.
        var swappy = CacheRig(swappiness: 100);
        for (int p = 0; p < 100; p++) swappy.MakeResident(p);
        for (int f = 0; f < 100; f++) AddCachePage(swappy, f);
        foreach (var p in Enumerable.Range(0, 100)) swappy.Page(p).Flags &= ~HostPageFlags.Young;
        swappy.Reclaim(32, 0, out _);
        Assert.True(swappy.Host.Counters.SwapWrites > 0);
    }

    [Fact]
    public void DirtyFilePagesAreWrittenBackByKswapdOnlyAndFreedOnceClean()
    {
        // 3.4 shrink_page_list: "Only kswapd can writeback filesystem pages ... do not writeback unless under significant
        // pressure": direct reclaim keeps a dirty file page with PG_reclaim; kswapd below DEF_PRIORITY - 2 pageouts it,
        // putting it under writeback on the inactive list; end_page_writeback -> rotate_reclaimable_page moves it to the
        // tail and the next scan frees it, clean. No guest pages: every list but the inactive file one is empty.
        var rig = CacheRig(swappiness: 60);
        var cache = rig.Host.PageCache!;
        for (int f = 0; f < 4; f++) AddCachePage(rig, f, dirty: true);
        Assert.Equal(0, rig.Reclaim(4, 0, out _));
        Assert.Equal((4L, 0L, 4L), (cache.NrDirty, cache.NrWriteback, cache.NrCached));
        Assert.All(Enumerable.Range(0, 4), f => Assert.True(cache.Has(f, FilePageFlags.Reclaim)));
        Assert.Equal(0, rig.Host.Counters.FileWritebackPages);
        // kswapd at priority 10 (DEF_PRIORITY - 2), made to scan by force_scan (all_unreclaimable: SWAP_CLUSTER_MAX
        // scaled by the file fraction), still only marks them; at priority 0 (whole lists, swappiness > 0) it writes.
        var kswapd = new ScanControl(32) { IsKswapd = true };
        kswapd.Begin(rig.Sim.Now, long.MaxValue);
        kswapd.Priority = 10;
        rig.Host.AllUnreclaimable = true;
        long scanned = rig.Host.Counters.PagesScanned;
        Assert.True(rig.Host.Vmscan.ShrinkZone(kswapd));
        Assert.Equal(scanned + 4, rig.Host.Counters.PagesScanned);
        Assert.Equal(0, rig.Host.Counters.FileWritebackPages);
        rig.Host.AllUnreclaimable = false;
        kswapd.Priority = 0;
        Assert.True(rig.Host.Vmscan.ShrinkZone(kswapd));
        Assert.Equal((0L, 4L, 4L), (cache.NrDirty, cache.NrWriteback, rig.Host.Counters.FileWritebackPages));
        Assert.Equal(0, rig.Host.Counters.FilePagesFreed);
        rig.Sim.Run(); // the writes complete
        Assert.Equal(0L, cache.NrWriteback);
        Assert.Equal(4, rig.Reclaim(4, rig.Sim.Now, out _));
        Assert.Equal((0L, 4L), (cache.NrCached, rig.Host.Counters.FilePagesFreed));
    }

    [Fact]
    public void InactiveFileIsLowWhenTheActiveFileListIsLarger()
    {
        // 3.4 inactive_file_is_low_global: active > inactive. A second access on the inactive list activates
        // (mark_page_accessed), and shrink_active_list then deactivates unmapped file pages whatever their references.
        var rig = CacheRig(swappiness: 60);
        var cache = rig.Host.PageCache!;
        for (int f = 0; f < 3; f++) AddCachePage(rig, f);
        foreach (int f in new[] { 0, 1 })
        {
            cache.MarkPageAccessed(f);
            Assert.Equal(PageCache.InactiveFile, cache.Lists.ListOf(f)); // first access: PG_referenced only
            cache.MarkPageAccessed(f);
        }
        Assert.Equal((2, 1), (cache.ActiveCount, cache.InactiveCount));
        Assert.True(cache.InactiveIsLow);
        cache.MarkPageAccessed(2);
        cache.MarkPageAccessed(2);
        Assert.Equal((3, 0), (cache.ActiveCount, cache.InactiveCount));
        Assert.Equal(3, rig.Host.Vmscan.ReclaimStat.RecentRotated[1]); // __activate_page: update_page_reclaim_stat(file, rotated)
    }

    [Fact]
    public void A618FileRefaultIsActivatedWhenItsDistanceFitsTheActiveFileAndAnonLists()
    {
        // 6.x workingset_test_recent for a file refault: workingset = NR_ACTIVE_FILE, plus NR_ACTIVE_ANON and
        // NR_INACTIVE_ANON while swap has room. Page 0 is evicted (shadow at age 0, clock 1) and read back: distance 1.
        foreach (var (anonPages, activated) in new[] { (0, false), (1, true) })
        {
            var rig = CacheRig(swappiness: 60, HostKernel.Linux618);
            var cache = rig.Host.PageCache!;
            for (int p = 0; p < anonPages; p++) rig.MakeResident(p); // 6.x: a new anon page joins the inactive anon list
            AddCachePage(rig, 0);
            cache.Lists.Remove(0);
            cache.RemoveMapping(0); // what reclaim does to a clean page: workingset_eviction
            AddCachePage(rig, 0);
            Assert.Equal(activated ? PageCache.ActiveFile : PageCache.InactiveFile, cache.Lists.ListOf(0));
            Assert.Equal((1L, activated ? 1L : 0L), (rig.Host.Workingset!.RefaultFile, rig.Host.Workingset.ActivateFile));
        }
    }
}
