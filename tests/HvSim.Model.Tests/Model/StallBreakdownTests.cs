using HvSim.Model.Config;
using HvSim.Model.Results;
using HvSim.Model.Workloads;

namespace HvSim.Model.Tests.Model;

/// <summary>
/// Where a guest's stalled time goes (GuestResult.Stall*Ns, StallCause). Hand-worked on the vcore runner of Linux 3.4
/// arch/powerpc/kvm/book3s_hv.c (kvmppc_run_core handles each trapped thread's kvmppc_book3s_hv_page_fault in turn):
/// real-mode HDSI 1 us, exit + re-entry 10 us, swap read a constant 100 us (Rig), nothing else costs time on a major fault.
/// </summary>
public class StallBreakdownTests
{
    private const long Us = 1_000;

    /// <summary>
    /// Two vCPUs (<paramref name="threads"/> per vcore) each read a swapped-out page, at 10 us and 10.5 us, from a swap
    /// device of <paramref name="slots"/> slots serving every read in a constant 100 us; the guest's counters after.
    /// </summary>
    private static GuestResult TwoSwapReads(int threads, int slots)
    {
        var swap = new SwapDeviceConfig { LatencyMeanNs = 100 * Us, LatencyCv = 0, ParallelSlots = slots, BandwidthBytesPerSecond = 0, CapacityBytes = 64 * ModelKit.Mib, ReadaheadPages = 1 };
        var rig = new Rig(vcpus: 2, threads: threads, swap: swap, script: [[ScriptedWorkload.Read(0, 10 * Us)], [ScriptedWorkload.Read(8, 10_500)]]);
        SwapInTests.SwapOutInOrder(rig, 16);
        rig.StartVcpus();
        rig.Sim.Run();
        return rig.Vm.Counters;
    }

    [Fact]
    public void TwoFaultsOfOneVcoreSplitIntoExitSwapServiceAndWaitingForTheSibling()
    {
        // As VcoreTests: vCPU 0 faults at 10 us (trap 11 us), vCPU 1 at 10.5 us (trap 11.5 us), one vcore of 2 threads.
        // Exit 11.5-21.5 us; the runner serves vCPU 0's read 21.5-121.5 us, then vCPU 1's 121.5-221.5 us; re-entry 221.5 us.
        var c = TwoSwapReads(threads: 2, slots: 4);
        // vCPU 0: real mode 10-11, exit 11.5-21.5 (11 us); waits for vCPU 1 to trap 11-11.5 and for its fault 121.5-221.5
        // (100.5 us); its own read 21.5-121.5 (100 us). vCPU 1: real mode 10.5-11.5, exit (11 us); waits 21.5-121.5
        // (100 us); its read 121.5-221.5 (100 us).
        Assert.Equal(22 * Us, c.StallExitNs);
        Assert.Equal(200_500, c.StallSiblingNs);
        Assert.Equal(200 * Us, c.StallSwapServiceNs);
        Assert.Equal(0, c.StallSwapQueueNs);
        Assert.Equal(0, c.StallDirectReclaimNs);
        Assert.Equal(0, c.StallOtherNs);
        Assert.Equal(211_500 + 211_000, c.StalledNs);
    }

    [Fact]
    public void AReadBehindAnotherOnAOneSlotDeviceWaitsInTheQueue()
    {
        // Two vcores (threads 1): vCPU 0 traps at 11 us, its runner submits its read at 21 us (served 21-121 us); vCPU 1
        // traps at 11.5 us, submits at 21.5 us and waits in the queue until 121 us, then is served 121-221 us.
        var c = TwoSwapReads(threads: 1, slots: 1);
        Assert.Equal(22 * Us, c.StallExitNs);
        Assert.Equal(99_500, c.StallSwapQueueNs);
        Assert.Equal(200 * Us, c.StallSwapServiceNs);
        Assert.Equal(0, c.StallSiblingNs);
        Assert.Equal(c.StalledNs, c.StallExitNs + c.StallSwapQueueNs + c.StallSwapServiceNs);
    }

    public static TheoryData<int, SwapDeviceConfig, long> Pressured() => new()
    {
        { 1, SwapDeviceConfig.Ssd with { CapacityBytes = 256 * ModelKit.Mib }, 0 },
        // A lone thread's exits that straddle the warm-up's end: only their measured part counts (Vcore.AttributeTrapped
        // adds a lone thread's parts by cause at once only when the whole exit is measured).
        { 1, SwapDeviceConfig.Ssd with { CapacityBytes = 256 * ModelKit.Mib }, 50_000_000 },
        { 2, SwapDeviceConfig.Ssd with { CapacityBytes = 256 * ModelKit.Mib }, 50_000_000 },
        { 2, SwapDeviceConfig.Hdd with { CapacityBytes = 256 * ModelKit.Mib }, 50_000_000 },
    };

    [Theory]
    [MemberData(nameof(Pressured))]
    public void ThePartsAddUpToTheStallOfEveryGuestInAPagingRun(int threads, SwapDeviceConfig swap, long warmupNs)
    {
        // 2 x 48 MiB of guests on 56 MiB usable: kswapd, direct reclaim, queued swap reads, sibling waits, faults in
        // flight at the end. Every stalled nanosecond, inside the measured window, has exactly one cause.
        var config = ModelKit.Small(hostMib: 64, guestMib: 48, vcpus: 4, threads: threads, swap: swap, durationMs: 300) with { WarmupNs = warmupNs };
        var result = SimulationRunner.Run(config);
        Assert.True(result.Host.DirectReclaims + result.Host.KswapdWakeups > 0, "the run must page");
        foreach (var g in result.Guests)
        {
            Assert.True(g.StalledNs > 0);
            Assert.Equal(g.StalledNs, g.StallExitNs + g.StallSwapQueueNs + g.StallSwapServiceNs + g.StallDirectReclaimNs + g.StallSiblingNs + g.StallOtherNs);
            Assert.True(g.StallSwapServiceNs > 0);
            if (threads > 1) Assert.True(g.StallSiblingNs >= g.SiblingWaitNs);
        }
    }
}
