using HvSim.Model.Config;
using HvSim.Model.Guest;
using HvSim.Model.Hv;
using HvSim.Model.Workloads;
using static HvSim.Model.Tests.Model.ScriptedWorkload;

namespace HvSim.Model.Tests.Model;

/// <summary>
/// The vcore as the unit that enters and leaves the guest (Linux 3.4 arch/powerpc/kvm/book3s_hv.c: kvmppc_run_core
/// calls kvmppc_handle_exit -> kvmppc_book3s_hv_page_fault for each trapped thread in turn, and re-enters only when all
/// are done). Costs: real-mode HDSI 1 us, exit + re-entry 10 us, swap read a constant 100 us (Rig), access 100 ns.
/// </summary>
public class VcoreTests
{
    private const long Us = 1_000, Rm = 1_000, Exit = 10_000, Read = 100_000;

    [Theory]
    [InlineData(4, 3)] // one vcore of four threads: the three siblings wait
    [InlineData(2, 1)] // vcores {0, 1} and {2, 3}: only vCPU 1 waits
    [InlineData(1, 0)] // QEMU's default: every vCPU a vcore of its own, nobody waits
    public void AMajorFaultStallsEverySiblingOfItsVcoreForItsDurationPlusTheExit(int threads, int siblings)
    {
        // vCPU 0 touches swapped-out page 0 at 10 us; vCPUs 1-3 compute for 100 us, then read resident page 20.
        GuestAccess[][] script = [[ScriptedWorkload.Read(0, 10 * Us)], [ScriptedWorkload.Read(20, 100 * Us)],
            [ScriptedWorkload.Read(20, 100 * Us)], [ScriptedWorkload.Read(20, 100 * Us)]];
        var rig = new Rig(vcpus: 4, threads: threads, script: script);
        SwapInTests.SwapOutInOrder(rig, 1);
        rig.MakeResident(20);
        Hcalls.HEnter(rig.Vm, rig.Host, 20, 0, out _);
        var vcpus = rig.StartVcpus();
        rig.Sim.Run();
        // The HDSI traps at 11 us; the runner starts at 21 us and waits for the read until 121 us; the vcore re-enters
        // there. The fault's latency is 111 us; a sibling was out of the guest from 11 to 121 us: the read plus the exit.
        var c = rig.Vm.Counters;
        Assert.Equal(1, c.MajorFaults);
        Assert.Equal(Rm + Exit + Read, (long)c.FaultLatency.Sum);
        long away = Rm + Exit + Read - Rm; // 11 us to 121 us
        Assert.Equal(Exit + Read, away);
        for (int v = 1; v < 4; v++)
        {
            long waited = v <= siblings ? away : 0;
            Assert.Equal(100 * Us + waited + Rig.Costs.AccessNs, vcpus[v].Clock);
        }
        Assert.Equal(siblings, c.VcoreExits);
        Assert.Equal(siblings * away, c.SiblingWaitNs);
        Assert.Equal(10 * Us + Rm + Exit + Read + Rig.Costs.AccessNs, vcpus[0].Clock); // retries page 0: now a hit
    }

    [Theory]
    [InlineData(2)]
    [InlineData(1)]
    public void TwoOverlappingMajorFaultsOfOneVcoreAreServedOneAfterTheOther(int threads)
    {
        // No readahead (one read per fault); the swap device serves 4 reads in parallel, so only the runner can
        // serialise them. vCPU 0 faults on page 0 at 10 us (trap at 11 us); vCPU 1 faults on page 8 at
        // 10.5 us, before vCPU 0's exit takes it out, so both trap into the same exit (the last at 11.5 us).
        var swap = new SwapDeviceConfig { LatencyMeanNs = Read, LatencyCv = 0, ParallelSlots = 4, BandwidthBytesPerSecond = 0, CapacityBytes = 64 * ModelKit.Mib, ReadaheadPages = 1 };
        GuestAccess[][] script = [[ScriptedWorkload.Read(0, 10 * Us)], [ScriptedWorkload.Read(8, 10_500)]];
        var rig = new Rig(vcpus: 2, threads: threads, swap: swap, script: script);
        SwapInTests.SwapOutInOrder(rig, 16);
        var vcpus = rig.StartVcpus();
        rig.Sim.Run();
        var c = rig.Vm.Counters;
        Assert.Equal(2, c.MajorFaults);
        Assert.Equal(2, rig.Host.SwapDevice.Requests);
        if (threads == 2)
        {
            // One runner, in vCPU order: page 0's read 21.5-121.5 us, then page 8's 121.5-221.5 us; both re-enter at 221.5 us.
            Assert.Equal(221_500 - 10_000, c.FaultLatency.Max);
            Assert.Equal(221_500 - 10_500, c.FaultLatency.Min);
            Assert.Equal(0, c.VcoreExits); // both trapped: neither was pulled out running
        }
        else
        {
            // Two vcores, two runners: the reads overlap (21-121 us and 21.5-121.5 us), 111 us each.
            Assert.Equal(Rm + Exit + Read, c.FaultLatency.Max);
            Assert.Equal(Rm + Exit + Read, c.FaultLatency.Min);
        }
        Assert.Equal(0, c.SiblingWaitNs);
    }

