using HvSim.Model.Config;
using HvSim.Model.Hv;
using HvSim.Model.Mm;
using HvSim.Model.Workloads;
using static HvSim.Model.Tests.Model.ScriptedWorkload;

namespace HvSim.Model.Tests.Model;

/// <summary>
/// Compressed swap (swap device zram, host.zswap), worked by hand from 3.4 drivers/staging/zram/zram_drv.c
/// (zram_bvec_write, zram_bvec_read, zram_slot_free_notify) and 6.x mm/zswap.c (zswap_store, zswap_load,
/// zswap_check_limits, shrink_worker, zswap_writeback_entry). Host pages are 64 KiB; a guest whose pages compress 4x
/// stores 16 KiB per page, four to a pool page; lzo costs 10 us per 4 KiB to compress (160 us a page) and 7 us to
/// decompress (112 us a page).
/// </summary>
public class CompressedSwapTests
{
    private const long Us = 1_000;
    private const long CompressPage = 16 * 10 * Us, DecompressPage = 16 * 7 * Us;

    private static Rig ZramRig(GuestAccess[][]? script = null) => new(script: script, swap: SwapDeviceConfig.Zram with { CapacityBytes = 64 * ModelKit.Mib },
        guest: g => g with { CompressionRatio = 4 });

    private static Rig ZswapRig(int maxPoolPercent = 20, int acceptPercent = 90, GuestAccess[][]? script = null) => new(kernel: HostKernel.Linux618, script: script,
        host: h => h with { Zswap = new ZswapConfig { Enabled = true, MaxPoolPercent = maxPoolPercent, AcceptThresholdPercent = acceptPercent } },
        guest: g => g with { CompressionRatio = 4 });

    /// <summary>Guest pages 0..n-1 resident with an HPTE each, then each reclaimed in turn through shrink_page_list.</summary>
    private static void SwapOut(Rig rig, int from, int to)
    {
        for (int p = from; p < to; p++)
        {
            rig.MakeResident(p);
            Hcalls.HEnter(rig.Vm, rig.Host, p, 0, out _);
        }
        for (int p = from; p < to; p++) rig.ShrinkIsolatedPage(p);
    }

    [Fact]
    public void ZramPoolGrowsByAPageOverTheRatioPerStoredPageAndShrinksWhenItsSlotIsFreed()
    {
        // zram_bvec_write: each page compresses to 64 KiB / 4 = 16 KiB (under max_zpage_size, 48 KiB) and is stored;
        // the bio ends before pageout returns, so shrink_page_list frees the page in the same pass.
        var rig = ZramRig(script: [[Write(0)]]);
        long free = rig.Host.FreePages;
        SwapOut(rig, 0, 6);
        var zram = rig.Host.Zram!;
        Assert.Equal(6 * 16 * 1024L, zram.Pool.Bytes);
        Assert.Equal(2, zram.Pool.Pages); // 96 KiB in 64 KiB pages
        Assert.Equal(free - 2, rig.Host.FreePages); // six pages made resident and freed again, two taken by the pool
        for (int p = 0; p < 6; p++) Assert.Equal(HostPageState.SwappedOut, rig.Page(p).State);
        Assert.Equal((6L, 6L, 6 * CompressPage), (rig.Host.Counters.CompressedStores, rig.Host.Counters.PagesFreed, rig.Host.Counters.CompressCpuNs));
        Assert.Equal(0, rig.Host.SwapDevice.Requests); // no block I/O

        // A store to page 0: 3.4 swapin_readahead reads the cluster of slots 0..7 (six hold pages), each decompressed
        // synchronously by the faulting task; do_wp_page then frees page 0's slot (reuse_swap_page), and
        // zram_slot_free_notify frees its 16 KiB: 80 KiB left, still two pool pages.
        rig.StartVcpus();
        rig.Sim.Run();
        Assert.Equal(6, rig.Host.Counters.CompressedLoads);
        Assert.Equal(6 * CompressPage + 6 * DecompressPage, rig.Host.Counters.CompressCpuNs);
        Assert.Equal(5 * 16 * 1024L, zram.Pool.Bytes);
        Assert.False(zram.Holds(0));
        Assert.True(zram.Holds(1));
        Assert.Equal(-1, rig.Page(0).SwapSlot);
        Assert.Equal(0, rig.Host.SwapDevice.Requests);
        Assert.Equal(1, rig.Vm.Counters.MajorFaults);
    }

