using HvSim.Model.Config;
using HvSim.Model.Mm;
using HvSim.Model.Replacement;
using static HvSim.Model.Tests.Model.ScriptedWorkload;

namespace HvSim.Model.Tests.Model;

/// <summary>The 3.4 swap token, worked by hand from mm/thrash.c grab_swap_token and mm/rmap.c page_referenced_one.</summary>
public class SwapTokenTests
{
    private static (SwapToken Token, MmapSem Sem, Guest.Vm[] Vms) ThreeGuests()
    {
        var cfg = ModelKit.Small(guests: 3);
        var host = new Host(new HvSim.Engine.Simulation(1), cfg, [0, 1, 2], n => new FifoPolicy(n));
        return (host.SwapToken, host.MmapSem, host.Vms.ToArray());
    }

    [Fact]
    public void AChallengerWhoseFaultIntervalKeepsShrinkingTakesTheTokenFromTheHolder()
    {
        var (token, _, vm) = ThreeGuests();
        var (a, b, c) = (vm[0], vm[1], vm[2]);
        // global_faults 1: A, first come first served: A holds it with priority 2.
        token.Grab(a);
        Assert.Equal((0, 2u), (token.Holder, token.Priority(0)));
        // B faults at 2, 6, 9, 11, 12 (C fills 3, 4, 5, 7, 8, 10). B's intervals 2, 4, 3, 2, 1 against its previous
        // last_interval 0, 2, 4, 3, 2: no, no, ++, ++, ++ -> 0, 0, 1, 2, 3. At 12 its priority 3 beats A's 2:
        // replace_token adds 2 more. C's priority never passes 1.
        int[] order = [1, 2, 2, 2, 1, 2, 2, 1, 2, 1, 1]; // guests faulting at global_faults 2..12
        foreach (int g in order)
        {
            Assert.Equal(0, token.Holder);
            token.Grab(vm[g]);
            Assert.True(token.Priority(2) <= 1);
        }
        Assert.Equal((1, 5u), (token.Holder, token.Priority(1)));
        Assert.Equal(2u, token.Priority(0)); // no ageing: fewer than 256 faults since A took it
    }

    [Fact]
    public void TheHolderGainsTwoPerFaultAndItsPriorityHalvesEvery256FaultsOfOthers()
    {
        var (token, _, vm) = ThreeGuests();
        token.Grab(vm[0]); // global 1: A holds, priority 2, last_aging 1
        token.Grab(vm[0]); // global 2: the holder's own fault: +2
        Assert.Equal(4u, token.Priority(0));
        // C faults from global 3 on (interval 1 after its first): its priority never passes 1. last_aging was set when
        // A took the token (global 1), so the holder's priority halves at the first fault with global - 1 > 255.
        for (int g = 3; g <= 256; g++) token.Grab(vm[2]);
        Assert.Equal(4u, token.Priority(0)); // 256 - 1 = 255, not above TOKEN_AGING_INTERVAL
        token.Grab(vm[2]); // global 257: 257 - 1 = 256 > 255
        Assert.Equal((0, 2u), (token.Holder, token.Priority(0)));
        token.Disable(); // reclaim at priority 0
        Assert.Equal(-1, token.Holder);
        token.Grab(vm[1]); // first come first served again
        Assert.Equal(1, token.Holder);
    }

    [Fact]
    public void TheHoldersPagesCountAsReferencedOnlyWhileItsMmapSemIsHeldAndForOtherReclaimers()
    {
        var (token, sem, vm) = ThreeGuests();
        token.Grab(vm[0]);
        Assert.False(token.PretendReferenced(0, current: null)); // no thread of A in a gup fault
        sem.DownRead(0);
        Assert.True(token.PretendReferenced(0, current: null));   // kswapd reclaiming A's page
        Assert.True(token.PretendReferenced(0, current: vm[1]));  // B's vCPU in direct reclaim
        Assert.False(token.PretendReferenced(0, current: vm[0])); // mm == current->mm: A's own reclaim
        Assert.False(token.PretendReferenced(1, current: null));  // B does not hold it
        sem.UpRead(0);
        Assert.False(token.PretendReferenced(0, current: null));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ReclaimActivatesTheHoldersOldPageAbovePriority0AndDropsTheTokenAt0(bool swapToken)
    {
        // Two old, dirty, inactive pages of the one guest, page 0 at the tail; the guest holds the token and one of its
        // threads is in a gup fault. do_try_to_free_pages: priority 1 scans 2 >> 1 = 1 page, page 0, which
        // page_referenced reports referenced (the token clause): activated. Priority 0 first calls disable_swap_token,
        // then scans page 1 (written). Without the token page 0 is written at priority 1 instead.
        TwoListPolicy? lru = null;
        var rig = new Rig(policy: n => lru = new TwoListPolicy(n), swapToken: swapToken);
        foreach (int p in new[] { 0, 1 })
        {
            rig.MakeResident(p);
            rig.Page(p).Flags &= ~HostPageFlags.Young;
            lru!.Remove(p);
            lru.InsertInactive(p);
        }
        rig.Host.SwapToken.Grab(rig.Vm);
        rig.Host.MmapSem.DownRead(rig.Vm.Index);
        Assert.Equal(0, rig.Reclaim(1, rig.Sim.Now, out _));
        Assert.Equal(-1, rig.Host.SwapToken.Holder);
        Assert.True(rig.Page(1).Has(HostPageFlags.Writeback));
        if (swapToken)
        {
            Assert.Equal(1, rig.Host.Counters.SwapTokenReferences);
            Assert.Equal(HostPageState.Resident, rig.Page(0).State);
            Assert.True(lru!.IsActive(0));
        }
        else
        {
            Assert.Equal(0, rig.Host.Counters.SwapTokenReferences);
            Assert.Equal(HostPageState.SwapCache, rig.Page(0).State);
            Assert.True(rig.Page(0).Has(HostPageFlags.Writeback));
        }
    }
}
