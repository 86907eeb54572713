using HvSim.Model.Config;
using HvSim.Model.Mm;
using HvSim.Model.Replacement;

namespace HvSim.Model.Tests.Model;

/// <summary>
/// F30 follow-up, worked from 3.x shrink_page_list: a page reclaim gives up on (keep: pinned, locked, under writeback,
/// dirty for a congested queue) goes back to the inactive list it was isolated from; only activate_locked (swap full,
/// referenced) puts it on the active list.
/// </summary>
public class PutbackTests
{
    private static (Rig Rig, TwoListPolicy Lru) TwoListRig(Platform platform = Platform.Power7)
    {
        TwoListPolicy? lru = null;
        var rig = new Rig(platform, policy: n => lru = new TwoListPolicy(n));
        return (rig, lru!);
    }

    /// <summary>Reclaim writes page 0 out (kswapd, uncongested queue): it leaves the LRU as a swap-cache page under writeback.</summary>
    private static void PageOutUnderWriteback(Rig rig, TwoListPolicy lru)
    {
        rig.MakeResident(0);
        rig.Page(0).Flags &= ~HostPageFlags.Young;
        lru.Remove(0); // isolate_lru_pages
        Assert.True(rig.Host.Vmscan.ShrinkPage(0));
        rig.Host.FinishPlug();
        Assert.Equal(HostPageState.SwapCache, rig.Page(0).State);
        Assert.True(rig.Page(0).Has(HostPageFlags.Writeback));
        Assert.False(lru.Contains(0));
    }

    [Fact]
    public void A_page_mapped_again_while_under_writeback_rejoins_the_inactive_list()
    {
        var (rig, lru) = TwoListRig();
        PageOutUnderWriteback(rig, lru);
        rig.Host.MapSwapCachePage(0, write: false); // do_swap_page finds it in the swap cache
        Assert.Equal(HostPageState.Resident, rig.Page(0).State);
        Assert.True(lru.Contains(0));
        Assert.False(lru.IsActive(0));
    }

    [Fact]
    public void A_page_still_under_writeback_is_kept_on_the_inactive_list()
    {
        var (rig, lru) = TwoListRig();
        PageOutUnderWriteback(rig, lru);
        rig.Host.MapSwapCachePage(0, write: false);
        lru.Remove(0); // isolated again from the inactive list before the write completed
        Assert.False(rig.Host.Vmscan.ShrinkPage(0)); // PageWriteback: goto keep
        Assert.True(lru.Contains(0));
        Assert.False(lru.IsActive(0));
        Assert.Equal(1, lru.InactiveCount);
        Assert.Equal(0, lru.ActiveCount);
    }

    [Fact]
    public void A_pinned_ppc970_page_is_kept_on_the_inactive_list()
    {
        var (rig, lru) = TwoListRig(Platform.Ppc970);
        rig.MakeResident(5);
        rig.Page(5).Flags |= HostPageFlags.Pinned;
        lru.Remove(5);
        Assert.False(rig.Host.Vmscan.ShrinkPage(5));
        Assert.Equal(HostPageState.Resident, rig.Page(5).State);
        Assert.True(lru.Contains(5));
        Assert.False(lru.IsActive(5));
    }

    [Fact]
    public void A_referenced_page_is_activated()
    {
        var (rig, lru) = TwoListRig();
        rig.MakeResident(7); // young: the host PTE was just faulted in
        lru.Remove(7);
        Assert.False(rig.Host.Vmscan.ShrinkPage(7)); // try_to_unmap_one finds it young: activate_locked
        Assert.Equal(HostPageState.Resident, rig.Page(7).State);
        Assert.True(lru.IsActive(7));
    }
}
