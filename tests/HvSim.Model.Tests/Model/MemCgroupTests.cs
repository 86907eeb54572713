using HvSim.Model.Config;
using HvSim.Model.Mm;
using HvSim.Model.Replacement;
using HvSim.Model.Workloads;
using static HvSim.Model.Tests.Model.ScriptedWorkload;

namespace HvSim.Model.Tests.Model;

/// <summary>
/// Per-guest memory cgroups (memory.max, memory.high, memory.low) on a host whose guests each have their own cgroup
/// and lruvec, worked by hand from 6.x mm/memcontrol.c and mm/vmscan.c.
/// </summary>
public class MemCgroupTests
{
    private const long Page = 64 << 10;

    private static GuestConfig Second(long? low = null, GuestAccess[]? script = null) => new()
    {
        Name = "h", MemoryBytes = 16 * ModelKit.Mib, HptOrder = 18, MemoryLowBytes = low, Workload = new ScriptedWorkload(script is null ? [] : [script]),
    };

    /// <summary>A page of the guest that owns it, charged and clean in the swap cache on its lruvec's inactive list: reclaim frees it at once.</summary>
    private static void CleanSwapCachePage(Rig rig, int hostPage)
    {
        Assert.True(rig.Host.TryAllocateFast());
        rig.Host.DoAnonymousPage(hostPage); // 6.x: charged, on the inactive list of its cgroup's lruvec
        ref var page = ref rig.Page(hostPage);
        Assert.True(rig.Host.SwapCache.AddToSwap(ref page, hostPage));
        page.State = HostPageState.SwapCache;
        page.Flags &= ~(HostPageFlags.Young | HostPageFlags.Writable | HostPageFlags.Dirty);
    }

    [Fact]
    public void MemoryMaxOfOneGuestReclaimsOnlyItsOwnPagesBesideAnUnlimitedGuest()
    {
        // try_charge -> try_to_free_mem_cgroup_pages(memcg): cgroup reclaim walks only the target's lruvec
        // (shrink_node_memcgs from sc->target_mem_cgroup). Guest g (memory.max 64 pages) writes 256 pages; guest h,
        // unlimited, writes 100 on a host with room for both: g never holds more than 64, h loses none.
        var g = Enumerable.Range(0, 256).Select(p => Write(p, thinkNs: 1_000)).ToArray();
        var h = Enumerable.Range(0, 100).Select(p => Write(p, thinkNs: 1_000)).ToArray();
        var rig = new Rig(kernel: HostKernel.Linux618, script: [g], guestMib: 16, hostMib: 64, memoryMaxBytes: 64 * Page,
            moreGuests: Second(script: h));
        rig.StartVcpus();
        long maxUsage = 0;
        while (rig.Sim.Step()) maxUsage = Math.Max(maxUsage, rig.Vm.Memcg.Usage);
        var other = rig.Host.Vms[1];
        Assert.Equal(64, maxUsage);
        Assert.True(rig.Vm.Counters.SwapOuts >= 256 - 64, $"swap-outs {rig.Vm.Counters.SwapOuts}");
        Assert.Equal((0L, 0L, 100L), (other.Counters.SwapOuts, other.Counters.PagesReclaimed, other.Memcg.Usage));
        Assert.Equal(0, rig.Host.Counters.KswapdWakeups);
    }

    [Fact]
    public void GlobalReclaimLeavesACgroupWithinMemoryLowAloneUntilNothingElseIsReclaimable()
    {
        // 6.x shrink_node_memcgs: mem_cgroup_below_low (elow 8 pages >= usage 8) skips guest g and sets
        // memcg_low_skipped; guest h's 8 clean swap-cache pages are freed. A second pass finds only g: every priority
        // skips it, nothing is freed, and do_try_to_free_pages retries with memcg_low_reclaim ("Untapped cgroup
        // reserves? Don't OOM, retry."), which frees g's 8.
        var rig = new Rig(kernel: HostKernel.Linux618, policy: n => new TwoListPolicy(n), guest: c => c with { MemoryLowBytes = 8 * Page },
            moreGuests: Second());
        int h = rig.Host.Vms[1].HostBase;
        for (int p = 0; p < 8; p++)
        {
            CleanSwapCachePage(rig, p);
            CleanSwapCachePage(rig, h + p);
        }
        Assert.Equal(8, rig.Reclaim(32, 0, out _));
        Assert.Equal((8L, 0L), (rig.Vm.Memcg.Usage, rig.Host.Vms[1].Memcg.Usage));
        Assert.Equal(8, rig.Reclaim(32, 0, out _));
        Assert.Equal(0L, rig.Vm.Memcg.Usage);
    }

