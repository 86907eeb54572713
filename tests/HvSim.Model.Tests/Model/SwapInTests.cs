using HvSim.Model.Config;
using HvSim.Model.Hv;
using HvSim.Model.Mm;
using HvSim.Model.Replacement;
using HvSim.Model.Workloads;
using static HvSim.Model.Tests.Model.ScriptedWorkload;

namespace HvSim.Model.Tests.Model;

public class SwapInTests
{
    /// <summary>Evict host pages 0..7 in order, so they take swap slots 0..7 (one readahead cluster).</summary>
    internal static void SwapOutInOrder(Rig rig, int pages)
    {
        for (int p = 0; p < pages; p++)
        {
            rig.MakeResident(p);
            Hcalls.HEnter(rig.Vm, rig.Host, p, 0, out _);
            ref var page = ref rig.Page(p);
            Assert.True(rig.Host.SwapCache.AddToSwap(ref page, p));
            Assert.Equal(p, page.SwapSlot);
            page.State = HostPageState.SwapCache;
            page.Flags &= ~(HostPageFlags.Young | HostPageFlags.Writable | HostPageFlags.Dirty);
            rig.Vm.Notifier.InvalidatePage(p, 0);
            rig.Host.FreePage(p);
        }
    }

    [Fact]
    public void AMajorFaultReadsTheClusterOneRequestPerPageInSlotOrderAndNeighboursThenFaultMinor()
    {
        // 3.4 swapin_readahead: read_swap_cache_async for slots 0..7 in order, one bio each (no plug), the target
        // (slot 3) fourth. One slot, 100 us + 64 KiB at 1 GB/s = 165,536 ns per request, served in FIFO order.
        var swap = new SwapDeviceConfig { LatencyMeanNs = 100_000, LatencyCv = 0, ParallelSlots = 1, BandwidthBytesPerSecond = 1_000_000_000, CapacityBytes = 64 * ModelKit.Mib };
        var rig = new Rig(swap: swap, script: [[Read(3, thinkNs: 10_000), Read(5)]]);
        SwapOutInOrder(rig, 8);
        rig.StartVcpus();
        rig.Sim.Run();
        var c = rig.Vm.Counters;
        Assert.Equal(8, rig.Host.SwapDevice.Requests);
        Assert.Equal(8, rig.Host.Counters.SwapReadRequests);
        Assert.Equal(8, c.SwapIns);
        Assert.Equal(1, c.MajorFaults);
        Assert.Equal(1, c.MinorFaults); // page 5 came back with the cluster: a swap-cache hit once its own read is done
        const long Rm = 1_000, Exit = 10_000, S = 165_536;
        // Fault 1 issues the reads at its exit and ends when the fourth completes; fault 2 (one access later) waits
        // for the sixth, then maps the page (2 us).
        Assert.Equal(Rm + Exit + 4 * S, c.FaultLatency.Max);
        Assert.Equal(2 * S - Rig.Costs.AccessNs + 2_000, c.FaultLatency.Min);
        for (int p = 0; p < 8; p++) Assert.True(rig.Page(p).State is HostPageState.Resident or HostPageState.SwapCache);
        Assert.Equal(HostPageState.SwapCache, rig.Page(7).State); // read ahead, never mapped
    }

    [Fact]
    public void SwapInAndReadaheadPagesStartInactiveAndOnlyTheMappedYoungPageIsActivatedByTheFirstScan()
    {
        // 3.x: read_swap_cache_async adds every page of the cluster with lru_cache_add_anon (LRU_INACTIVE_ANON), the
        // faulting page included; do_swap_page maps it young, nothing activates it at fault time.
        TwoListPolicy? lru = null;
        var rig = new Rig(script: [[Read(3, thinkNs: 10_000)]], policy: n => lru = new TwoListPolicy(n));
        SwapOutInOrder(rig, 8);
        rig.StartVcpus();
        rig.Sim.Run();
        Assert.Equal(1, rig.Vm.Counters.MajorFaults);
        Assert.Equal((0, 8), (lru!.ActiveCount, lru.InactiveCount));
        Assert.Equal(HostPageState.Resident, rig.Page(3).State);
        Assert.True(rig.Page(3).Has(HostPageFlags.Young));

        // EndSwapBioRead added slots 0..7 in order, so the inactive tail is page 0. get_scan_count gives the inactive
        // list 8 >> 3 = 1, 7 >> 2 = 1, 6 >> 1 = 3 and 3 >> 0 = 3 pages at priorities 3, 2, 1, 0: 0, 1, 2 are clean
        // unmapped swap cache (dropped), 3 is young (activated), 4..7 dropped. Each page is scanned once on the
        // inactive list. At priority 0 the active list's target is 1 >> 0 = 1 and the inactive list is now empty
        // (inactive_anon_is_low), so shrink_mem_cgroup_zone's loop deactivates page 3 again.
        Assert.Equal(7, rig.Reclaim(7, 0, out _));
        Assert.Equal(8, rig.Host.Counters.PagesScanned);
        Assert.Equal(1, rig.Host.Counters.PagesDeactivated);
        Assert.Equal((0, 1), (lru.ActiveCount, lru.InactiveCount));
        Assert.Equal(HostPageState.Resident, rig.Page(3).State);
        for (int p = 0; p < 8; p++)
            if (p != 3) Assert.Equal(HostPageState.SwappedOut, rig.Page(p).State);
    }

