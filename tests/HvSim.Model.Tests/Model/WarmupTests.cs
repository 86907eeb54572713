using System.Reflection;
using HvSim.Model.Config;
using HvSim.Model.Results;

namespace HvSim.Model.Tests.Model;

/// <summary>QA finding F7: one warm-up rule for every statistic; faults in flight at the end are not lost.</summary>
public class WarmupTests
{
    [Fact]
    public void CountersCoverThePostWarmupWindowAndTheTimeSeriesKeepsEverything()
    {
        var cfg = ModelKit.Small(hostMib: 48, guestMib: 32, durationMs: 200) with { WarmupNs = 100_000_000 };
        var r = SimulationRunner.Run(cfg);
        Assert.Equal(100_000_000, r.Host.MeasuredNs);
        for (int g = 0; g < r.Guests.Count; g++)
        {
            var c = r.Guests[g];
            var all = r.GuestSeries.Where(s => s.Guest == g).ToList();
            var after = all.Where(s => s.TimeNs > cfg.WarmupNs).ToList();
            Assert.Equal(after.Sum(s => s.Accesses), c.Accesses);
            Assert.Equal(after.Sum(s => s.HdsiFaults), c.HdsiFaults);
            Assert.Equal(after.Sum(s => s.MinorFaults), c.MinorFaults);
            Assert.Equal(after.Sum(s => s.MajorFaults), c.MajorFaults);
            Assert.Equal(after.Sum(s => s.Tlbies), c.Tlbies);
            Assert.Equal(after.Sum(s => s.UnmapHvaCalls), c.UnmapHvaCalls);
            Assert.True(all.Sum(s => s.Accesses) > c.Accesses, "warm-up samples are still reported");
            Assert.True(c.MajorFaults > 0, "the configuration pages after warm-up");
            // Every HDSI taken after warm-up either finished (latency histogram) or was still in flight at the end.
            Assert.Equal(c.HdsiFaults, c.FaultLatency.Count + c.FaultsInFlightAtEnd);
        }
    }

    [Fact]
    public void AFaultStillInFlightAtTheEndIsCountedWithItsStall()
    {
        // Every swap request, write or read, takes 1000 s. Two 32 MiB guests (1024 pages) on 48 MiB - 8 reserved (640
        // pages): memory runs out early, and reclaim then only starts writes that never complete in the 200 ms run. Every
        // anonymous page is dirty from its zero fill, so no page is ever freed, none reaches swap alone and there is no
        // major fault; from then on each vCPU's next fault that needs a page waits in direct reclaim until the end.
        var swap = SwapDeviceConfig.Ssd with { LatencyMeanNs = 1_000_000_000_000, LatencyCv = 0, CapacityBytes = 256 * ModelKit.Mib };
        var r = SimulationRunner.Run(ModelKit.Small(hostMib: 48, guestMib: 32, swap: swap));
        foreach (var g in r.Guests)
        {
            Assert.Equal((0L, 0L, 0L), (g.PagesReclaimed, g.MajorFaults, g.SwapIns));
            Assert.Equal(2, g.FaultsInFlightAtEnd); // one per vCPU, the most there can be
            Assert.True(g.StallDirectReclaimNs > 0);
            Assert.InRange(g.OldestFaultInFlightNs, 0, r.SimulatedNs);
            Assert.True(g.StalledNs >= g.OldestFaultInFlightNs, $"{g.Guest}: stall {g.StalledNs} < in-flight {g.OldestFaultInFlightNs}");
        }
    }

    // The stall and its parts are clipped to the measured window as they are added, not reset; the warm-up used and the
    // first reclaim are facts about the whole run.
    private static readonly string[] GuestLevels = ["GuestMemoryBytes", "PinnedPages", "StalledNs", "SiblingWaitNs", "VcpuNs", "FaultsInFlightAtEnd", "OldestFaultInFlightNs",
        "StallExitNs", "StallSwapQueueNs", "StallSwapServiceNs", "StallDirectReclaimNs", "StallSiblingNs", "StallOtherNs", "BalloonPages"];
    private static readonly string[] HostLevels = ["MemoryBytes", "WatermarkMinPages", "WatermarkLowPages", "WatermarkHighPages", "MeasuredNs", "SwapBusyNs", "FirstReclaimNs", "WarmupNs", "KsmPagesShared", "KsmPagesSharing", "CompressedPoolBytes"];

    [Fact]
    public void WarmupResetClearsEveryEventCounterAndNothingElse()
    {
        var guest = new GuestResult { Guest = "g" };
        var host = new HostResult();
        SetAll(guest);
        SetAll(host);
        guest.ResetCounters();
        host.ResetCounters();
        foreach (var (obj, levels) in new (object, string[])[] { (guest, GuestLevels), (host, HostLevels) })
            foreach (var p in LongProperties(obj))
                Assert.True(p.GetValue(obj) is long v && v == (levels.Contains(p.Name) ? 1 : 0), $"{obj.GetType().Name}.{p.Name} = {p.GetValue(obj)}");
    }

    private static IEnumerable<PropertyInfo> LongProperties(object o) =>
        o.GetType().GetProperties().Where(p => p.PropertyType == typeof(long) && p.SetMethod != null);

    private static void SetAll(object o)
    {
        foreach (var p in LongProperties(o)) p.SetValue(o, 1L);
    }
}
