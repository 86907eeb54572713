using HvSim.Engine;
using HvSim.Model.Config;
using HvSim.Model.Replacement;

namespace HvSim.Model.Mm;

/// <summary>Struct page bits of a page-cache page (a page of the host I/O stream's file).</summary>
[Flags]
public enum FilePageFlags : byte
{
    None = 0,
    /// <summary>In the page cache (in RAM, in the file's radix tree).</summary>
    Cached = 1,
    /// <summary>PG_dirty: written since its last writeback.</summary>
    Dirty = 2,
    /// <summary>PG_writeback: a write of it is in flight.</summary>
    Writeback = 4,
    /// <summary>PG_referenced: set by mark_page_accessed; a second access on the inactive list activates the page.</summary>
    Referenced = 8,
    /// <summary>PG_reclaim: reclaim met it dirty or wrote it; end_page_writeback rotates it to the inactive tail.</summary>
    Reclaim = 16,
    /// <summary>PG_locked for a read from disk in flight.</summary>
    Locked = 32,
    /// <summary>Isolated from the LRU by a reclaimer.</summary>
    Isolated = 64,
}

/// <summary>
/// The host page cache of one file (the disk image or log the host I/O stream reads and writes) and the file LRU of
/// the host's one zone: an active and an inactive file list (split-LRU, mm/vmscan.c), the file's dirty and writeback
/// counts (NR_FILE_DIRTY, NR_WRITEBACK) and the disk the file lives on. Pages are numbered by file offset; per page
/// one flag byte, the time it was dirtied (for the periodic flush) and its list links.
/// </summary>
public sealed class PageCache : ISwapCompletion
{
    /// <summary>The lists' numbers in <see cref="Lists"/>: LRU_ACTIVE_FILE and LRU_INACTIVE_FILE.</summary>
    public const int ActiveFile = 0, InactiveFile = 1;

    private readonly Host _host;
    private readonly FilePageFlags[] _flags;
    private readonly long[] _dirtiedAt;

    public PageCache(Host host, PageCacheConfig config)
    {
        _host = host;
        Config = config;
        Pages = PagesFor(config, host.PageBytes);
        _flags = new FilePageFlags[Pages];
        _dirtiedAt = new long[Pages];
        Lists = new PageLists(Pages, 2);
        Disk = new SwapDevice(host.Sim, config.Disk, host.Sim.Rng("page-cache-disk"), this);
    }

    /// <summary>Pages of a file of <see cref="PageCacheConfig.FootprintBytes"/> in pages of <paramref name="pageBytes"/>.</summary>
    public static int PagesFor(PageCacheConfig config, int pageBytes) => (int)Math.Clamp(config.FootprintBytes / pageBytes, 1, int.MaxValue - 8);

    public PageCacheConfig Config { get; }
    /// <summary>Pages of the file.</summary>
    public int Pages { get; }
    /// <summary>The file LRU: <see cref="ActiveFile"/> and <see cref="InactiveFile"/>.</summary>
    public PageLists Lists { get; }
    /// <summary>The disk the file lives on.</summary>
    public SwapDevice Disk { get; }
    /// <summary>NR_FILE_DIRTY and NR_WRITEBACK of the file's pages.</summary>
    public long NrDirty { get; private set; }
    public long NrWriteback { get; private set; }
    /// <summary>File pages in RAM (NR_FILE_PAGES).</summary>
    public long NrCached { get; private set; }
    public int ActiveCount => Lists.Count(ActiveFile);
    public int InactiveCount => Lists.Count(InactiveFile);
    /// <summary>Pages on the file LRU (isolated pages excluded).</summary>
    public int LruCount => ActiveCount + InactiveCount;
    /// <summary>Accesses of the host I/O stream, and those that missed the page cache (a page allocated).</summary>
    public long Accesses { get; internal set; }
    public long Misses { get; internal set; }
    /// <summary>Time the host I/O stream slept in balance_dirty_pages, ns.</summary>
    public long DirtyThrottleNs { get; internal set; }

    public bool Has(int page, FilePageFlags f) => (_flags[page] & f) != 0;
    public FilePageFlags FlagsOf(int page) => _flags[page];
    internal void Set(int page, FilePageFlags f) => _flags[page] |= f;
    internal void Clear(int page, FilePageFlags f) => _flags[page] &= ~f;
    public long DirtiedAt(int page) => _dirtiedAt[page];

    /// <summary>
    /// inactive_file_is_low: 3.4 inactive_file_is_low_global (active &gt; inactive, "evict use-once pages first");
    /// 6.x inactive_is_low(LRU_INACTIVE_FILE), inactive * int_sqrt(10 * GB of both file lists) &lt; active.
    /// </summary>
    public bool InactiveIsLow => _host.Kernel.InactiveRatioFromLists
        ? (long)InactiveCount * TwoListPolicy.InactiveRatioFor((long)LruCount * _host.PageBytes) < ActiveCount
        : ActiveCount > InactiveCount;