    [Fact]
    public void AFaultOnAPageWhoseReadIsInFlightWaitsForItWithoutASecondRequest()
    {
        var rig = new Rig(vcpus: 2, script: [[Read(3, thinkNs: 10_000)], [Read(4, thinkNs: 20_000)]]);
        SwapOutInOrder(rig, 8);
        rig.StartVcpus();
        rig.Sim.Run();
        var c = rig.Vm.Counters;
        Assert.Equal(8, rig.Host.SwapDevice.Requests); // one per page of the cluster, none for the second fault
        Assert.Equal(1, c.MajorFaults);
        Assert.Equal(1, c.MinorFaults);
        // vCPU 0 faults at 10 us and exits at 11 us, issuing the reads of slots 0..7 at 21 us (one slot, 100 us
        // each): page 3's, the fourth, completes at 421 us: 411 us. vCPU 1 is a vcore of its own (threads = 1, QEMU's
        // default): it faults at 20 us, exits at 21 us, finds page 4 locked at 31 us, waits for the fifth read
        // (521 us), then maps it (2 us): 503 us.
        Assert.Equal(411_000, c.FaultLatency.Min);
        Assert.Equal(503_000, c.FaultLatency.Max);
        Assert.Equal(2, c.FaultLatency.Count);
        Assert.Equal(0, c.VcoreExits);
    }

    [Fact]
    public void UnmapAgeingCostsMoreHdsiRefaultsThanRBitAgeing()
    {
        var w = new ZipfWorkload { Alpha = 1.0, ThinkNs = 1_000, WriteFraction = 0.3 };
        var unmap = SimulationRunner.Run(ModelKit.Small(aging: AgingVariant.Unmap, workload: w, durationMs: 300));
        var rbit = SimulationRunner.Run(ModelKit.Small(aging: AgingVariant.RBit, workload: w, durationMs: 300));
        // v1 turns every "referenced" answer into an unmap, so pages still in use fault back in.
        long Refaults(Results.RunResult r) => r.Guests.Sum(g => g.HptesInvalidated);
        Assert.True(Refaults(unmap) > Refaults(rbit), $"unmap {Refaults(unmap)} vs rbit {Refaults(rbit)}");
        Assert.True(unmap.Guests.Sum(g => g.HdsiFaults) > rbit.Guests.Sum(g => g.HdsiFaults));
    }

    [Fact]
    public void WithoutThinkTimeKswapdFallsBehindAndVcpusReclaimDirectly()
    {
        var r = SimulationRunner.Run(ModelKit.Small(workload: new UniformWorkload { ThinkNs = 0 }, durationMs: 300, check: true)
            with { InvariantCheckEveryEvents = 100 });
        Assert.True(r.Host.KswapdWakeups > 0);
        Assert.True(r.Host.DirectReclaims > 0);
        Assert.True(r.Guests.Sum(g => g.StalledNs) > 0);
        Assert.True(r.Host.PagesScanned >= r.Guests.Sum(g => g.PagesReclaimed));
    }

    [Fact]
    public void ASwapInReadThenWrittenIsActivatedByMarkPageAccessedOnTheSecondGup()
    {
        // mm/memory.c follow_page(FOLL_TOUCH) -> mm/swap.c mark_page_accessed after each get_user_pages slow path.
        // The read major fault maps page 3 read-only and inactive: PG_referenced set. The store then faults on the
        // read-only HPTE, get_user_pages(write) goes slow again (do_wp_page): inactive + referenced -> activate_page.
        TwoListPolicy? lru = null;
        var rig = new Rig(script: [[Read(3, thinkNs: 10_000), Write(3)]], policy: n => lru = new TwoListPolicy(n));
        SwapOutInOrder(rig, 8);
        rig.StartVcpus();
        rig.Sim.Run();
        Assert.Equal(1, rig.Vm.Counters.ProtectionFaults);
        Assert.True(lru!.IsActive(3));
        Assert.False(rig.Page(3).Has(HostPageFlags.Referenced)); // cleared by the activation
        Assert.Equal(0, rig.Host.MmapSem.IsLocked(rig.Vm.Index) ? 1 : 0);
        for (int p = 0; p < 8; p++) if (p != 3) Assert.False(lru.IsActive(p)); // readahead pages never went through gup
    }
}
