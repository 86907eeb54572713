using HvSim.Model.Config;
using HvSim.Model.Mm;
using HvSim.Model.Replacement;

namespace HvSim.Model.Tests.Model;

/// <summary>
/// Worked from 3.4 mm/vmscan.c shrink_page_list and putback_inactive_pages: a page reclaim gives up on (pinned, locked,
/// under writeback) and a page it has just written (PAGE_SUCCESS with PageWriteback: keep_lumpy) go back to the
/// inactive list; only activate_locked (swap full, referenced) puts a page on the active list. When the write
/// completes, end_page_writeback -> rotate_reclaimable_page (mm/swap.c) moves the PG_reclaim page to the inactive tail.
/// </summary>
public class PutbackTests
{
    private static (Rig Rig, TwoListPolicy Lru) TwoListRig(Platform platform = Platform.Power7)
    {
        TwoListPolicy? lru = null;
        var rig = new Rig(platform, policy: n => lru = new TwoListPolicy(n));
        return (rig, lru!);
    }

    /// <summary>Reclaim writes page 0 out: a clean swap-cache page under writeback, back on the inactive list.</summary>
    private static void PageOutUnderWriteback(Rig rig, TwoListPolicy lru)
    {
        rig.MakeResident(0);
        rig.Page(0).Flags &= ~HostPageFlags.Young;
        rig.ShrinkIsolatedPage(0);
        Assert.Equal(HostPageState.SwapCache, rig.Page(0).State);
        Assert.True(rig.Page(0).Has(HostPageFlags.Writeback | HostPageFlags.Reclaim));
        Assert.True(lru.Contains(0));
        Assert.False(lru.IsActive(0));
        Assert.Equal(0, rig.Vm.Counters.PagesReclaimed); // written, not freed: nr_reclaimed counts freed pages only
    }

    [Fact]
    public void AWrittenPageRotatesToTheInactiveTailWhenItsWriteCompletesAndTheNextScanFreesIt()
    {
        var (rig, lru) = TwoListRig();
        foreach (int p in new[] { 1, 2 })
        {
            rig.MakeResident(p);
            lru.Remove(p);
            lru.InsertInactive(p); // inactive, head to tail: 2, 1
        }
        PageOutUnderWriteback(rig, lru); // head to tail: 0, 2, 1
        long free = rig.Host.FreePages;
        rig.Sim.Run(); // the write completes: rotate_reclaimable_page -> head to tail: 2, 1, 0
        Assert.False(rig.Page(0).Has(HostPageFlags.Writeback | HostPageFlags.Reclaim));
        Assert.Equal(HostPageState.SwapCache, rig.Page(0).State);
        Assert.Equal(free, rig.Host.FreePages); // end_swap_bio_write frees nothing itself
        // 3 inactive pages: priorities 12..2 scan 3 >> p = 0 pages, priority 1 scans one, the tail: page 0, clean and
        // unmapped, is freed (__remove_mapping). Without the rotation the tail would be page 1, young and mapped.
        Assert.Equal(1, rig.Reclaim(1, rig.Sim.Now, out _));
        Assert.Equal(1, rig.Host.Counters.PagesScanned);
        Assert.Equal(HostPageState.SwappedOut, rig.Page(0).State);
        Assert.Equal(free + 1, rig.Host.FreePages);
        Assert.Equal(1, rig.Vm.Counters.PagesReclaimed);
    }

    [Fact]
    public void APageMappedAgainWhileUnderWritebackStaysOnTheInactiveListAndIsNotRotatedOnceDirty()
    {
        var (rig, lru) = TwoListRig();
        PageOutUnderWriteback(rig, lru);
        rig.Host.DoSwapPage(0, write: true); // do_swap_page + reuse_swap_page: writable and dirty again
        Assert.Equal(HostPageState.Resident, rig.Page(0).State);
        Assert.True(lru.Contains(0));
        Assert.False(lru.IsActive(0));
        rig.Sim.Run();
        Assert.True(rig.Page(0).Has(HostPageFlags.Dirty)); // rotate_reclaimable_page skips a dirty page
        Assert.Equal(HostPageState.Resident, rig.Page(0).State);
    }

    [Fact]
    public void APageStillUnderWritebackIsKeptOnTheInactiveList()
    {
        var (rig, lru) = TwoListRig();
        PageOutUnderWriteback(rig, lru);
        rig.ShrinkIsolatedPage(0); // isolated again before the write completed: PageWriteback, keep_lumpy
        Assert.True(lru.Contains(0));
        Assert.False(lru.IsActive(0));
        Assert.Equal((0, 1), (lru.ActiveCount, lru.InactiveCount));
        Assert.Equal(1, rig.Vm.Counters.SwapOuts);
        Assert.Equal(0, rig.Vm.Counters.PagesReclaimed);
    }

    [Fact]
    public void APinnedPpc970PageIsKeptOnTheInactiveList()
    {
        var (rig, lru) = TwoListRig(Platform.Ppc970);
        rig.MakeResident(5);
        rig.Page(5).Flags |= HostPageFlags.Pinned;
        rig.ShrinkIsolatedPage(5);
        Assert.Equal(HostPageState.Resident, rig.Page(5).State);
        Assert.True(lru.Contains(5));
        Assert.False(lru.IsActive(5));
    }

    [Fact]
    public void AReferencedPageIsActivated()
    {
        var (rig, lru) = TwoListRig();
        rig.MakeResident(7); // young: the host PTE was just faulted in
        rig.ShrinkIsolatedPage(7); // try_to_unmap_one finds it young: SWAP_FAIL, activate_locked
        Assert.Equal(HostPageState.Resident, rig.Page(7).State);
        Assert.True(lru.IsActive(7));
    }
}
