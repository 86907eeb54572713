using HvSim.Engine;

namespace HvSim.Model.Mm;

/// <summary>
/// zswap (mm/zswap.c, 3.11 and later; 6.x) in front of the swap device: swap_writepage offers each page to
/// zswap_store first, which keeps it compressed in a RAM pool and ends the write at once (the page is freed in the same
/// reclaim pass), unless the pool is full (zswap_check_limits: at max_pool_percent of host memory it refuses stores
/// until it is back below accept_threshold_percent of that, and queues the shrink worker) or the page does not compress
/// below a page: then the page goes to the device. A swap-in finds its page in the pool (zswap_load: decompressed by the
/// faulting task, no device I/O; the entry is dropped and the page dirtied, as the swap cache now owns it). The shrink
/// worker writes the least recently stored entries back to the device (zswap_writeback_entry) until the pool is below
/// the accept threshold. Entries are kept per swap slot; the LRU is a list through the slots.
/// </summary>
public sealed class Zswap
{
    private readonly Host _host;
    /// <summary>Per swap slot: the entry's compressed length (0 same-filled), -1 when zswap holds nothing for it.</summary>
    private readonly int[] _length;
    /// <summary>The LRU of entries through their slots, oldest first (zswap's list_lru: list_add_tail on store).</summary>
    private readonly int[] _prev, _next;
    private int _oldest = -1, _newest = -1;
    private bool _reachedFull;
    /// <summary>The shrink work is queued (queue_work) and the worker has not started on it yet.</summary>
    private bool _workQueued;
    private SimEvent? _shrinkWork;

    public Zswap(Host host, int slots)
    {
        _host = host;
        _length = new int[slots];
        Array.Fill(_length, -1);
        _prev = new int[slots];
        _next = new int[slots];
        Pool = new Zpool(host);
        var config = host.Config.Host.Zswap;
        MaxPages = host.TotalPages * config.MaxPoolPercent / 100;
        AcceptPages = MaxPages * config.AcceptThresholdPercent / 100;
    }

    public Zpool Pool { get; }
    /// <summary>zswap_max_pages: totalram_pages × max_pool_percent / 100.</summary>
    public long MaxPages { get; }
    /// <summary>zswap_accept_thr_pages: zswap_max_pages × accept_threshold_percent / 100.</summary>
    public long AcceptPages { get; }

    /// <summary>Whether zswap holds the page of <paramref name="slot"/>.</summary>
    public bool Holds(int slot) => _length[slot] >= 0;

    /// <summary>
    /// zswap_store of <paramref name="hostPage"/> (its swap slot <paramref name="slot"/>) at the reclaimer's clock
    /// <paramref name="t"/>: an old entry of the slot is dropped; a full pool refuses and queues the shrink worker; a
    /// same-filled page is kept as its word; any other is compressed (costs.compress on the reclaimer) and kept unless
    /// it does not shrink below a page or the pool cannot grow. False: the page goes to the swap device.
    /// </summary>
    public bool Store(int hostPage, int slot, ref long t)
    {
        Invalidate(slot);
        if (CheckLimits())
        {
            _host.Counters.CompressedStoreFailures++;
            QueueShrinkWork();
            return false;
        }
        int length = _host.CompressedBytes(hostPage);
        if (length != PageContents.SameFilled)
        {
            long cpu = PageContents.Scaled(_host.Costs.CompressNs, _host.PageBytes);
            t += cpu;
            _host.Counters.CompressCpuNs += cpu;
            if (length >= _host.PageBytes || !Pool.Malloc(length)) // zswap_compress: dlen >= PAGE_SIZE is compress_poor; zs_malloc may fail
            {
                _host.Counters.CompressedStoreFailures++;
                return false;
            }
        }
        _length[slot] = length;
        if (length > 0) LruAdd(slot); // a same-filled entry frees nothing by writeback: it is on no LRU
        _host.Counters.CompressedStores++;
        return true;
    }

