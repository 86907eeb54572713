using HvSim.Model.Config;
using HvSim.Model.Workloads;

namespace HvSim.Model.Tests.Model;

/// <summary>Small configurations for model tests.</summary>
internal static class ModelKit
{
    public const int K64 = 64 << 10;
    public const long Mib = 1 << 20;

    public static SimulationConfig Small(Platform platform = Platform.Power7, AgingVariant aging = AgingVariant.RBit,
        long hostMib = 64, long guestMib = 32, int guests = 2, int vcpus = 2, long durationMs = 200, int? guestPageBytes = null,
        WorkloadSpec? workload = null, string policy = "twolist", bool reference = false,
        bool check = false, SwapDeviceConfig? swap = null, long seed = 42, int hptOrder = 18, int threads = 1,
        LinearMap linearMap = LinearMap.Bolted)
    {
        var w = workload ?? new ZipfWorkload { Alpha = 0.8, ThinkNs = 500, WriteFraction = 0.3 };
        return new SimulationConfig
        {
            Name = "test",
            Platform = platform,
            Aging = aging,
            Host = new HostConfig
            {
                MemoryBytes = hostMib * Mib, ReservedBytes = 8 * Mib, Policy = policy, RmaBytes = 4 * Mib,
                Swap = swap ?? SwapDeviceConfig.Ssd with { CapacityBytes = 256 * Mib },
            },
            Guests = Enumerable.Range(0, guests).Select(i => new GuestConfig
            {
                Name = $"g{i}", MemoryBytes = guestMib * Mib, Vcpus = vcpus, Threads = threads, HptOrder = hptOrder, PageSizeBytes = guestPageBytes, LinearMap = linearMap, Workload = w,
            }).ToList(),
            DurationNs = durationMs * 1_000_000,
            SampleIntervalNs = 10_000_000,
            Seed = (ulong)seed,
            ReferenceMode = reference,
            CheckInvariants = check,
        };
    }
}
