using HvSim.Model.Config;
using HvSim.Model.Results;
using HvSim.Model.Workloads;

namespace HvSim.Model.Tests.Model;

/// <summary>The inline fast path against the one-event-per-step reference mode, and run-to-run determinism.</summary>
public class EquivalenceTests
{
    public static TheoryData<Platform, AgingVariant, string, int, long, int, LinearMap> Scenarios => new()
    {
        { Platform.Power7, AgingVariant.RBit, "twolist", 65536, 1, 1, LinearMap.Bolted },
        { Platform.Power7, AgingVariant.Unmap, "twolist", 4096, 2, 2, LinearMap.Bolted },
        { Platform.Power7, AgingVariant.RBit, "lru", 65536, 3, 1, LinearMap.Bolted },
        { Platform.Power7, AgingVariant.RBit, "clock", 4096, 4, 4, LinearMap.Bolted },
        { Platform.Power7, AgingVariant.Unmap, "slru", 65536, 6, 2, LinearMap.Bolted },
        { Platform.Power7, AgingVariant.RBit, "fifo", 65536, 7, 1, LinearMap.Bolted },
        { Platform.Ppc970, AgingVariant.RBit, "twolist", 4096, 5, 1, LinearMap.Bolted },
        { Platform.Power7, AgingVariant.RBit, "twolist", 65536, 8, 4, LinearMap.Bolted },
        // Guests without a bolted linear map: one HPTE per page, PPC970 pinning lazily on first touch.
        { Platform.Power7, AgingVariant.RBit, "twolist", 4096, 9, 2, LinearMap.None },
        { Platform.Ppc970, AgingVariant.RBit, "twolist", 4096, 10, 1, LinearMap.None },
    };

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void InlineAndReferenceModesGiveIdenticalResults(Platform platform, AgingVariant aging, string policy, int guestPage, long seed, int threads,
        LinearMap linearMap)
    {
        // Zero think time makes many steps land on the same nanosecond as other events: the tie-breaking must agree too.
        var w = new ZipfWorkload { Alpha = 1.0, ThinkNs = seed % 2 == 0 ? 0 : 300, WriteFraction = 0.4 };
        // threads > 1 puts vCPUs into shared vcores (4 vCPUs then: two vcores of 2, or one of 4), so sibling exits,
        // overlapping traps and the runner's serial handling must agree too.
        var cfg = ModelKit.Small(platform, aging, hostMib: 48, guestMib: 24, guests: 2, vcpus: threads == 1 ? 2 : 4, durationMs: 150, guestPageBytes: guestPage,
            workload: w, policy: policy, seed: seed, threads: threads, linearMap: linearMap) with { WarmupNs = 10_000_000 };
        var fast = SimulationRunner.Run(cfg);
        var reference = SimulationRunner.Run(cfg with { ReferenceMode = true });
        Assert.True(reference.ProcessedEvents > fast.ProcessedEvents);
        AssertSameResults(fast, reference);
        Assert.InRange(fast.Guests.Sum(g => g.Accesses), 1_000, long.MaxValue);
        if (platform == Platform.Power7) Assert.InRange(fast.Guests.Sum(g => g.MajorFaults), 1, long.MaxValue);
        if (threads > 1) Assert.InRange(fast.Guests.Sum(g => g.SiblingWaitNs), 1, long.MaxValue);
    }

    public static TheoryData<string, long> Levers => new()
    {
        { "ksm", 11 }, { "memory_max", 12 }, { "hugetlbfs", 13 }, { "ksm+memory_max", 14 }, { "balloon_policy", 15 },
    };