    [Fact]
    public void ZswapWritesBackExactlyThePagesOverThePoolLimitOldestFirst()
    {
        // 64 MiB host = 1024 pages; max_pool_percent 1: zswap_max_pages = 10; accept_threshold_percent 50: 5 pages.
        // Entries of 16 KiB: 36 fill 9 pool pages, the 37th opens a 10th, so the pool is at its limit. The 38th store
        // finds it there (zswap_check_limits), is refused (the page goes to the device) and queues shrink_worker, which
        // writes back the oldest entries until the pool is at 5 pages (20 entries): exactly 17, those of pages 0..16.
        var rig = ZswapRig(maxPoolPercent: 1, acceptPercent: 50);
        var zswap = rig.Host.Zswap!;
        Assert.Equal((10L, 5L), (zswap.MaxPages, zswap.AcceptPages));
        rig.Sim.Start(zswap.ShrinkWorker(), "zswap-shrink");
        SwapOut(rig, 0, 38);
        Assert.Equal(10, zswap.Pool.Pages);
        Assert.Equal((37L, 1L, 1L), (rig.Host.Counters.CompressedStores, rig.Host.Counters.CompressedStoreFailures, rig.Host.Counters.ZswapPoolLimitHit));
        Assert.True(rig.Page(37).Has(HostPageFlags.Writeback)); // refused: written to the device
        rig.Sim.Run();
        Assert.Equal(17, rig.Host.Counters.ZswapWrittenBack);
        Assert.Equal(5, zswap.Pool.Pages);
        for (int p = 0; p < 37; p++)
        {
            Assert.Equal(p >= 17, zswap.Holds(rig.Page(p).SwapSlot));
            // zswap_writeback_entry: a swap-cache page, written (PG_reclaim) and left on the inactive list for reclaim.
            Assert.Equal(p < 17 ? HostPageState.SwapCache : HostPageState.SwappedOut, rig.Page(p).State);
        }
        Assert.Equal(18, rig.Host.SwapDevice.Requests);
        Assert.Equal(18, rig.Host.Counters.SwapWrites);

        // Marked full, the pool accepts stores again once it is at the accept threshold, which it now is (5 <= 5).
        SwapOut(rig, 38, 39);
        Assert.True(zswap.Holds(rig.Page(38).SwapSlot));
    }

    [Fact]
    public void ASwapInFromZswapCostsTheDecompressTimeAndNoDeviceIo()
    {
        // One page stored by zswap_store; the guest reads it at 0: real-mode HDSI 1 us and exit 10 us (StallBreakdownTests),
        // then zswap_load decompresses it on the faulting task (112 us, stall "other"), with no swap read. The entry is
        // dropped and the page dirtied, its slot kept (6.x swap cache).
        var rig = ZswapRig(script: [[Read(0)]]);
        SwapOut(rig, 0, 1);
        var zswap = rig.Host.Zswap!;
        Assert.Equal(1, zswap.Pool.Pages);
        rig.StartVcpus();
        rig.Sim.Run();
        var c = rig.Vm.Counters;
        Assert.Equal(0, rig.Host.SwapDevice.Requests);
        Assert.Equal(1, rig.Host.Counters.CompressedLoads);
        Assert.Equal(DecompressPage, c.StallOtherNs);
        Assert.Equal(11 * Us, c.StallExitNs);
        Assert.Equal((0L, 0L), (c.StallSwapQueueNs, c.StallSwapServiceNs));
        Assert.Equal(1, c.MajorFaults);
        Assert.Equal(0, zswap.Pool.Pages);
        Assert.False(zswap.Holds(rig.Page(0).SwapSlot));
        Assert.True(rig.Page(0).Has(HostPageFlags.Dirty));
        Assert.Equal(HostPageState.Resident, rig.Page(0).State);
    }

    [Fact]
    public void SameFilledPagesTakeNoPoolMemoryAndNoCompression()
    {
        // Every page same-filled: zswap keeps each as its repeated word (entry->length 0), no compression, no pool page.
        var rig = new Rig(kernel: HostKernel.Linux618, host: h => h with { Zswap = new ZswapConfig { Enabled = true } }, guest: g => g with { SameFilledFraction = 1 });
        SwapOut(rig, 0, 8);
        Assert.Equal((8L, 0L, 0L), (rig.Host.Counters.CompressedStores, rig.Host.Counters.CompressCpuNs, rig.Host.Zswap!.Pool.Pages));
    }

    [Fact]
    public void PageContentsDrawsEachClassInItsShare()
    {
        // A brute-force count of the per-page draw over 100,000 pages: each class within 1 % of its share.
        var g = new GuestConfig { Name = "g", Workload = new ScriptedWorkload([]), CompressionRatio = 2.5, SameFilledFraction = 0.2, IncompressibleFraction = 0.1 };
        int n = 100_000, same = 0, whole = 0, compressed = 0;
        for (int i = 0; i < n; i++)
            switch (PageContents.CompressedBytes(g, 3, i, 65536))
            {
                case 0: same++; break;
                case 65536: whole++; break;
                case 26215: compressed++; break; // ceil(65536 / 2.5)
            }
        Assert.InRange(same, 19_000, 21_000);
        Assert.InRange(whole, 9_000, 11_000);
        Assert.Equal(n, same + whole + compressed);
    }
}
