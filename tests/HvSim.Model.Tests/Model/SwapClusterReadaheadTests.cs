using HvSim.Model.Config;
using HvSim.Model.Mm;
using static HvSim.Model.Tests.Model.ScriptedWorkload;

namespace HvSim.Model.Tests.Model;

/// <summary>
/// Slot-cluster swap readahead, worked by hand from mm/swap_state.c: 3.4's swapin_readahead (a fixed aligned cluster of
/// 2^page_cluster slots) and 6.x's swap_cluster_readahead with swapin_nr_pages (3.15 and later), which 6.x uses instead
/// of the VMA readahead whenever a swap device is rotational (swap_use_vma_readahead: !nr_rotate_swap).
/// </summary>
public class SwapClusterReadaheadTests
{
    [Fact]
    public void ThreePointFourAlwaysReadsTheAlignedClusterOfPageClusterSlots()
    {
        var ra = new SwapClusterReadahead(maxPages: 8, adaptive: false);
        Assert.Equal((96, 104), ra.Window(100, 1000)); // 100 & ~7 = 96
        Assert.Equal((96, 104), ra.Window(101, 1000)); // no adaptation, hits or not
        Assert.Equal((992, 1000), ra.Window(999, 1000)); // cut at the device's last slot
    }

    [Fact]
    public void SixXSizesTheClusterFromTheMachineWideHitsSinceTheLastMiss()
    {
        // swapin_nr_pages(offset): hits = xchg(swapin_readahead_hits, 0); pages = __swapin_nr_pages(prev_offset, offset,
        // hits, 8, last_readahead_pages); prev_offset moves only when there were no hits; last_readahead_pages = pages.
        var ra = new SwapClusterReadahead(maxPages: 8, adaptive: true);
        Assert.Equal((100, 101), ra.Window(100, 1000)); // no history: 100 is not next to prev_offset 0, so 1 page
        Assert.Equal((100, 102), ra.Window(101, 1000)); // adjacent to 100, no hits: 2, aligned (101 & ~1 = 100)
        ra.Hit();                                         // slot 100's page was read ahead and is now used
        Assert.Equal((500, 504), ra.Window(501, 1000)); // 1 hit: 3 -> 4 pages, 501 & ~3 = 500; prev_offset stays 101
        ra.Hit();
        ra.Hit();
        ra.Hit();
        Assert.Equal((200, 208), ra.Window(203, 1000)); // 3 hits: 5 -> 8
        Assert.Equal((600, 604), ra.Window(601, 1000)); // no hits, not next to 101: 1, but no less than 8 / 2
        Assert.Equal((602, 604), ra.Window(603, 1000)); // 603 is not next to 601 either: max(1, 4 / 2) = 2
        Assert.Equal((900, 901), ra.Window(900, 1000)); // max(1, 2 / 2) = 1
    }

    [Fact]
    public void OnLinux618ARotationalSwapDeviceSwapsInBySlotClusterAndAnSsdByVma()
    {
        // Slots 0..7 hold host pages 0..7 (evicted in order); the guest faults on page 3. swap_vma_readahead starts a VMA
        // with 4 hits (GET_SWAP_RA_VAL): a window of 8 around the fault, 8 reads. swap_cluster_readahead has no hits and
        // no adjacent previous offset: the target alone, 1 read.
        static long Reads(bool rotational)
        {
            var swap = new SwapDeviceConfig { LatencyMeanNs = 100_000, LatencyCv = 0, ParallelSlots = 1, BandwidthBytesPerSecond = 0, CapacityBytes = 64 * ModelKit.Mib, Rotational = rotational };
            var rig = new Rig(swap: swap, kernel: HostKernel.Linux618, script: [[Read(3)]]);
            Assert.Equal(rotational, rig.Host.VmaReadahead is null);
            SwapInTests.SwapOutInOrder(rig, 8);
            rig.StartVcpus();
            rig.Sim.Run();
            Assert.Equal(1, rig.Vm.Counters.MajorFaults);
            return rig.Host.Counters.SwapReadRequests;
        }
        Assert.Equal(8, Reads(rotational: false));
        Assert.Equal(1, Reads(rotational: true));
    }
}
