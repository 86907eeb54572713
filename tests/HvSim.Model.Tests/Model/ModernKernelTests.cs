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
    public void ANewAnonPageStartsOnTheInactiveListIn618AndOnTheActiveListIn34()
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
    public void ARefaultIsActivatedWhenItsDistanceIsAtMostTheActiveAnonList()
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
        Assert.True(ws.Refault(2, 0, lru.ActiveCount, file: false)); // distance 2 - 0 = 2 <= 2 active: activated, clock 3
        Assert.Equal(3, ws.NonresidentAge(0));
        Assert.True(ws.Refault(3, 0, lru.ActiveCount, file: false)); // distance 3 - 1 = 2 <= 2
        ws.Eviction(2, 0); // at 4, clock 5
        ws.AgeNonresident(0, 1); // an activation (workingset_activation), clock 6
        lru.Remove(1); // one active page left; an inactive one does not count for an anon refault
        lru.InsertInactive(5);
        Assert.False(ws.Refault(2, 0, lru.ActiveCount, file: false)); // distance 6 - 4 = 2 > 1: stays inactive, clock unchanged
        Assert.Equal((6L, 3L, 2L), (ws.NonresidentAge(0), ws.RefaultAnon, ws.ActivateAnon));
        Assert.False(ws.Refault(2, 0, lru.ActiveCount, file: false)); // the shadow was consumed: a first touch, not a refault
        Assert.Equal(3L, ws.RefaultAnon);
    }

    [Fact]
    public void AReadSwapInMapsTheExclusivePageWritableIn618KeepingItsSwapCopy()
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
    public void MemoryMaxIsHeldByTheFaultingTaskReclaimingItsOwnCgroupWithoutKswapd()
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

    [Fact]
    public void AReferencedInactiveAnonPageGetsAnotherTripInLinux618AndIsActivatedWhenReferencedAgain()
    {
        // 6.x mm/vmscan.c folio_check_references (since 3.5, e48982734ea0): referenced PTEs set PG_referenced and give
        // FOLIOREF_KEEP (back to the inactive head) unless PG_referenced was already set (FOLIOREF_ACTIVATE); no
        // referenced PTE: FOLIOREF_RECLAIM, PG_referenced cleared. (3.4 page_check_references activates a referenced
        // swap-backed page at once, so nothing would be written here.) Two new anon pages, inactive and young from the
        // fault, page 0 at the tail. get_scan_count gives 2 >> priority pages: none until priority 1 (page 0: young,
        // KEEP), then 2 at priority 0: page 1 (young: KEEP), page 0 (not young since: RECLAIM -> add_to_swap, unmapped,
        // dirty: pageout, back on the inactive list under writeback).
        var rig = TwoList(HostKernel.Linux618);
        rig.MakeResident(0);
        rig.MakeResident(1);
        Assert.Equal(0, rig.Reclaim(1, 0, out _));
        Assert.Equal(3, rig.Host.Counters.PagesScanned);
        Assert.Equal(1, rig.Host.Counters.SwapWrites);
        Assert.True(rig.Page(0).Has(HostPageFlags.Writeback));
        Assert.False(rig.Page(0).Has(HostPageFlags.Referenced));
        Assert.True(rig.Page(1).Has(HostPageFlags.Referenced));
        Assert.Equal((0, 2), (rig.Host.Policy.ActiveCount, rig.Host.Policy.InactiveCount));
        // Page 1 used again: at the tail (priority 1) referenced with PG_referenced set: FOLIOREF_ACTIVATE. At priority
        // 0 page 0 (under writeback) is kept inactive.
        rig.Page(1).Flags |= HostPageFlags.Young;
        Assert.Equal(0, rig.Reclaim(1, 0, out _));
        Assert.True(rig.Host.Policy.IsActive(1));
        Assert.Equal((1, 1), (rig.Host.Policy.ActiveCount, rig.Host.Policy.InactiveCount));
    }

    [Theory]
    [InlineData(FaultPath.Kvm, true, true)]
    [InlineData(FaultPath.Process, false, false)]
    public void AReadSwapInIsMarkedAccessedAndDirtiedByKvmButNotByAPlainProcess(FaultPath path, bool referenced, bool dirty)
    {
        // KVM: get_user_pages(FOLL_TOUCH) -> follow_page_pte -> folio_mark_accessed sets PG_referenced, and the page
        // mapped writable into the guest is dirtied (kvm_release_faultin_page with map_writable; 3.4 SetPageDirty). A
        // plain process's do_swap_page maps the exclusive page writable and clean (6.x pte_mkwrite, no pte_mkdirty) and
        // marks nothing; its first store sets the PTE dirty bit, which reclaim moves to the page.
        var read = new Rig(kernel: HostKernel.Linux618, script: [[Read(0)]], faultPath: path, policy: n => new TwoListPolicy(n));
        SwapInTests.SwapOutInOrder(read, 1);
        read.StartVcpus();
        read.Sim.Run();
        Assert.Equal(1, read.Vm.Counters.MajorFaults);
        Assert.True(read.Page(0).Has(HostPageFlags.Writable));
        Assert.Equal((referenced, dirty), (read.Page(0).Has(HostPageFlags.Referenced), read.Page(0).Has(HostPageFlags.Dirty)));
        var store = new Rig(kernel: HostKernel.Linux618, script: [[Read(0), Write(0)]], faultPath: path, policy: n => new TwoListPolicy(n));
        SwapInTests.SwapOutInOrder(store, 1);
        store.StartVcpus();
        store.Sim.Run();
        Assert.Equal((1, 0), (store.Vm.Counters.MajorFaults, store.Vm.Counters.MinorFaults)); // the store hits the writable HPTE
        Assert.True(store.Page(0).Has(HostPageFlags.Dirty));
    }

    [Theory]
    [InlineData("linux-6.18", 6 + 3)]
    [InlineData("linux-3.4", 7 + 7)]
    public void SwapReadaheadReadsTheVmaWindowInLinux618AndTheSlotClusterInLinux34(string kernel, int readahead)
    {
        // Pages 0..15 swapped out to slots 0..15, then faults on page 12 and page 3 (page_cluster 3). 6.x
        // swap_vma_readahead: the first window is 8 (GET_SWAP_RA_VAL's 4 initial hits) from 12 - 3: pages 9..16, of
        // which 9..15 are on swap (6 read ahead); the second fault, not adjacent and no hit since, gets max(1, 8 / 2) =
        // 4 from 3 - 1: pages 2..5 (3 read ahead). 3.4 swapin_readahead reads the aligned clusters of slots 8..15 and
        // 0..7 (7 read ahead each). vmstat swap_ra counts the pages read besides the faulting one.
        var rig = new Rig(kernel: HostKernel.Find(kernel), script: [[Read(12, thinkNs: 10_000), Read(3, thinkNs: 10_000_000)]],
            policy: n => new TwoListPolicy(n));
        SwapInTests.SwapOutInOrder(rig, 16);
        rig.StartVcpus();
        rig.Sim.Run();
        Assert.Equal(2, rig.Vm.Counters.MajorFaults);
        Assert.Equal(readahead, rig.Host.Counters.SwapRa);
        Assert.Equal(readahead + 2, rig.Host.Counters.SwapReads);
        Assert.Equal(0, rig.Host.Counters.SwapRaHit);
    }

    [Fact]
    public void AFaultOnAPageReadAheadIsAReadaheadHitThatWidensTheNextWindow()
    {
        // swap_cache_get_folio: PG_readahead test-and-cleared on the fault that finds the page (swap_ra_hit), and the
        // VMA's hits grow. Pages 0..31 on swap; fault 10 reads 7..14 (window 8); faults on 11, 12 and 13 are hits (3);
        // fault 20 then gets 3 + 2 = 5 -> 8 pages from 20 - 3: 17..24.
        var rig = new Rig(kernel: HostKernel.Linux618, script: [[Read(10, 10_000), Read(11, 10_000_000), Read(12), Read(13), Read(20, 10_000)]],
            policy: n => new TwoListPolicy(n));
        SwapInTests.SwapOutInOrder(rig, 32);
        rig.StartVcpus();
        rig.Sim.Run();
        Assert.Equal((2, 3), (rig.Vm.Counters.MajorFaults, rig.Vm.Counters.MinorFaults));
        Assert.Equal(3, rig.Host.Counters.SwapRaHit);
        Assert.Equal(7 + 7, rig.Host.Counters.SwapRa);
        for (int p = 17; p <= 24; p++) Assert.NotEqual(HostPageState.SwappedOut, rig.Page(p).State);
        Assert.Equal(HostPageState.SwappedOut, rig.Page(16).State);
        Assert.Equal(HostPageState.SwappedOut, rig.Page(25).State);
    }
}
