using HvSim.Model.Config;
using HvSim.Model.Guest;
using HvSim.Model.Mm;
using HvSim.Model.Replacement;
using HvSim.Model.Workloads;
using static HvSim.Model.Tests.Model.ScriptedWorkload;

namespace HvSim.Model.Tests.Model;

/// <summary>hugetlbfs-backed guests (guests.backing), worked by hand from mm/hugetlb.c and the admission arithmetic.</summary>
public class HugetlbTests
{
    private const long Mib = ModelKit.Mib;

    private static SimulationConfig Host(long? hugepages, MemoryBacking backing, int guests) => new()
    {
        // 2 GiB host of 64 KiB pages, 512 MiB reserved, min_free_kbytes 8192: 2048 - 512 - 8 = 1528 MiB for guests.
        Host = new HostConfig { MemoryBytes = 2048 * Mib, ReservedBytes = 512 * Mib, MinFreeKbytes = 8192, HugePages = hugepages },
        // 600 MiB guests: hugetlbfs rounds each up to 38 huge pages (608 MiB); KVM memory per guest is HPT 256 KiB +
        // revmap 256 KiB + rmap 9600 x 8 B -> 2 pages of 64 KiB = 640 KiB.
        Guests = [.. Enumerable.Range(0, guests).Select(i => new GuestConfig
        {
            Name = $"g{i}", MemoryBytes = 600 * Mib, HptOrder = 18, Backing = backing, Workload = new UniformWorkload(),
        })],
    };

    [Fact]
    public void HugetlbfsGuestsAreAdmittedWhileTheirHugePagesFitLikePinnedMemory()
    {
        // auto pool: two guests hold 2 x (608 MiB + 0.625 MiB) = 1217.25 MiB <= 1528; a third would need 1825.9 MiB.
        Assert.Equal([true, true, false], Admission.Decide(Host(null, MemoryBacking.Hugetlbfs, 3)).Select(r => r is null));
        // The same guests on anonymous memory are pageable: all three need only their KVM memory.
        Assert.Equal([true, true, true], Admission.Decide(Host(null, MemoryBacking.Anonymous, 3)).Select(r => r is null));
        // A pool of 60 huge pages (vm.nr_hugepages = 60) has room for one guest's 38 only: hugetlb_reserve_pages fails for the second.
        var reasons = Admission.Decide(Host(60, MemoryBacking.Hugetlbfs, 2));
        Assert.Null(reasons[0]);
        Assert.Contains("needs 38 huge pages of 16 MiB", reasons[1]);
        Assert.Contains("has 60 and earlier guests reserved 38", reasons[1]);
    }

    [Fact]
    public void ReclaimNeverTakesAHugetlbfsPageAndThePoolLeavesFreeMemory()
    {
        // 64 MiB host, 8 MiB reserved; guest g (16 MiB, hugetlbfs: one huge page of 16 MiB) and guest h (48 MiB,
        // anonymous) each write all their memory. Only h can be reclaimed: g's 256 pages stay resident and on no LRU,
        // and the pool's 256 pages are out of the free count from boot.
        var g = Enumerable.Range(0, 256).Select(p => Write(p, thinkNs: 1_000)).ToArray();
        var h = Enumerable.Range(0, 768).Select(p => Write(p, thinkNs: 1_000)).ToArray();
        var rig = new Rig(script: [g], policy: n => new TwoListPolicy(n), guest: c => c with { Backing = MemoryBacking.Hugetlbfs },
            moreGuests: new GuestConfig { Name = "h", MemoryBytes = 48 * Mib, HptOrder = 18, Workload = new ScriptedWorkload([h]) });
        Assert.Equal(256, rig.Host.HugetlbPages);
        long kvm = rig.Host.KvmPages;
        Assert.Equal(1024 - 128 - 256 - kvm, rig.Host.FreePages);
        rig.StartVcpus();
        rig.Sim.Run();
        var other = rig.Host.Vms[1].Counters;
        Assert.True(other.SwapOuts > 0, "the anonymous guest must page");
        Assert.Equal((0L, 0L, 0L), (rig.Vm.Counters.PagesReclaimed, rig.Vm.Counters.SwapOuts, rig.Vm.Counters.MinorFaults));
        for (int p = 0; p < 256; p++)
        {
            Assert.Equal(HostPageState.Resident, rig.Page(p).State);
            Assert.False(rig.Host.LruvecOf(p).Contains(p));
        }
    }
}
