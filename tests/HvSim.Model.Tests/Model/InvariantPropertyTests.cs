using FsCheck.Xunit;
using HvSim.Model.Config;
using HvSim.Model.Replacement;
using HvSim.Model.Workloads;

namespace HvSim.Model.Tests.Model;

/// <summary>FsCheck drives random small scenarios; the per-event and full-sweep invariant checks must never fire.</summary>
public class InvariantPropertyTests
{
    [Property(MaxTest = 15)]
    public void RandomSmallScenariosKeepEveryInvariant(byte hostSize, byte guestCount, byte vcpus, bool smallPages, bool ppc970,
        bool unmapAging, byte policy, ushort seed, byte think, byte writes, bool tinySwap)
    {
        var platform = ppc970 ? Platform.Ppc970 : Platform.Power7;
        int guests = 1 + guestCount % 3;
        var workload = (seed % 2 == 0)
            ? new ZipfWorkload { Alpha = 0.5 + (seed % 7) / 10.0, ThinkNs = think * 10, WriteFraction = writes / 255.0 }
            : (WorkloadSpec)new UniformWorkload { ThinkNs = think * 10, WriteFraction = writes / 255.0 };
        var cfg = ModelKit.Small(platform, unmapAging ? AgingVariant.Unmap : AgingVariant.RBit,
            hostMib: 24 + hostSize % 24, guestMib: 8 + 4 * (seed % 3), guests: guests, vcpus: 1 + vcpus % 3, durationMs: 6,
            guestPageBytes: smallPages ? 4096 : null, workload: workload,
            policy: ReplacementPolicies.Names[policy % ReplacementPolicies.Names.Count], seed: seed, check: true,
            swap: SwapDeviceConfig.Ssd with { CapacityBytes = (tinySwap ? 2 : 64) * ModelKit.Mib, LatencyCv = (seed % 3) / 2.0 });
        var r = SimulationRunner.Run(cfg with { InvariantCheckEveryEvents = 1 + seed % 3, InvariantFullSweepEveryEvents = 50 + seed % 200 });

        foreach (var g in r.Guests.Where(g => g.Admitted))
        {
            // No warm-up: every finished HDSI is sampled; at most one per vCPU is still in flight at the end.
            Assert.InRange(g.FaultLatency.Count, g.HdsiFaults - cfg.Guests[0].Vcpus, g.HdsiFaults);
            Assert.True(g.HpteHits <= g.Accesses);
            Assert.True(g.MinorFaults + g.MajorFaults <= g.HdsiFaults + g.PinnedPages);
            if (platform == Platform.Ppc970)
            {
                Assert.Equal(0, g.HdsiFaults);
                Assert.Equal(0, g.PagesReclaimed);
                Assert.Equal(0, g.UnmapHvaCalls);
            }
        }
        if (platform == Platform.Power7) Assert.All(r.Guests, g => Assert.True(g.Admitted));
        Assert.Equal(cfg.DurationNs / cfg.SampleIntervalNs, r.HostSeries.Count);
    }
}
