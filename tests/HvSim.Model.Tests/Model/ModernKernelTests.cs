using HvSim.Model.Config;
using HvSim.Model.Mm;
using HvSim.Model.Replacement;
using HvSim.Model.Workloads;
using static HvSim.Model.Tests.Model.ScriptedWorkload;

namespace HvSim.Model.Tests.Model;

/// <summary>host.kernel: linux-6.18 against linux-3.4, and guests.memory_max, worked by hand from the 6.x sources.</summary>
public class ModernKernelTests
{
    private static Rig TwoList(HostKernel kernel, GuestAccess[][]? script = null, long? memoryMax = null) =>
        new(kernel: kernel, script: script, memoryMaxBytes: memoryMax, policy: n => new TwoListPolicy(n));

    [Fact]
    public void A_new_anon_page_starts_on_the_inactive_list_in_6_18_and_on_the_active_list_in_3_4()
    {
        // 6.x mm/memory.c do_anonymous_page -> folio_add_lru_vma -> lru_cache_add_inactive_or_unevictable (5.9);
        // 3.4 page_add_new_anon_rmap -> lru_cache_add_lru(page, LRU_ACTIVE_ANON).
        var modern = TwoList(HostKernel.Linux618);
        modern.MakeResident(5);
        Assert.Equal((0, 1), (modern.Host.Policy.ActiveCount, modern.Host.Policy.InactiveCount));
        var old = TwoList(HostKernel.Linux34);
        old.MakeResident(5);
        Assert.Equal((1, 0), (old.Host.Policy.ActiveCount, old.Host.Policy.InactiveCount));
    }

    [Fact]
    public void A_refault_is_activated_when_its_distance_is_at_most_the_active_anon_list()
    {
        // mm/workingset.c: workingset_eviction records nonresident_age, then ages it by one; workingset_test_recent
        // activates when refault - eviction <= NR_ACTIVE_ANON (swap has room, no file pages); workingset_refault
        // then ages it by one more. Two pages active (A, B); C and D evicted at ages 0 and 1 (clock now 2).
        var lru = new TwoListPolicy(8);
        lru.Insert(0);
        lru.Insert(1);
        var ws = new Workingset(8, 1);
        ws.Eviction(2, 0);
        ws.Eviction(3, 0);
        Assert.Equal(2, ws.NonresidentAge(0));
        Assert.True(ws.Refault(2, 0, lru, swapHasRoom: true)); // distance 2 - 0 = 2 <= 2 active: activated, clock 3
        Assert.Equal(3, ws.NonresidentAge(0));
        Assert.True(ws.Refault(3, 0, lru, swapHasRoom: true)); // distance 3 - 1 = 2 <= 2
        ws.Eviction(2, 0); // at 4, clock 5
        ws.AgeNonresident(0, 1); // an activation (workingset_activation), clock 6
        lru.Remove(1); // one active page left; an inactive one does not count for an anon refault
        lru.InsertInactive(5);
        Assert.False(ws.Refault(2, 0, lru, swapHasRoom: true)); // distance 6 - 4 = 2 > 1: stays inactive, clock unchanged
        Assert.Equal((6L, 3L, 2L), (ws.NonresidentAge(0), ws.RefaultAnon, ws.ActivateAnon));
        Assert.False(ws.Refault(2, 0, lru, swapHasRoom: true)); // the shadow was consumed: a first touch, not a refault
        Assert.Equal(3L, ws.RefaultAnon);
    }

    [Fact]
    public void A_read_swap_in_maps_the_exclusive_page_writable_in_6_18_keeping_its_swap_copy()
    {
        // 6.x mm/memory.c do_swap_page: pte_mkwrite for an exclusive anon folio whatever the fault; the swap copy is
        // kept on a read fault (should_try_to_free_swap: only for a write, or swap full). 3.4 maps it read-only.
        foreach (var (kernel, writable) in new[] { (HostKernel.Linux618, true), (HostKernel.Linux34, false) })
        {
            var rig = TwoList(kernel);
            SwapInTests.SwapOutInOrder(rig, 1);
            rig.Page(0).State = HostPageState.SwapCache; // read back into the swap cache
            rig.Host.DoSwapPage(0, write: false);
            Assert.Equal(writable, rig.Page(0).Has(HostPageFlags.Writable));
            Assert.False(rig.Page(0).Has(HostPageFlags.Dirty));
            Assert.Equal(0, rig.Page(0).SwapSlot);
        }
    }

    [Fact]
    public void Memory_max_is_held_by_the_faulting_task_reclaiming_its_own_cgroup_without_kswapd()
    {
        // 6.x mm/memcontrol.c try_charge -> try_to_free_mem_cgroup_pages (mm/vmscan.c): a guest of 256 pages of 64 KiB
        // writes all 256 on a host with room for all of them, in a cgroup of memory.max 64 pages. The host never
        // nears its watermarks, so kswapd never wakes; every page past the 64th is charged only after the faulting
        // vCPU reclaimed: at most 64 charged at any time, and at least 256 - 64 pages written to swap.
        var script = Enumerable.Range(0, 256).Select(p => Write(p, thinkNs: 1_000)).ToArray();
        var rig = new Rig(kernel: HostKernel.Linux618, script: [script], guestMib: 16, hostMib: 64, memoryMaxBytes: 4 * ModelKit.Mib,
            policy: n => new TwoListPolicy(n));
        long maxUsage = 0;
        rig.StartVcpus();
        while (rig.Sim.Step()) maxUsage = Math.Max(maxUsage, rig.Vm.Memcg.Usage);
        Assert.Equal(64, maxUsage);
        Assert.Equal(0, rig.Host.Counters.KswapdWakeups);
        Assert.True(rig.Vm.Counters.SwapOuts >= 256 - 64, $"swap-outs {rig.Vm.Counters.SwapOuts}");
        Assert.Equal(256, rig.Vm.Counters.MinorFaults);
    }
}