    [Theory]
    [MemberData(nameof(Levers))]
    public void InlineAndReferenceModesGiveIdenticalResultsWithTheLevers(string lever, long seed)
    {
        // Three guests of four vCPUs in vcores of two, zero think time every other access pattern (ties), under host
        // reclaim: the vCPUs of one guest share HPTEs and fault on each other's pages, and every guest's faults allocate
        // from the same free memory that kswapd and direct reclaim refill. ksmd merges pages across guests (unmapping
        // their HPTEs through kvm_set_spte_hva) while they run; memory.max reclaims a guest's own pages in its runner;
        // a hugetlbfs guest never faults after boot while the others page around it; MoM's balloon policy, every 20 ms,
        // inflates and deflates the balloons (madvise through invalidate_range_start/end) while the vCPUs fault.
        var w = new ZipfWorkload { Alpha = 0.9, ThinkNs = seed % 2 == 0 ? 0 : 200, WriteFraction = 0.4 };
        var cfg = ModelKit.Small(Platform.Power7, hostMib: 64, guestMib: 32, guests: 3, vcpus: 4, durationMs: 150, guestPageBytes: 65536,
            workload: w, seed: seed, threads: 2, hptOrder: 20) with { WarmupNs = 10_000_000 };
        bool ksm = lever.Contains("ksm"), max = lever.Contains("memory_max"), huge = lever == "hugetlbfs", mom = lever == "balloon_policy";
        cfg = cfg with
        {
            Host = cfg.Host with { Ksm = new KsmConfig { Run = ksm, PagesToScan = 400, SleepNs = 1_000_000 }, HugePages = huge ? 2 : null,
                BalloonPolicy = new BalloonPolicyConfig { Enabled = mom, IntervalNs = 20_000_000, MaxChange = 0.25 } },
            Guests = cfg.Guests.Select((g, i) => g with
            {
                DuplicateFraction = ksm ? 0.5 : 0,
                MemoryMaxBytes = max ? 20 * ModelKit.Mib : null,
                Backing = huge && i == 0 ? MemoryBacking.Hugetlbfs : MemoryBacking.Anonymous,
            }).ToList(),
        };
        var fast = SimulationRunner.Run(cfg);
        var reference = SimulationRunner.Run(cfg with { ReferenceMode = true });
        Assert.True(reference.ProcessedEvents > 2 * fast.ProcessedEvents, $"{reference.ProcessedEvents} events in reference mode, {fast.ProcessedEvents} inline");
        AssertSameResults(fast, reference);
        Assert.InRange(fast.Guests.Sum(g => g.MajorFaults), 1, long.MaxValue);
        Assert.InRange(fast.Guests.Sum(g => g.SiblingWaitNs), 1, long.MaxValue);
        if (ksm) Assert.InRange(fast.Host.KsmPagesSharing, 1, long.MaxValue);
        if (max) Assert.InRange(fast.Guests.Sum(g => g.PagesReclaimed), 1, long.MaxValue);
        if (huge) Assert.Equal(0, fast.Guests[0].MajorFaults);
        if (mom) Assert.InRange(fast.Guests.Sum(g => g.BalloonInflated), 1, long.MaxValue);
    }

    public static TheoryData<string, long, int, long> RunAheadHazards => new()
    {
        // name, host MiB, threads per vcore, mean think ns
        { "first-touch-ample-memory", 640, 1, 300 },
        { "first-touch-shared-vcores", 640, 2, 300 },
        { "memory-runs-out", 396, 1, 400 },
        { "memory-runs-out-shared-vcores", 396, 2, 400 },
        { "lock-step", 640, 1, 0 },
    };

