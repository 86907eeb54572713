using HvSim.Model.Replacement;

namespace HvSim.Model.Mm;

/// <summary>
/// The file half of reclaim, for a host with a page cache (<see cref="Host.PageCache"/>): get_scan_count's split of
/// the pressure between the anon and the file lists, shrink_inactive_list / shrink_page_list on unmapped file pages
/// (clean ones dropped without I/O, dirty ones left to the flusher or, 3.4 kswapd at high pressure, written by
/// pageout) and shrink_active_list on the active file list.
/// </summary>
public sealed partial class Vmscan
{
    /// <summary>The file pages of the batch being shrunk (shrink_inactive_list's page_list).</summary>
    private readonly int[] _fileBatch;
    /// <summary>6.x lruvec-&gt;refaults[WORKINGSET_FILE] at the end of the last reclaim pass (snapshot_refaults).</summary>
    private long _fileRefaultsSnapshot;

    /// <summary>The lruvec's pages on all four lists (lru_note_cost's lrusize).</summary>
    private long LruSizeWithFiles => _host.Policy.Count + (_host.PageCache?.LruCount ?? 0);

    /// <summary>
    /// 6.x prepare_scan_control for the file lists: DEACTIVATE_FILE when file refaults were activated since the last
    /// pass or the inactive file list is low; cache_trim_mode when the inactive file list has pages at this priority
    /// and is not to be deactivated ("plenty of inactive file pages that aren't thrashing").
    /// </summary>
    private void PrepareFileScan(ScanControl sc, Workingset ws, PageCache pc)
    {
        sc.MayDeactivateFile = ws.ActivateFile != _fileRefaultsSnapshot || pc.InactiveIsLow;
        sc.CacheTrimMode = (pc.InactiveCount >> sc.Priority) > 0 && !sc.MayDeactivateFile;
    }

    /// <summary>
    /// get_scan_count with file pages. 3.4 (mm/vmscan.c): no swap -&gt; file only; file + free &lt;= high -&gt; anon only;
    /// else SCAN_FRACT by <see cref="ReclaimStat.Fraction34"/>; nr[lru] = (size &gt;&gt; priority) * fraction /
    /// denominator, except at priority 0 with swap and swappiness &gt; 0, where every list is scanned whole.
    /// 6.x: no swap -&gt; SCAN_FILE; priority 0 with swappiness -&gt; SCAN_EQUAL; file_is_tiny (file + free &lt;= high,
    /// no anon deactivation due, inactive anon &gt;&gt; priority) -&gt; SCAN_ANON; cache_trim_mode -&gt; SCAN_FILE; else
    /// SCAN_FRACT by <see cref="ReclaimStat.Fraction618"/>, each list size &gt;&gt; priority first.
    /// </summary>
    private void GetScanCountWithFiles(ScanControl sc, IReplacementPolicy anon, PageCache pc)
    {
        int swappiness = _host.Config.Host.Swappiness;
        bool noswap = _host.SwapCache.FreeSlots == 0;
        if (noswap) _host.Counters.SwapFullEvents++;
        long anonPages = anon.Count, filePages = pc.LruCount;
        bool fileFew = filePages + _host.FreePages <= _host.Watermarks.High;
        ulong fa, ff, den;
        bool wholeLists;
        if (_host.Kernel.WorkingsetRefault)
        {
            wholeLists = false;
            if (noswap) (fa, ff, den) = (0, 1, 1);
            else if (sc.Priority == 0 && swappiness > 0) (fa, ff, den) = (1, 1, 1);
            else if (fileFew && !sc.MayDeactivate && (anon.InactiveCount >> sc.Priority) > 0) (fa, ff, den) = (1, 0, 1);
            else if (sc.CacheTrimMode) (fa, ff, den) = (0, 1, 1);
            else (fa, ff, den) = ReclaimStat.Fraction618(swappiness);
        }
        else
        {
            if (noswap) (fa, ff, den) = (0, 1, 1);
            else if (fileFew) (fa, ff, den) = (1, 0, 1);
            else (fa, ff, den) = ReclaimStat.Fraction34(anonPages, filePages, swappiness);
            wholeLists = sc.Priority == 0 && !noswap && swappiness > 0;
        }
        bool forceScan = sc.IsKswapd && _host.AllUnreclaimable;
        sc.NrInactive = ScanTarget(anon.InactiveCount, sc.Priority, fa, den, wholeLists, forceScan, _clusterMax);
        sc.NrActive = ScanTarget(anon.ActiveCount, sc.Priority, fa, den, wholeLists, forceScan, _clusterMax);
        sc.NrInactiveFile = ScanTarget(pc.InactiveCount, sc.Priority, ff, den, wholeLists, forceScan, _clusterMax);
        sc.NrActiveFile = ScanTarget(pc.ActiveCount, sc.Priority, ff, den, wholeLists, forceScan, _clusterMax);
    }

    /// <summary>
    /// get_scan_count's last loop for one list: size &gt;&gt; priority (SWAP_CLUSTER_MAX when that is 0 and the scan is
    /// forced), scaled by fraction / denominator; the whole list when <paramref name="wholeList"/>.
    /// </summary>
    public static long ScanTarget(long size, int priority, ulong fraction, ulong denominator, bool wholeList, bool forceScan, int clusterMax)
    {
        if (wholeList) return size;
        long scan = size >> priority;
        if (scan == 0 && forceScan) scan = clusterMax;
        return (long)((ulong)scan * fraction / denominator);
    }

