using HvSim.Model.Bench;
using HvSim.Model.Config;
using Xunit.Abstractions;
namespace HvSim.Model.Tests.Model;
public class MeasureTmp(ITestOutputHelper o)
{
    private void Show(string name, Results.RunResult r)
    {
        var h = r.Host;
        o.WriteLine($"{name}: busy {h.SwapBusyFraction:P1} rd-wait p50/p99 {h.SwapReadWait.Quantile(0.5)/1e6:F2}/{h.SwapReadWait.Quantile(0.99)/1e6:F2} ms (n={h.SwapReadWait.Count}) wr-wait p50/p99 {h.SwapWriteWait.Quantile(0.5)/1e6:F1}/{h.SwapWriteWait.Quantile(0.99)/1e6:F1} ms  wr {h.SwapWrites} in {h.SwapWriteRequests} req, rd {h.SwapReads} in {h.SwapReadRequests} req, deferred {h.PageoutsDeferred} direct {h.DirectReclaims} maxQ w {r.HostSeries.Max(s => s.SwapQueuedWrites)} r {r.HostSeries.Max(s => s.SwapQueuedReads)}");
        foreach (var g in r.Guests.Where(g => g.Admitted))
            o.WriteLine($"  {g.Guest}: acc {g.Accesses} maj {g.MajorFaults} min {g.MinorFaults} stall {g.StallFraction:P2} p50/p99 {g.FaultLatency.Quantile(0.5)/1e3:F0}/{g.FaultLatency.Quantile(0.99)/1e3:F0} us inflight {g.FaultsInFlightAtEnd}");
    }
    [Fact]
    public void Measure()
    {
        foreach (var dev in new[] { SwapDeviceConfig.Ssd, SwapDeviceConfig.Hdd })
            foreach (var aging in new[] { AgingVariant.Unmap, AgingVariant.RBit })
            {
                var c = HddSwapTests.QaMid(aging);
                Show($"mid {dev.Kind} {aging}", SimulationRunner.Run(c with { Host = c.Host with { Swap = dev } }));
            }
        Show("quickstart power7", SimulationRunner.Run(ModelBenchmarks.QuickstartConfig(Platform.Power7)));
        Show("quickstart ppc970", SimulationRunner.Run(ModelBenchmarks.QuickstartConfig(Platform.Ppc970)));
    }
}
