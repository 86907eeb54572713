namespace HvSim.Model.Mm;

public sealed partial class Host
{
    /// <summary>
    /// do_swap_page on a page found (unlocked) in the swap cache: map it again, young; writable and redirtied only for
    /// a store, which also drops the swap copy (reuse_swap_page); a read keeps it read-only, and try_to_free_swap drops
    /// the copy when swap is more than half full (vm_swap_full). The page is already on the LRU (read_swap_cache_async).
    /// 6.x maps the exclusive page writable on a read fault too, clean, keeping its swap copy (pte_mkwrite for an
    /// exclusive folio; should_try_to_free_swap), so a later store takes no second fault.
    /// </summary>
    public void DoSwapPage(int hostPage, bool write)
    {
        Touched?.Add(hostPage);
        ref var page = ref Pages[hostPage];
        page.State = HostPageState.Resident;
        page.Set(HostPageFlags.Young);
        if (write) DoWpPage(ref page);
        else if (Kernel.SwapInMapsExclusiveWritable) page.Set(HostPageFlags.Writable);
        if (!write && page.SwapSlot >= 0 && SwapCache.IsFull && !page.Has(HostPageFlags.Writeback))
        {
            SwapCache.Free(ref page);
            page.Set(HostPageFlags.Dirty);
        }
    }
}