    [Theory]
    // get_scan_count: scan = size - size * protection / (cgroup_size + 1), at least SWAP_CLUSTER_MAX, then >> priority.
    [InlineData(1000, 600, 800, 0, 251)] // 1000 - 600000 / 801 = 1000 - 749
    [InlineData(1000, 600, 800, 2, 62)] // 251 >> 2
    [InlineData(1000, 900, 800, 0, 32)] // cgroup_size = max(800, 900): 1000 - 900000 / 901 = 2, raised to 32
    [InlineData(1000, 0, 800, 3, 125)] // no protection: 1000 >> 3
    public void MemoryLowScalesTheScanOfACgroupAboveIt(long size, long low, long usage, int priority, long scan) =>
        Assert.Equal(scan, MemCgroup.ProtectedScan(size, low, usage, 32, priority));

    [Fact]
    public void MemoryHighThrottlesTheFaultingVcpuByCalculateHighDelayWhenNothingCanBeReclaimed()
    {
        // 6.x mem_cgroup_handle_over_high, no swap (get_scan_count: noswap, nothing reclaimed). Guest g, memory.high
        // 64 pages, writes 80 pages, one fault and one charge each (nr_pages = 1). At usage u the penalty is
        // floor(floor((u - 64) * 2^20 / 64)^2 * HZ / 2^34) * 1 / 64 jiffies (calculate_high_delay, HZ 100):
        // u = 74: overage 163840, 163840^2 * 100 / 2^34 = 156.25 -> 156, / 64 -> 2; u = 80: 2^18 -> 400 / 64 -> 6.
        // u = 65..73 owe at most 1 jiffy (<= HZ/100: no sleep, one reclaim_high pass); u = 74..80 owe
        // 2, 2, 3, 4, 4, 5, 6 = 26 jiffies, each after 1 + MAX_RECLAIM_RETRIES (16) passes that free nothing.
        var script = Enumerable.Range(0, 80).Select(p => Write(p, thinkNs: 1_000)).ToArray();
        var noSwap = new SwapDeviceConfig { LatencyMeanNs = 100_000, LatencyCv = 0, ParallelSlots = 1, BandwidthBytesPerSecond = 0, CapacityBytes = 0 };
        var rig = new Rig(kernel: HostKernel.Linux618, script: [script], swap: noSwap, policy: n => new TwoListPolicy(n),
            guest: c => c with { MemoryHighBytes = 64 * Page });
        rig.StartVcpus();
        rig.Sim.Run();
        Assert.Equal(80L, rig.Vm.Memcg.Usage);
        Assert.Equal(26 * 10_000_000L, rig.Vm.Counters.MemcgHighThrottleNs);
        Assert.Equal(9 + 7 * 17, rig.Vm.Counters.MemcgHighReclaims);
        Assert.Equal(0, rig.Host.Counters.KswapdWakeups);
        // The throttling is the faulting vCPU's stall: its runner sleeps after the fault's last stretch, before re-entry
        // (mem_cgroup_handle_over_high on the return to user space), so it is counted in the lone thread's stall and in
        // its parts, with nothing to wait for but the penalty (StallCause.Other).
        var c = rig.Vm.Counters;
        Assert.Equal(c.StalledNs, c.StallExitNs + c.StallSwapQueueNs + c.StallSwapServiceNs + c.StallDirectReclaimNs + c.StallSiblingNs + c.StallOtherNs);
        Assert.InRange(c.StallOtherNs, c.MemcgHighThrottleNs, long.MaxValue);
        Assert.InRange(c.StalledNs, c.MemcgHighThrottleNs + 80 * rig.Host.Costs.ExitNs, long.MaxValue);
    }

    [Fact]
    public void CalculateHighDelayFollowsTheKernelArithmetic()
    {
        // usage 1100, high 1000, 64 pages: overage (100 << 20) / 1000 = 104857; 104857^2 * 100 >> 34 = 63; * 64 / 64.
        Assert.Equal(63, PageAlloc.CalculateHighDelay(1100, 1000, 64));
        // Twice high: overage 2^20, 2^40 * 100 >> 34 = 6400 jiffies (clamped to 2 s by the caller).
        Assert.Equal(6400, PageAlloc.CalculateHighDelay(128, 64, 64));
        Assert.Equal(0, PageAlloc.CalculateHighDelay(64, 64, 64));
    }
}
