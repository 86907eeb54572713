using HvSim.Model.Config;
using HvSim.Model.Workloads;

namespace HvSim.Model.Tests.Model;

/// <summary>The per-access path allocates nothing: a run ten times longer allocates no more than a shorter one.</summary>
public class AllocationTests
{
    private static long AllocatedBy(long durationNs, out long accesses)
    {
        var cfg = new SimulationConfig
        {
            Host = new HostConfig { MemoryBytes = 1L << 30 },
            Guests = [new GuestConfig { Name = "g", MemoryBytes = 256L << 20, Vcpus = 1, HptOrder = 18, Workload = new UniformWorkload { ThinkNs = 0 } }],
            DurationNs = durationNs,
            SampleIntervalNs = durationNs, // one sample, whatever the length
        };
        long before = GC.GetAllocatedBytesForCurrentThread();
        var r = SimulationRunner.Run(cfg);
        long bytes = GC.GetAllocatedBytesForCurrentThread() - before;
        accesses = r.Guests[0].Accesses;
        return bytes;
    }

    [Fact]
    public void GuestAccessesThroughValidHptesAllocateNothing()
    {
        // Warm-up long enough that JIT, static tables and the event queue's one-time bucket arrays are all in place.
        AllocatedBy(100_000_000, out _);
        long shortRun = AllocatedBy(100_000_000, out long shortAccesses);
        long longRun = AllocatedBy(1_000_000_000, out long longAccesses);
        Assert.True(longAccesses > 9 * shortAccesses);
        // Everything the long run allocates beyond the short one is per access; allow a few KiB of noise.
        Assert.InRange(longRun - shortRun, long.MinValue, 8_192);
    }
}
