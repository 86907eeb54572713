using HvSim.Engine;

namespace HvSim.Model.Mm;

/// <summary>
/// The host I/O stream (`host.page_cache`): a host task (QEMU's disk I/O with cache=writeback, a log writer) that reads
/// and writes random pages of one file through the page cache, one page at a time at exponentially distributed
/// intervals for the configured rate. A read of a page not in the cache allocates a page like any allocation (kswapd
/// woken, direct reclaim below min), adds it to the cache (add_to_page_cache_lru) and waits for the disk read
/// (do_generic_file_read); a write (generic_perform_write, whole pages: no read first) dirties the page and calls
/// balance_dirty_pages. Both mark the page accessed.
/// </summary>
public sealed class HostIo(Host host, PageCache cache, Flusher flusher)
{
    public IEnumerable<Command> Run()
    {
        var sim = host.Sim;
        var rng = sim.Rng("host-io");
        double meanGapNs = host.PageBytes * 1e9 / cache.Config.RateBytesPerSecond;
        while (true)
        {
            yield return Command.Delay(Math.Max(1, (long)rng.NextExponential(meanGapNs)));
            int page = rng.Next(cache.Pages);
            bool write = rng.NextDouble() < cache.Config.WriteFraction;
            cache.Accesses++;
            if (!cache.Has(page, FilePageFlags.Cached))
            {
                cache.Misses++;
                if (!host.TryAllocateFast())
                    foreach (var c in host.PageAlloc.AllocPagesSlowpath(null)) yield return c;
                cache.AddToPageCacheLru(page);
                if (!write) yield return Command.Wait(cache.Read(page));
            }
            cache.MarkPageAccessed(page);
            if (!write) continue;
            cache.SetPageDirty(page, sim.Now);
            foreach (var c in BalanceDirtyPages()) yield return c;
        }
    }

    /// <summary>
    /// balance_dirty_pages (3.4 mm/page-writeback.c) after dirtying a page: dirty pages over the background threshold
    /// start the flusher; above the freerun point, (background + dirty) / 2 of dirty plus writeback pages, the writer
    /// waits for a write to complete (paced to the disk's writeback), and above the dirty threshold until it is below.
    /// </summary>
    private IEnumerable<Command> BalanceDirtyPages()
    {
        var (background, dirty) = flusher.GlobalDirtyLimits();
        if (cache.NrDirty > background) flusher.Wake();
        if (cache.NrDirty + cache.NrWriteback <= (background + dirty) / 2) yield break;
        do
        {
            long start = host.Sim.Now;
            yield return Command.Wait(cache.Disk.WriteDone);
            cache.DirtyThrottleNs += host.Sim.Now - start;
            (background, dirty) = flusher.GlobalDirtyLimits();
            if (cache.NrDirty > background) flusher.Wake();
        } while (cache.NrDirty + cache.NrWriteback > dirty);
    }
}
