using HvSim.Engine;
using HvSim.Model.Guest;

namespace HvSim.Model.Mm;

public sealed partial class Host
{
    /// <summary>
    /// madvise(MADV_DONTNEED) of one host page of <paramref name="vm"/>'s RAM (3.4 mm/madvise.c: madvise_dontneed ->
    /// mm/memory.c: zap_page_range): mmu_notifier_invalidate_range_start (kvm_mmu_notifier_invalidate_range_start:
    /// mmu_notifier_count++, kvm_unmap_hva, whose tlbies the range stays open for), zap_pte_range frees what the PTE
    /// held (<see cref="ZapPte"/>), then mmu_notifier_invalidate_range_end (mmu_notifier_seq++, count--). A fault
    /// whose get_user_pages overlaps this retries (mmu_notifier_retry). Only the balloon calls it (QEMU's balloon_page),
    /// so the pages it frees are counted as the balloon's. The caller picked a page no one held; one taken while the
    /// range was open is not zapped.
    /// </summary>
    public IEnumerable<Command> MadviseDontneed(Vm vm, int hostPage)
    {
        long t = vm.Notifier.InvalidateRangeStart(hostPage, 1, Sim.Now);
        if (t > Sim.Now) yield return Command.Delay(t - Sim.Now);
        // A page the host took for a swap read, a reclaim pass or writeback while the range opened is left as it is (3.4
        // would clear its PTE and free it once the holder lets go; see VirtioBalloon.HostCanZap).
        if (!Pages[hostPage].Has(HostPageFlags.Locked | HostPageFlags.Isolated | HostPageFlags.Writeback) && ZapPte(hostPage))
            vm.Counters.BalloonPagesFreed++;
        vm.Notifier.InvalidateRangeEnd();
    }

    /// <summary>
    /// zap_pte_range for one page: a present page is removed from the LRU, uncharged and freed with its swap copy
    /// (page_remove_rmap, free_swap_and_cache); a page mapping a KSM page leaves it (<see cref="Ksm.ZapMerged"/>); a swap
    /// entry frees its slot (free_swap_and_cache). Afterwards the page is as if never touched: the next access is
    /// do_anonymous_page's zero-fill. The caller keeps away pages locked for a read, isolated by reclaim or under
    /// writeback. Returns whether memory was freed.
    /// </summary>
    public bool ZapPte(int hostPage)
    {
        Touched?.Add(hostPage);
        ref var page = ref Pages[hostPage];
        bool freed = false;
        if (Ksm?.IsMerged(hostPage) == true)
        {
            Ksm.ZapMerged(hostPage); // its own memory was freed when it merged
        }
        else if (page.InRam)
        {
            var lruvec = LruvecOf(hostPage);
            if (lruvec.Contains(hostPage)) lruvec.Remove(hostPage);
            VmOf(hostPage).Memcg.Uncharge();
            FreePages++;
            ZonePagesScanned = 0; // free_pcppages_bulk: the zone is reclaimable again
            AllUnreclaimable = false;
            freed = true;
        }
        if (page.SwapSlot >= 0) SwapCache.Free(ref page);
        page.State = HostPageState.NeverTouched;
        page.Flags = HostPageFlags.None;
        if (freed) WakePageFreedWaiters();
        return freed;
    }
}
