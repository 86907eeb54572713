using HvSim.Model.Config;
using HvSim.Model.Workloads;

namespace HvSim.Model.Tests.Model;

/// <summary>QA finding F18: with an HDD swap device the guests must keep making (slow) progress.</summary>
public class HddSwapTests
{
    /// <summary>The QA scenario: 2 GiB host, 256 MiB reserved, two 1 GiB 2-vCPU Zipf(1.0) guests, HDD swap, 20 s.</summary>
    internal static SimulationConfig QaMid(AgingVariant aging) => new()
    {
        Name = "mid",
        Platform = Platform.Power7,
        Aging = aging,
        Host = new HostConfig { MemoryBytes = 2L << 30, ReservedBytes = 256L << 20, Swap = SwapDeviceConfig.Hdd },
        Guests = Enumerable.Range(0, 2).Select(i => new GuestConfig
        {
            Name = $"guest{i}", MemoryBytes = 1L << 30, Vcpus = 2, Workload = new ZipfWorkload { Alpha = 1.0 },
        }).ToList(),
        DurationNs = 20_000_000_000,
        WarmupNs = 2_000_000_000,
    };

    [Theory]
    [InlineData(AgingVariant.RBit)]
    [InlineData(AgingVariant.Unmap)]
    public void HddSwapMakesProgressInsteadOfFreezingEveryVcpu(AgingVariant aging)
    {
        var r = SimulationRunner.Run(QaMid(aging));
        // The device never idles (utilisation says: fault latency is queueing), and the write queue stays within the
        // request list: writers sleep in get_request_wait at 128 requests.
        Assert.InRange(r.Host.SwapBusyFraction, 0.9, 1.0);
        Assert.Contains(r.HostSeries, s => s.SwapQueuedWrites > 0);
        Assert.All(r.HostSeries, s => Assert.InRange(s.SwapQueuedWrites, 0, Mm.SwapDevice.NrRequests));
        Assert.True(r.Host.SwapWriteRequests < r.Host.SwapWrites, "swap writes were merged");
        // The device (10 ms per request, shared with writeback) serves ~100 requests/s, ~1,800 in the measured 18 s, and
        // 3.4 readahead reads each of a cluster's 8 pages with a request of its own (swap_state.c swapin_readahead), so
        // at most ~200 major faults fit for both guests together. The frozen host QA saw had 2 major faults and every
        // vCPU stalled from t = 3 s to the end behind ~100 s of queued writes. The swap token (mm/thrash.c) shields the
        // holder's pages, so the guests need not share the device evenly: each must still progress, and together they
        // must use a good part of what the device can read.
        Assert.True(r.Guests.Sum(g => g.MajorFaults) > 100, $"{r.Guests.Sum(g => g.MajorFaults)} major faults in all");
        foreach (var g in r.Guests)
        {
            Assert.True(g.MajorFaults > 20, $"{g.Guest}: {g.MajorFaults} major faults");
            Assert.True(g.StalledNs < g.VcpuNs, $"{g.Guest}: stall {g.StallFraction:P3}");
            Assert.InRange(g.FaultLatency.Quantile(0.5), 0, 500_000_000);
        }
    }

    [Fact]
    public void CongestedHddReclaimKeepsTheKernelModelInvariants()
    {
        var hdd = SwapDeviceConfig.Hdd with { CapacityBytes = 256 * ModelKit.Mib };
        var cfg = ModelKit.Small(hostMib: 64, guestMib: 48, vcpus: 4, durationMs: 3000, swap: hdd, check: true,
            workload: new UniformWorkload { ThinkNs = 200, WriteFraction = 0.5 }) with { InvariantCheckEveryEvents = 100 };
        var r = SimulationRunner.Run(cfg);
        Assert.True(r.Host.SwapWrites > 0);
        Assert.True(r.Guests.Sum(g => g.MajorFaults) > 0);
    }
}
