using HvSim.Engine;

namespace HvSim.Model.Mm;

/// <summary>
/// The flusher thread of the page cache's disk (3.4 fs/fs-writeback.c: bdi_writeback_thread -> wb_do_writeback): work
/// queued by wakeup_flusher_threads (reclaim asking for pages to be written), background writeback while the dirty
/// pages exceed the background threshold (wb_check_background_flush, over_bground_thresh), and the periodic kupdate
/// flush every dirty_writeback_interval of pages dirtied more than dirty_expire_interval ago
/// (wb_check_old_data_flush). It writes in file offset order from the mapping's writeback_index (write_cache_pages,
/// range_cyclic), contiguous dirty pages in one request of up to 512 KiB, and sleeps in get_request_wait while all
/// 128 write requests of the disk are taken.
/// </summary>
public sealed class Flusher(Host host, PageCache cache)
{
    private SimEvent? _wait;
    /// <summary>Pages wakeup_flusher_threads asked for and not yet written.</summary>
    private long _workPages;
    /// <summary>mapping-&gt;writeback_index: where the next writeback of the file starts.</summary>
    private int _writebackIndex;
    private long _lastOldFlush;
    private long _written;

    /// <summary>wakeup_flusher_threads(nr_pages) from reclaim: write that many pages (3.4 do_try_to_free_pages).</summary>
    public void WakeupFlusherThreads(long nrPages)
    {
        _workPages += nrPages;
        Wake();
    }

    /// <summary>bdi_start_background_writeback from balance_dirty_pages.</summary>
    public void Wake()
    {
        if (_wait is { IsTriggered: false }) _wait.Trigger();
    }

    /// <summary>
    /// global_dirty_limits (3.4 mm/page-writeback.c): dirty_ratio and dirty_background_ratio percent of the dirtyable
    /// memory (global_dirtyable_memory: free pages plus global_reclaimable_pages, the file LRU and, while swap has
    /// room, the anon LRU), the background threshold at most half the dirty one.
    /// </summary>
    public (long Background, long Dirty) GlobalDirtyLimits()
    {
        long available = host.FreePages + cache.LruCount + (host.SwapCache.FreeSlots > 0 ? host.LruPages : 0) + 1;
        long dirty = cache.Config.DirtyRatio * available / 100;
        long background = cache.Config.DirtyBackgroundRatio * available / 100;
        if (background >= dirty) background = dirty / 2;
        return (background, dirty);
    }

    /// <summary>over_bground_thresh: NR_FILE_DIRTY above the background threshold.</summary>
    public bool OverBackgroundThresh => cache.NrDirty > GlobalDirtyLimits().Background;

    public IEnumerable<Command> Run()
    {
        var sim = host.Sim;
        long interval = cache.Config.DirtyWritebackNs;
        while (true)
        {
            if (_workPages > 0)
            {
                long n = _workPages;
                _workPages = 0;
                foreach (var c in WritePages(n, background: false, expiredBefore: long.MaxValue)) yield return c;
            }
            if (OverBackgroundThresh)
            {
                foreach (var c in WritePages(long.MaxValue, background: true, expiredBefore: long.MaxValue)) yield return c;
                // Everything dirty is already being written: wait for a write to end before looking again.
                if (_written == 0 && OverBackgroundThresh) yield return Command.Wait(cache.Disk.WriteDone);
                continue;
            }
            if (sim.Now - _lastOldFlush >= interval)
            {
                _lastOldFlush = sim.Now;
                foreach (var c in WritePages(long.MaxValue, background: false, expiredBefore: sim.Now - cache.Config.DirtyExpireNs)) yield return c;
                continue;
            }
            if (_workPages > 0) continue;
            _wait = sim.NewEvent();
            yield return Command.Wait(_wait).Within(_lastOldFlush + interval - sim.Now);
            _wait = null;
        }
    }

    /// <summary>
    /// write_cache_pages over one cycle of the file from writeback_index: up to <paramref name="nrPages"/> dirty pages
    /// not under writeback and dirtied no later than <paramref name="expiredBefore"/>, stopping early in the background
    /// once under the threshold.
    /// </summary>
    private IEnumerable<Command> WritePages(long nrPages, bool background, long expiredBefore)
    {
        int maxPages = (int)Math.Max(1, SwapDevice.MaxRequestBytes / host.PageBytes);
        _written = 0;
        for (int scanned = 0; scanned < cache.Pages && _written < nrPages && (!background || OverBackgroundThresh);)
        {
            int p = _writebackIndex;
            if (!Eligible(p, expiredBefore))
            {
                _writebackIndex = (p + 1) % cache.Pages;
                scanned++;
                continue;
            }
            while (cache.Disk.QueuedWrites >= SwapDevice.NrRequests) yield return Command.Wait(cache.Disk.WriteDone);
            if (!Eligible(p, expiredBefore)) continue; // written by kswapd's pageout or reclaimed meanwhile
            int count = 1;
            while (p + count < cache.Pages && count < maxPages && count < nrPages - _written && Eligible(p + count, expiredBefore)) count++;
            cache.Write(p, count, host.Sim.Now);
            _written += count;
            scanned += count;
            _writebackIndex = (p + count) % cache.Pages;
        }
    }

    private bool Eligible(int page, long expiredBefore) =>
        (cache.FlagsOf(page) & (FilePageFlags.Dirty | FilePageFlags.Writeback | FilePageFlags.Isolated)) == FilePageFlags.Dirty
        && cache.DirtiedAt(page) <= expiredBefore;
}
