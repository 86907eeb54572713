namespace HvSim.Model.Mm;

public sealed partial class Host
{
    /// <summary>
    /// do_wp_page on an exclusive anon page (reuse_swap_page): the PTE becomes writable and the page dirty; its swap
    /// copy is dropped unless a write of it is still in flight.
    /// </summary>
    public void DoWpPage(ref HostPage page)
    {
        page.Set(HostPageFlags.Writable | HostPageFlags.Dirty);
        if (page.SwapSlot >= 0 && !page.Has(HostPageFlags.Writeback)) SwapCache.Free(ref page);
    }
}
