using HvSim.Model.Config;
using HvSim.Model.Mm;

namespace HvSim.Model.Tests.Model;

/// <summary>The time series' memory columns against a brute-force count of every host page after each event.</summary>
public class SamplerTests
{
    [Fact]
    public void EachSampleCountsEveryGuestsPagesInRamAndTheSwapCache()
    {
        // Three guests of different sizes on a host that pages: pages move in and out of RAM and the swap cache while
        // the samples are taken. After every event, count by brute force, page by page, whose page is in RAM (the owner
        // from Host.GuestOf's chunk table, independent of the memslot ranges) and which in-RAM pages hold a swap slot;
        // each sample must equal the count after one of the events at its time (the sampler's own).
        var cfg = ModelKit.Small(hostMib: 64, guestMib: 32, guests: 3, durationMs: 120) with
        {
            SampleIntervalNs = 10_000_000,
            Guests = [.. ModelKit.Small(hostMib: 64, guestMib: 32, guests: 3).Guests.Select((g, i) => g with { MemoryBytes = (16L + 8 * i) * ModelKit.Mib })],
        };
        var seen = new Dictionary<long, List<(long[] InRam, long SwapCache)>>();
        var r = SimulationRunner.Run(cfg, n => SimulationRunner.CreatePolicy(cfg.Host, n), afterEvent: host =>
        {
            var inRam = new long[host.Vms.Count];
            long swapCache = 0;
            for (int p = 0; p < host.Pages.Length; p++)
            {
                if (host.Pages[p].State is not (HostPageState.Resident or HostPageState.SwapCache)) continue;
                inRam[host.GuestOf(p)] += host.PageBytes;
                if (host.Pages[p].SwapSlot >= 0) swapCache += host.PageBytes;
            }
            long now = host.Sim.Now;
            if (!seen.TryGetValue(now, out var list)) seen[now] = list = [];
            list.Add((inRam, swapCache));
        });
        Assert.Equal(12, r.HostSeries.Count);
        Assert.Contains(r.HostSeries, s => s.SwapCacheBytes > 0);
        foreach (var h in r.HostSeries)
        {
            var guests = r.GuestSeries.Where(s => s.TimeNs == h.TimeNs).OrderBy(s => s.Guest).Select(s => s.ResidentBytes).ToArray();
            Assert.Contains(seen[h.TimeNs], c => c.SwapCache == h.SwapCacheBytes && c.InRam.SequenceEqual(guests));
        }
        Assert.Contains(r.GuestSeries, s => s.Guest == 2 && s.ResidentBytes > 16 * ModelKit.Mib); // the largest guest's pages count as its own
    }
}