    /// <summary>
    /// add_to_page_cache_lru (mm/filemap.c) of a newly allocated page: into the file's radix tree and, through
    /// lru_cache_add_file, onto the inactive file list; 6.x workingset_refault first activates a page whose refault
    /// distance fits in the workingset (folio_add_lru then puts it on the active list).
    /// </summary>
    public void AddToPageCacheLru(int page)
    {
        _flags[page] = FilePageFlags.Cached;
        NrCached++;
        _host.Vmscan.ReclaimStat.UpdatePageReclaimStat(file: true, rotated: false);
        if (_host.Workingset is { } ws && ws.Refault(_host.FileShadowIndex(page), 0, _host.WorkingsetSize(file: true), file: true))
            Lists.AddHead(ActiveFile, page);
        else Lists.AddHead(InactiveFile, page);
    }

    /// <summary>
    /// mark_page_accessed (mm/swap.c) from a read or write of the page (do_generic_file_read, generic_perform_write):
    /// inactive,unreferenced -&gt; inactive,referenced -&gt; active (activate_page: update_page_reclaim_stat counts it
    /// scanned and rotated; 6.x workingset_activation ages the lruvec).
    /// </summary>
    public void MarkPageAccessed(int page)
    {
        bool onInactive = Lists.ListOf(page) == InactiveFile;
        if (onInactive && Has(page, FilePageFlags.Referenced))
        {
            Lists.MoveToHead(ActiveFile, page);
            Clear(page, FilePageFlags.Referenced);
            _host.Vmscan.ReclaimStat.UpdatePageReclaimStat(file: true, rotated: true);
            _host.Workingset?.AgeNonresident(0, 1);
        }
        else if (!Has(page, FilePageFlags.Referenced)) Set(page, FilePageFlags.Referenced);
    }

    /// <summary>set_page_dirty (__set_page_dirty_nobuffers): a clean page becomes dirty and counts in NR_FILE_DIRTY.</summary>
    public void SetPageDirty(int page, long now)
    {
        if (Has(page, FilePageFlags.Dirty)) return;
        Set(page, FilePageFlags.Dirty);
        _dirtiedAt[page] = now;
        NrDirty++;
    }

    /// <summary>
    /// __remove_mapping + free of a clean, unlocked page reclaim isolated (__delete_from_page_cache): the page leaves
    /// the cache (6.x workingset_eviction leaves a shadow entry) and its memory is free.
    /// </summary>
    public void RemoveMapping(int page)
    {
        _flags[page] = FilePageFlags.None;
        NrCached--;
        _host.Workingset?.Eviction(_host.FileShadowIndex(page), 0);
        _host.FreeCachePage();
    }

    /// <summary>
    /// clear_page_dirty_for_io + set_page_writeback for the pages [first, first + count) and one write request for all
    /// of them (the writepages of the flusher, or reclaim's pageout of one page), submitted at <paramref name="t"/>.
    /// </summary>
    public void Write(int first, int count, long t)
    {
        for (int p = first; p < first + count; p++)
        {
            _flags[p] = (_flags[p] & ~FilePageFlags.Dirty) | FilePageFlags.Writeback;
            NrDirty--;
            NrWriteback++;
        }
        _host.Counters.FileWritebackPages += count;
        Disk.Submit(new SwapRequest { FirstSlot = first, SlotCount = count, Bytes = (long)count * _host.PageBytes, QueuedAt = t });
    }

    /// <summary>A read of <paramref name="page"/> from disk (mapping-&gt;a_ops-&gt;readpage): the page is locked until it completes.</summary>
    public SimEvent Read(int page)
    {
        Set(page, FilePageFlags.Locked);
        var done = _host.Sim.NewEvent();
        Disk.Submit(new SwapRequest { IsRead = true, FirstSlot = page, SlotCount = 1, Bytes = _host.PageBytes, QueuedAt = _host.Sim.Now, Done = done });
        return done;
    }

    /// <summary>
    /// End of a disk request: a read unlocks its page (unlock_page); a write's end_page_writeback clears PG_writeback
    /// and, for a page with PG_reclaim, rotate_reclaimable_page moves it to the inactive tail if still clean, unlocked
    /// and inactive, so the next scan frees it.
    /// </summary>
    void ISwapCompletion.EndIo(in SwapRequest request)
    {
        if (request.IsRead)
        {
            Clear(request.FirstSlot, FilePageFlags.Locked);
            request.Done!.Trigger(_host.Sim.Now);
            return;
        }
        for (int p = request.FirstSlot; p < request.FirstSlot + request.SlotCount; p++)
        {
            Clear(p, FilePageFlags.Writeback);
            NrWriteback--;
            if (!Has(p, FilePageFlags.Reclaim)) continue;
            Clear(p, FilePageFlags.Reclaim);
            if (!Has(p, FilePageFlags.Locked | FilePageFlags.Dirty | FilePageFlags.Isolated) && Lists.ListOf(p) == InactiveFile)
            {
                Lists.Remove(p);
                Lists.AddTail(InactiveFile, p);
            }
        }
    }
}