    /// <summary>
    /// shrink_mem_cgroup_zone's file half of one round: a SWAP_CLUSTER_MAX batch of the inactive file list, then of
    /// the active file list when the inactive one is low (3.4 inactive_file_is_low; 6.x the DEACTIVATE_FILE bit).
    /// </summary>
    private void ShrinkFileLists(ScanControl sc, PageCache pc)
    {
        if (sc.NrInactiveFile > 0)
        {
            int n = (int)Math.Min(sc.NrInactiveFile, _clusterMax);
            sc.NrInactiveFile -= n;
            ShrinkInactiveFileList(sc, pc, n);
        }
        if (sc.NrActiveFile > 0)
        {
            int n = (int)Math.Min(sc.NrActiveFile, _clusterMax);
            sc.NrActiveFile -= n;
            if (_host.Kernel.WorkingsetRefault ? sc.MayDeactivateFile : pc.InactiveIsLow) ShrinkActiveFileList(pc, n);
        }
    }

    /// <summary>
    /// shrink_inactive_list on the file list: isolate_lru_pages from the tail, then shrink_page_list. A locked page or one
    /// under writeback is kept. page_check_references on an unmapped file page: PG_referenced is test-and-cleared and
    /// only decides PAGEREF_RECLAIM_CLEAN over PAGEREF_RECLAIM (there are no PTEs to find referenced). A clean page is
    /// freed (__remove_mapping: no I/O). A dirty page gets PG_reclaim; 3.4: "Only kswapd can writeback filesystem
    /// pages", and only below DEF_PRIORITY - 2 and not PAGEREF_RECLAIM_CLEAN: then pageout writes it and it stays on
    /// the inactive list under writeback, else it is kept (keep_locked); 6.x: activated (activate_locked: 6.18's
    /// pageout no longer writes regular file folios), and when every page taken was dirty and not queued for I/O the
    /// flusher is woken. Counts recent_scanned / recent_rotated (3.4) or lru_note_cost (6.x).
    /// </summary>
    private void ShrinkInactiveFileList(ScanControl sc, PageCache pc, int nrToScan)
    {
        var lists = pc.Lists;
        int taken = 0;
        while (taken < nrToScan && lists.Count(PageCache.InactiveFile) > 0)
        {
            int page = lists.Tail(PageCache.InactiveFile);
            lists.Remove(page);
            pc.Set(page, FilePageFlags.Isolated);
            _fileBatch[taken++] = page;
        }
        if (taken == 0) return;
        CountScanned(sc, taken);
        bool modern = _host.Kernel.WorkingsetRefault;
        long reclaimed = 0, activated = 0, pageouts = 0, unqueuedDirty = 0;
        for (int i = 0; i < taken; i++)
        {
            int page = _fileBatch[i];
            pc.Clear(page, FilePageFlags.Isolated);
            if (pc.Has(page, FilePageFlags.Locked | FilePageFlags.Writeback))
            {
                lists.AddHead(PageCache.InactiveFile, page);
                continue;
            }
            bool referencedPage = pc.Has(page, FilePageFlags.Referenced); // TestClearPageReferenced
            pc.Clear(page, FilePageFlags.Referenced);
            if (!pc.Has(page, FilePageFlags.Dirty))
            {
                pc.RemoveMapping(page);
                reclaimed++;
                continue;
            }
            unqueuedDirty++;
            pc.Set(page, FilePageFlags.Reclaim);
            if (modern)
            {
                lists.AddHead(PageCache.ActiveFile, page);
                activated++;
            }
            else if (sc.IsKswapd && sc.Priority < DefPriority - 2 && !referencedPage)
            {
                pc.Write(page, 1, sc.T); // pageout -> ->writepage: under writeback, PG_reclaim set
                pageouts++;
                lists.AddHead(PageCache.InactiveFile, page);
            }
            else lists.AddHead(PageCache.InactiveFile, page);
        }
        sc.NrReclaimed += reclaimed;
        sc.ZoneReclaimed += reclaimed;
        if (modern)
        {
            ReclaimStat.LruNoteCost(true, pageouts, taken - reclaimed, LruSizeWithFiles, _clusterMax);
            if (unqueuedDirty == taken) _host.Flusher?.WakeupFlusherThreads(pc.NrDirty); // wakeup_flusher_threads(WB_REASON_VMSCAN)
        }
        else
        {
            ReclaimStat.RecentScanned[1] += taken;
            ReclaimStat.RecentRotated[1] += activated;
        }
    }

    /// <summary>
    /// shrink_active_list on the file list: unmapped file pages have no referenced PTEs (and are not VM_EXEC), so every
    /// page taken is deactivated to the inactive head; recent_scanned counts them (3.4), pgrefill and pages_scanned too.
    /// </summary>
    private void ShrinkActiveFileList(PageCache pc, int nrToScan)
    {
        var lists = pc.Lists;
        int scanned = 0;
        while (scanned < nrToScan && lists.Count(PageCache.ActiveFile) > 0)
        {
            lists.MoveToHead(PageCache.InactiveFile, lists.Tail(PageCache.ActiveFile));
            scanned++;
        }
        _host.ZonePagesScanned += scanned;
        _host.Counters.PagesDeactivated += scanned;
        if (!_host.Kernel.WorkingsetRefault) ReclaimStat.RecentScanned[1] += scanned;
    }
}