    /// <summary>
    /// zswap_check_limits: at or over zswap_max_pages the pool is full (zswap_pool_limit_hit) and stays so until it is
    /// at or below the accept threshold.
    /// </summary>
    private bool CheckLimits()
    {
        if (Pool.Pages >= MaxPages)
        {
            _reachedFull = true;
            _host.Counters.ZswapPoolLimitHit++;
        }
        else if (_reachedFull && Pool.Pages <= AcceptPages)
            _reachedFull = false;
        return _reachedFull;
    }

    /// <summary>
    /// zswap_load of <paramref name="slot"/> into the swap cache: the CPU it takes the faulting task (costs.decompress;
    /// a same-filled page is filled for nothing). The entry is dropped (zswap_invalidate) and the page marked dirty by the caller.
    /// </summary>
    public long Load(int slot)
    {
        _host.Counters.CompressedLoads++;
        bool compressed = _length[slot] > 0;
        Invalidate(slot);
        if (!compressed) return 0;
        long cpu = PageContents.Scaled(_host.Costs.DecompressNs, _host.PageBytes);
        _host.Counters.CompressCpuNs += cpu;
        return cpu;
    }

    /// <summary>zswap_invalidate (swap_entry_free, a duplicate store, a load): the entry and its pool memory are freed.</summary>
    public void Invalidate(int slot)
    {
        int length = _length[slot];
        if (length < 0) return;
        _length[slot] = -1;
        if (length == 0) return;
        LruDel(slot);
        Pool.Free(length);
    }

    private void QueueShrinkWork()
    {
        _workQueued = true;
        if (_shrinkWork is { } work)
        {
            _shrinkWork = null;
            work.Trigger();
        }
    }

    /// <summary>
    /// The shrink worker (queue_work(shrink_wq) → shrink_worker): when woken by a refused store, write back the
    /// oldest entries (zswap_writeback_entry) until the pool is at or below the accept threshold, stopping when an
    /// entry cannot be written back (no free page above min, or none left). Its decompression is host CPU charged to no
    /// guest; it sleeps in get_request_wait while every write request is taken.
    /// </summary>
    public IEnumerable<Command> ShrinkWorker()
    {
        var sim = _host.Sim;
        while (true)
        {
            if (!_workQueued)
            {
                _shrinkWork = sim.NewEvent();
                yield return Command.Wait(_shrinkWork);
            }
            _workQueued = false;
            long t = sim.Now;
            while (Pool.Pages > AcceptPages && _oldest >= 0)
            {
                if (_host.SwapDevice.WriteRequestsExhausted)
                {
                    if (t > sim.Now) yield return Command.Delay(t - sim.Now);
                    yield return Command.Wait(_host.SwapDevice.WriteDone);
                    t = sim.Now;
                    continue;
                }
                if (!WritebackEntry(_oldest, ref t)) break;
            }
            if (t > sim.Now) yield return Command.Delay(t - sim.Now);
        }
    }

    /// <summary>
    /// zswap_writeback_entry for the entry of <paramref name="slot"/> at the worker's clock <paramref name="t"/>: a new
    /// swap-cache page for it (__read_swap_cache_async), the entry decompressed into it, PG_reclaim set (so
    /// end_page_writeback moves it to the inactive tail, where reclaim frees it), __swap_writepage to the device, the
    /// entry freed. False when no page can be had above the min watermark (reject_reclaim_fail).
    /// </summary>
    public bool WritebackEntry(int slot, ref long t)
    {
        int hostPage = _host.SwapCache.OwnerOf(slot);
        if (!_host.TakePageForWriteback()) return false;
        long cpu = PageContents.Scaled(_host.Costs.DecompressNs, _host.PageBytes);
        t += cpu;
        _host.Counters.CompressCpuNs += cpu;
        Invalidate(slot);
        _host.ZswapWriteback(hostPage, t);
        _host.Counters.ZswapWrittenBack++;
        return true;
    }

    private void LruAdd(int slot)
    {
        _prev[slot] = _newest;
        _next[slot] = -1;
        if (_newest >= 0) _next[_newest] = slot;
        else _oldest = slot;
        _newest = slot;
    }

    private void LruDel(int slot)
    {
        int p = _prev[slot], n = _next[slot];
        if (p >= 0) _next[p] = n;
        else _oldest = n;
        if (n >= 0) _prev[n] = p;
        else _newest = p;
    }
}