    /// <summary>
    /// Where letting one guest's vCPUs run ahead of other guests' waiting steps (issue 12's run-ahead) would change results
    /// if it ran a step it must not: four guests of two vCPUs (in vcores of their own or sharing one) touch their memory for
    /// the first time, in 4 KiB pages through an HPT with fewer slots than pages, while their steps interleave at
    /// sub-microsecond scale, so each guest's H_ENTERs (evicting HPTEs its other vCPUs hit, pSeries_lpar_hpte_remove)
    /// and HDSIs (scheduling the runner's resumption) land among every guest's hits; with
    /// memory to spare all along, with memory that runs out halfway (from then on every exit's allocation can wake kswapd
    /// or reclaim, ageing and unmapping any guest's pages), and with zero think time, where steps of different guests fall
    /// on the same nanoseconds and the reference orders them by the steps that scheduled them.
    /// </summary>
    [Theory]
    [MemberData(nameof(RunAheadHazards))]
    public void InlineAndReferenceModesAgreeWhereRunAheadWouldShow(string name, long hostMib, int threads, long thinkNs)
    {
        var w = new ZipfWorkload { Alpha = 1.1, ThinkNs = thinkNs, WriteFraction = 0.4 };
        var cfg = ModelKit.Small(Platform.Power7, hostMib: hostMib, guestMib: 96, guests: 4, vcpus: 2, durationMs: 80, workload: w, threads: threads,
            seed: name.Length, linearMap: LinearMap.None, guestPageBytes: 4096, hptOrder: 18) with { WarmupNs = 5_000_000 };
        var fast = SimulationRunner.Run(cfg);
        var reference = SimulationRunner.Run(cfg with { ReferenceMode = true });
        AssertSameResults(fast, reference);
        // Every guest faults (H_ENTER and HDSI) while the others hit, and with memory to spare, evicts HPTEs from full PTEGs (H_REMOVE).
        Assert.All(fast.Guests, g => Assert.InRange(g.HdsiFaults, 100, g.HpteHits));
        if (hostMib >= 512) Assert.All(fast.Guests, g => Assert.InRange(g.HRemoveCalls, 100, long.MaxValue));
        Assert.Equal(hostMib < 512, fast.Host.PagesScanned > 0);
    }

    [Fact]
    public void SameConfigAndSeedGiveIdenticalResults()
    {
        var cfg = ModelKit.Small(durationMs: 100);
        AssertSameResults(SimulationRunner.Run(cfg), SimulationRunner.Run(cfg));
        Assert.Equal(SimulationRunner.Run(cfg).ProcessedEvents, SimulationRunner.Run(cfg).ProcessedEvents);
    }

    [Fact]
    public void AnotherSeedGivesOtherResults()
    {
        var a = SimulationRunner.Run(ModelKit.Small(durationMs: 100, seed: 1));
        var b = SimulationRunner.Run(ModelKit.Small(durationMs: 100, seed: 2));
        Assert.NotEqual(Fingerprint(a.Guests[0]), Fingerprint(b.Guests[0]));
    }

    internal static void AssertSameResults(RunResult a, RunResult b)
    {
        Assert.Equal(a.Guests.Count, b.Guests.Count);
        for (int i = 0; i < a.Guests.Count; i++)
        {
            Assert.Equal(Fingerprint(a.Guests[i]), Fingerprint(b.Guests[i]));
            Assert.Equal(a.Guests[i].FaultLatency.Buckets().ToList(), b.Guests[i].FaultLatency.Buckets().ToList());
        }
        Assert.Equal((a.Host.KswapdWakeups, a.Host.DirectReclaims, a.Host.PagesScanned, a.Host.SwapFullEvents, a.Host.SwapReads, a.Host.SwapWrites),
            (b.Host.KswapdWakeups, b.Host.DirectReclaims, b.Host.PagesScanned, b.Host.SwapFullEvents, b.Host.SwapReads, b.Host.SwapWrites));
        Assert.Equal((a.Host.PagesFreed, a.Host.KsmPagesShared, a.Host.KsmPagesSharing), (b.Host.PagesFreed, b.Host.KsmPagesShared, b.Host.KsmPagesSharing));
        Assert.Equal(a.HostSeries, b.HostSeries);
        Assert.Equal(a.GuestSeries, b.GuestSeries);
    }

    internal static string Fingerprint(GuestResult g) => string.Join(",",
        g.Guest, g.Admitted, g.RefusalReason, g.Accesses, g.HpteHits, g.HEnterCalls, g.HdsiFaults, g.MinorFaults, g.MajorFaults, g.FaultRetries,
        g.UnmapHvaCalls, g.HptesInvalidated, g.Tlbies, g.AgeHvaCalls, g.PagesReclaimed, g.SwapIns, g.SwapOuts, g.PinnedPages, g.HRemoveCalls,
        g.ProtectionFaults, g.Exits, g.VcoreExits, g.KsmCowFaults, g.SiblingWaitNs, g.StalledNs, g.VcpuNs, g.FaultLatency.Count, g.FaultLatency.Sum,
        g.StallExitNs, g.StallSwapQueueNs, g.StallSwapServiceNs, g.StallDirectReclaimNs, g.StallSiblingNs, g.StallOtherNs);
}
