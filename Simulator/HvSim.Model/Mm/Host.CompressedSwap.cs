namespace HvSim.Model.Mm;

/// <summary>What swap_writepage did with a page (<see cref="Host.SwapWritepageSync"/>).</summary>
public enum SwapWrite : byte
{
    /// <summary>Neither zswap nor zram took it: pageout submits a bio to the block device.</summary>
    Device,
    /// <summary>Stored synchronously (zswap_store, or zram's make_request): the page is clean and not under writeback.</summary>
    Written,
    /// <summary>zram could not store it (pool full or over mem_limit): the bio ended with an error and the page stays dirty.</summary>
    Failed,
}

/// <summary>
/// What one do_swap_page's synchronous reads owe its task (<see cref="Host.SwapinReadahead"/>): the decompression CPU
/// of every page zswap or zram gave it, and whether the faulting page was one of them (mapped without lock_page).
/// One per faulting task, reused.
/// </summary>
public sealed class SyncSwapRead
{
    public long CpuNs;
    public bool Target;

    public void Reset() => (CpuNs, Target) = (0, false);
}

public sealed partial class Host
{

    /// <summary>
    /// swap_writepage's synchronous tiers for a page reclaim unmapped, at the reclaimer's clock <paramref name="t"/>
    /// (which pays the compression): zswap_store (6.x swap_writeout), or zram's make_request → zram_bvec_write, which
    /// ends the bio before submit_bio returns. Written pages are clean and counted as swapped out.
    /// </summary>
    public SwapWrite SwapWritepageSync(int hostPage, ref long t)
    {
        ref var page = ref Pages[hostPage];
        bool stored;
        if (Zswap != null) stored = Zswap.Store(hostPage, page.SwapSlot, ref t);
        else if (Zram != null) stored = Zram.BvecWrite(hostPage, page.SwapSlot, ref t);
        else return SwapWrite.Device;
        if (!stored) return Zram != null ? SwapWrite.Failed : SwapWrite.Device;
        Touched?.Add(hostPage);
        page.Clear(HostPageFlags.Dirty | HostPageFlags.Reclaim);
        VmOf(hostPage).Counters.SwapOuts++;
        return SwapWrite.Written;
    }

    /// <summary>
    /// swap_read_folio's synchronous tiers for page <paramref name="p"/> being read in for the fault on
    /// <paramref name="target"/>: zswap_load when zswap holds the slot, or zram_bvec_read; the page joins the swap cache
    /// and the LRU at once, unlocked, and the decompression is owed by the faulting task (<paramref name="owed"/>).
    /// zswap drops its entry and dirties the page; 6.x zram (SWP_SYNCHRONOUS_IO) reads outside the swap cache, so the
    /// slot is freed (swap_free) and the page dirty. False when the page must be read from the block device.
    /// </summary>
    private bool SwapReadpageSync(int p, int target, SyncSwapRead owed)
    {
        ref var page = ref Pages[p];
        int slot = page.SwapSlot;
        long cpu;
        bool dirty;
        if (Zswap?.Holds(slot) == true) (cpu, dirty) = (Zswap.Load(slot), true);
        else if (Zram != null) (cpu, dirty) = (Zram.BvecRead(slot), Kernel.SynchronousIoSkipsSwapCache);
        else return false;
        AddToSwapCacheForRead(p);
        if (dirty) page.Set(HostPageFlags.Dirty);
        if (Zram != null && dirty) SwapCache.Free(ref page);
        AddReadPageToLru(p);
        owed.CpuNs += cpu;
        if (p == target) owed.Target = true;
        return true;
    }

    /// <summary>
    /// The end of zswap_writeback_entry for <paramref name="hostPage"/> at the worker's clock <paramref name="t"/>: the
    /// decompressed page is in the swap cache, clean, under writeback with PG_reclaim, on the inactive list, and its
    /// write (__swap_writepage, a request of its own) goes to the device.
    /// </summary>
    public void ZswapWriteback(int hostPage, long t)
    {
        Touched?.Add(hostPage);
        ref var page = ref Pages[hostPage];
        page.State = HostPageState.SwapCache;
        page.Flags = (page.Flags & (HostPageFlags.RmapReferenced | HostPageFlags.RmapChanged)) | HostPageFlags.Writeback | HostPageFlags.Reclaim;
        VmOf(hostPage).Memcg.Charge();
        LruvecOf(hostPage).InsertInactive(hostPage);
        WritebackPages++;
        Counters.SwapWrites++;
        Counters.SwapWriteRequests++;
        SwapDevice.Submit(new SwapRequest { FirstSlot = page.SwapSlot, SlotCount = 1, Bytes = PageBytes, QueuedAt = t });
    }
}
