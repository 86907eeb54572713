using HvSim.Model.Check;
using HvSim.Model.Config;
using HvSim.Model.Mm;
using static HvSim.Model.Tests.Model.ScriptedWorkload;

namespace HvSim.Model.Tests.Model;

public class KswapdTests
{
    [Fact]
    public void KswapdWakesBelowLowAndReclaimsUpToHigh()
    {
        // 64 MiB host of 64 KiB pages = 1024 pages, 128 reserved, and 9 of KVM memory for the 60 MiB guest (HPT and revmap
        // of order 18, 4 pages each; rmap 960 x 8 B, 1 page): 887 usable. min_free_kbytes = int_sqrt(16 * 65536)
        // = 1024 KiB, so min/low/high = 16/20/24 pages. The guest touches 871 pages: free falls to 16 without kswapd.
        var script = Enumerable.Range(0, 871).Select(p => Write(p, thinkNs: 1_000)).ToArray();
        var rig = new Rig(guestMib: 60, script: [script]);
        Assert.Equal(new Watermarks(16, 20, 24), rig.Host.Watermarks);
        var checker = new InvariantChecker(rig.Host);
        rig.Sim.Start(rig.Host.Kswapd.Run());
        rig.StartVcpus();
        long minFree = long.MaxValue;
        while (rig.Sim.Step())
        {
            minFree = Math.Min(minFree, rig.Host.FreePages);
            checker.CheckAll();
        }
        Assert.True(rig.Host.Counters.KswapdWakeups >= 1);
        Assert.Equal(0, rig.Host.Counters.DirectReclaims); // kswapd kept free pages at or above min
        Assert.True(minFree >= rig.Host.Watermarks.Min, $"free fell to {minFree}");
        Assert.True(rig.Host.FreePages >= rig.Host.Watermarks.High, $"free {rig.Host.FreePages} after kswapd");
        Assert.Equal(rig.Host.FreePages - (887 - 871), rig.Vm.Counters.PagesReclaimed);
        // 3.4 balance_pgdat counts freed pages only, so kswapd writes more than it frees: pages whose writes were still
        // in flight when free pages passed high stay in the swap cache, clean, for a later scan to free.
        long writtenNotFreed = Enumerable.Range(0, 871).Count(p => rig.Page(p).State == HostPageState.SwapCache && !rig.Page(p).Has(HostPageFlags.Dirty));
        Assert.True(writtenNotFreed > 0);
        Assert.Equal(rig.Vm.Counters.SwapOuts, rig.Vm.Counters.PagesReclaimed + writtenNotFreed);
    }

    [Fact]
    public void KswapdSleepsOnAnExhaustedWriteQueueUntilAWriteCompletes()
    {
        // get_request_wait: all 128 async request descriptors are taken (dummy 100 ms writes of no pages). The guest
        // touches 869 of the 887 usable pages (~20 us each; 9 pages are the guest's KVM memory): free = 18, below low (20)
        // but above min (16), so only kswapd reclaims. It is woken at ~18 ms, scans and unmaps, and its first write sleeps
        // until the first dummy write completes at 100 ms: only then does a request of its own reach the device.
        var swap = new SwapDeviceConfig { LatencyMeanNs = 100_000_000, LatencyCv = 0, ParallelSlots = 1, BandwidthBytesPerSecond = 0, CapacityBytes = 64 * ModelKit.Mib };
        var script = Enumerable.Range(0, 869).Select(p => Write(p)).ToArray();
        var rig = new Rig(guestMib: 60, swap: swap, script: [script]);
        rig.Sim.Start(rig.Host.Kswapd.Run());
        rig.StartVcpus();
        for (int i = 0; i < SwapDevice.NrRequests; i++) rig.Host.SwapDevice.Submit(new SwapRequest { QueuedAt = 0 });
        long firstWrite = -1, woken = -1;
        while (rig.Sim.Step())
        {
            if (woken < 0 && rig.Host.Counters.KswapdWakeups > 0) woken = rig.Sim.Now;
            if (firstWrite < 0 && rig.Host.SwapDevice.Requests > SwapDevice.NrRequests) firstWrite = rig.Sim.Now;
        }
        Assert.InRange(woken, 1, 99_999_999);
        Assert.Equal(0, rig.Host.Counters.DirectReclaims);
        Assert.True(rig.Host.Counters.WriteRequestWaits >= 1);
        Assert.Equal(100_000_000, firstWrite);
        Assert.True(rig.Vm.Counters.SwapOuts > 0);
    }
}
