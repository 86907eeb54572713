using HvSim.Model.Config;

namespace HvSim.Model.Mm;

/// <summary>
/// zram as the swap device (3.4 drivers/staging/zram/zram_drv.c; later drivers/block/zram): a RAM block device whose
/// make_request compresses each page written into its pool and decompresses it on read, synchronously in the task that
/// submits the bio, so a swap write ends before pageout returns (shrink_page_list frees the page at once: "A
/// synchronous write - probably a ramdisk") and a swap read before lock_page would wait. Same-filled pages keep no
/// memory (ZRAM_ZERO / ZRAM_SAME); a page that compresses to more than 3/4 of a page is stored whole (3.4
/// max_zpage_size, ZRAM_UNCOMPRESSED). The pool counts against host memory; mem_limit (3.18) bounds it.
/// </summary>
public sealed class Zram
{
    private readonly Host _host;
    /// <summary>Per swap slot: the bytes stored (0 same-filled), -1 when the slot holds nothing (zram->table[index]).</summary>
    private readonly int[] _size;
    private readonly long _limitPages;

    public Zram(Host host, int slots)
    {
        _host = host;
        _size = new int[slots];
        Array.Fill(_size, -1);
        Pool = new Zpool(host);
        var limit = host.Config.Host.Swap.MemLimitBytes;
        _limitPages = limit is { } bytes ? bytes / host.PageBytes : 0;
    }

    public Zpool Pool { get; }

    /// <summary>Whether <paramref name="slot"/> holds a stored page.</summary>
    public bool Holds(int slot) => _size[slot] >= 0;

    /// <summary>
    /// zram_bvec_write of <paramref name="hostPage"/> into <paramref name="slot"/> at the writer's clock
    /// <paramref name="t"/>: the old contents are freed (zram_free_page), a same-filled page is flagged, any other is
    /// compressed (costs.compress on the writer) and stored. False when the pool cannot grow (zs_malloc fails, or 6.x
    /// zram_write_page finds the pool over mem_limit): the bio ends with an error and the page stays dirty.
    /// </summary>
    public bool BvecWrite(int hostPage, int slot, ref long t)
    {
        if (_size[slot] >= 0) FreePage(slot);
        int length = _host.CompressedBytes(hostPage);
        if (length != PageContents.SameFilled)
        {
            long cpu = PageContents.Scaled(_host.Costs.CompressNs, _host.PageBytes);
            t += cpu;
            _host.Counters.CompressCpuNs += cpu;
            if (length > _host.PageBytes / 4 * 3) length = _host.PageBytes; // max_zpage_size: stored uncompressed
            if ((_limitPages > 0 && Pool.PagesWith(length) > _limitPages) || !Pool.Malloc(length))
            {
                _host.Counters.CompressedStoreFailures++;
                return false;
            }
        }
        _size[slot] = length;
        _host.Counters.CompressedStores++;
        return true;
    }

    /// <summary>
    /// zram_bvec_read of <paramref name="slot"/>: the CPU it takes the reading task (costs.decompress for a compressed
    /// page; a same-filled page is filled, an uncompressed one copied, for nothing).
    /// </summary>
    public long BvecRead(int slot)
    {
        _host.Counters.CompressedLoads++;
        int length = _size[slot];
        if (length == PageContents.SameFilled || length == _host.PageBytes) return 0;
        long cpu = PageContents.Scaled(_host.Costs.DecompressNs, _host.PageBytes);
        _host.Counters.CompressCpuNs += cpu;
        return cpu;
    }

    /// <summary>zram_free_page (zram_slot_free_notify: swap_entry_free on the slot): the stored page's memory goes back.</summary>
    public void FreePage(int slot)
    {
        int length = _size[slot];
        if (length < 0) return;
        _size[slot] = -1;
        if (length > 0) Pool.Free(length);
    }
}