    [Fact]
    public void AThreadThatFaultsAfterTheExitLeftResumesItsWorkAfterTheReEntryAndFaultsThen()
    {
        // vCPU 1 would fault on page 8 at 15 us, but the vcore left the guest at 11 us with 4 us of its think time
        // still to run: it re-enters at 121 us, faults at 125 us and waits for its own read until 236 us. vCPU 0, back
        // at 121 us, reads page 0 (a hit) and computes until 141.1 us; vCPU 1's exit at 126 us takes it out for 110 us.
        var swap = new SwapDeviceConfig { LatencyMeanNs = Read, LatencyCv = 0, ParallelSlots = 4, BandwidthBytesPerSecond = 0, CapacityBytes = 64 * ModelKit.Mib, ReadaheadPages = 1 };
        GuestAccess[][] script = [[ScriptedWorkload.Read(0, 10 * Us), ScriptedWorkload.Read(0, 20 * Us)], [ScriptedWorkload.Read(8, 15 * Us)]];
        var rig = new Rig(vcpus: 2, threads: 2, swap: swap, script: script);
        SwapInTests.SwapOutInOrder(rig, 16);
        var vcpus = rig.StartVcpus();
        rig.Sim.Run();
        var c = rig.Vm.Counters;
        Assert.Equal((Rm + Exit + Read) * 2, (long)c.FaultLatency.Sum);
        Assert.Equal(2, c.VcoreExits); // each fault pulled the other thread out
        Assert.Equal(2 * (Exit + Read), c.SiblingWaitNs);
        Assert.Equal(125 * Us + Rm + Exit + Read + Rig.Costs.AccessNs, vcpus[1].Clock);
        Assert.Equal(141 * Us + Rig.Costs.AccessNs + (Exit + Read) + Rig.Costs.AccessNs, vcpus[0].Clock);
    }

    [Theory]
    [InlineData(1, 4, new[] { 0, 4, 8, 12, 16 })] // QEMU -smp 5: one vCPU per guest core, each on a vcore of its own
    [InlineData(2, 4, new[] { 0, 1, 4, 5, 8 })]
    [InlineData(4, 4, new[] { 0, 1, 2, 3, 4 })]
    [InlineData(1, 1, new[] { 0, 1, 2, 3, 4 })] // PPC970: no SMT
    public void VcpuIdsFollowQemuSpacingAndVcoresAreIdOverThreadsPerCore(int threads, int smt, int[] ids)
    {
        Assert.Equal(ids, Enumerable.Range(0, 5).Select(i => Vcore.VcpuId(i, threads, smt)));
        Assert.Equal(Enumerable.Range(0, 5).Select(i => i / threads), ids.Select(id => Vcore.VcoreOf(id, smt)));
    }

    [Fact]
    public void Ppc970HasOneThreadPerCoreAndAPinExitStallsNobodyElse()
    {
        // PPC970 guests use 4 KiB pages (16 per 64 KiB host page). vCPU 0 first-touches guest page 1600 (host page 100,
        // past the 64-page RMA) at t = 0: H_TOO_HARD exit, pin. vCPUs 1-4 compute for 100 us, then hit guest page 80
        // (host page 5), already mapped.
        GuestAccess[][] script = [[ScriptedWorkload.Read(1600)], [ScriptedWorkload.Read(80, 100_000)], [ScriptedWorkload.Read(80, 100_000)],
            [ScriptedWorkload.Read(80, 100_000)], [ScriptedWorkload.Read(80, 100_000)]];
        var rig = new Rig(platform: Platform.Ppc970, vcpus: 5, script: script);
        rig.MakeResident(5);
        rig.Host.Pages[5].Flags |= Mm.HostPageFlags.Pinned;
        Hcalls.HEnter(rig.Vm, rig.Host, 80, 0, out _);
        var vcpus = rig.StartVcpus();
        rig.Sim.Run();
        Assert.All(vcpus.Skip(1), v => Assert.Equal(100_000 + Rig.Costs.AccessNs, v.Clock));
        Assert.Equal(0, rig.Vm.Counters.VcoreExits);
        Assert.Equal(1, rig.Vm.Counters.PinnedPages);
    }
}
