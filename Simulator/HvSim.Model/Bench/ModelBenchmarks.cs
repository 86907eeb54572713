using System.Diagnostics;
using System.Runtime.CompilerServices;
using HvSim.Engine;
using HvSim.Model.Config;
using HvSim.Model.Guest;
using HvSim.Model.Hv;
using HvSim.Model.Mm;
using HvSim.Model.Workloads;

namespace HvSim.Model.Bench;

/// <summary>One row of <c>hvsim bench model</c>.</summary>
public sealed record ModelBenchRow(string Workload, long Operations, double Seconds, double BytesPerGuestPage, double HptBytesPerGuestPage)
{
    public double OpsPerSecond => Seconds > 0 ? Operations / Seconds : 0;
}

/// <summary>
/// The memory model's speed benchmarks: <c>hits</c> (guest accesses through valid HPTEs), <c>refaults</c> (every
/// access an HDSI on a swap-cache page) and <c>quickstart</c> (the quickstart scenario on both platforms).
/// </summary>
public static class ModelBenchmarks
{
    public static readonly IReadOnlyList<string> Names = ["hits", "refaults", "quickstart"];

    public static ModelBenchRow Run(string name, bool quick = false) => name switch
    {
        "hits" => Hits(quick),
        "refaults" => Refaults(quick),
        "quickstart" => Quickstart(quick),
        _ => throw new ArgumentException($"unknown model benchmark '{name}' (allowed: {string.Join(", ", Names)})", nameof(name)),
    };

    /// <summary>
    /// The quickstart scenario (Scenarios/quickstart.yaml): an 8 GiB host with 64 KiB pages and SSD swap, four 3 GiB
    /// guests (1.5x overcommit) with two vCPUs each running Zipf(1.3) with 50 us mean think time, 60 s simulated.
    /// </summary>
    public static SimulationConfig QuickstartConfig(Platform platform, long durationNs = 60_000_000_000) => new()
    {
        Name = "quickstart",
        Platform = platform,
        Host = new HostConfig { MemoryBytes = 8L << 30, PageSizeBytes = 64 << 10, Swap = SwapDeviceConfig.Ssd },
        Guests = Enumerable.Range(0, 4).Select(i => new GuestConfig
        {
            Name = $"guest{i + 1}", MemoryBytes = 3L << 30, Vcpus = 2,
            Workload = new ZipfWorkload { Alpha = 1.3, ThinkNs = 50_000, WriteFraction = 0.3, LayoutSeed = (ulong)i + 1 },
        }).ToList(),
        DurationNs = durationNs,
        WarmupNs = durationNs / 6,
    };

    private static ModelBenchRow Quickstart(bool quick)
    {
        long duration = quick ? 6_000_000_000 : 60_000_000_000;
        var sw = Stopwatch.StartNew();
        long accesses = 0;
        // Without warm-up the access counters cover the whole run: ops = every access simulated.
        foreach (var platform in new[] { Platform.Power7, Platform.Ppc970 })
            accesses += SimulationRunner.Run(QuickstartConfig(platform, duration) with { WarmupNs = 0 }).Guests.Sum(g => g.Accesses);
        var cfg = QuickstartConfig(Platform.Power7);
        return new ModelBenchRow("quickstart", accesses, sw.Elapsed.TotalSeconds, BytesPerGuestPage(cfg), HptBytesPerGuestPage(cfg));
    }

    /// <summary>One vCPU, uniform over a 1 GiB guest that fits in host memory: after first touch every access hits.</summary>
    private static ModelBenchRow Hits(bool quick)
    {
        var cfg = new SimulationConfig
        {
            Name = "bench-hits",
            Host = new HostConfig { MemoryBytes = 4L << 30 },
            Guests = [new GuestConfig { Name = "g", MemoryBytes = 1L << 30, Vcpus = 1, Workload = new UniformWorkload { ThinkNs = 0, WriteFraction = 0.3 } }],
            DurationNs = quick ? 500_000_000 : 5_000_000_000, // 100 ns per access: 10 M accesses per simulated second
        };
        SimulationRunner.Run(cfg with { DurationNs = 50_000_000 }); // JIT warm-up
        var sw = Stopwatch.StartNew();
        var r = SimulationRunner.Run(cfg);
        double seconds = sw.Elapsed.TotalSeconds;
        var g = r.Guests[0];
        if (g.HpteHits < 0.99 * g.Accesses) throw new InvalidOperationException($"hits benchmark: only {g.HpteHits} of {g.Accesses} accesses hit");
        return new ModelBenchRow("hits", g.Accesses, seconds, BytesPerGuestPage(cfg), HptBytesPerGuestPage(cfg));
    }

    /// <summary>
    /// One vCPU walks a 1 GiB guest; before each access the host reclaims that page into the swap cache
    /// (try_to_unmap_one: kvm_unmap_hva with its tlbie), so every access takes an HDSI and a swap-cache minor fault.
    /// </summary>
    private static ModelBenchRow Refaults(bool quick)
    {
        long faults = quick ? 300_000 : 3_000_000;
        RefaultRun(20_000);
        var sw = Stopwatch.StartNew();
        var (cfg, handled) = RefaultRun(faults);
        return new ModelBenchRow("refaults", handled, sw.Elapsed.TotalSeconds, BytesPerGuestPage(cfg), HptBytesPerGuestPage(cfg));
    }

    private static (SimulationConfig, long) RefaultRun(long faults)
    {
        var cfg = new SimulationConfig
        {
            Name = "bench-refaults",
            Host = new HostConfig { MemoryBytes = 4L << 30 },
            Guests = [new GuestConfig { Name = "g", MemoryBytes = 1L << 30, Vcpus = 1, Workload = new UniformWorkload() }],
            DurationNs = long.MaxValue / 2,
        };
        var sim = new Simulation(cfg.Seed);
        var host = new Host(sim, cfg, [0], n => SimulationRunner.CreatePolicy(cfg.Host, n));
        var vm = host.Vms[0];
        for (int p = 0; p < vm.HostPageCount; p++)
        {
            if (!host.TryAllocateFast()) throw new InvalidOperationException("refaults benchmark: guest does not fit");
            host.DoAnonymousPage(p);
            Hcalls.HEnter(vm, host, p, 0, out _);
            ref var page = ref host.Pages[p];
            page.Flags &= ~HostPageFlags.Dirty;
            if (!host.SwapCache.AddToSwap(ref page, p)) throw new InvalidOperationException("refaults benchmark: swap too small");
        }
        Vcore.StartAll(vm, host, _ => new RefaultSource(host, vm, faults));
        sim.Run();
        if (vm.Counters.HdsiFaults != faults || vm.Counters.MinorFaults != faults)
            throw new InvalidOperationException($"refaults benchmark: {vm.Counters.HdsiFaults} HDSIs, {vm.Counters.MinorFaults} minor faults for {faults} accesses");
        return (cfg, vm.Counters.HdsiFaults);
    }

    /// <summary>Reads page after page, first unmapping each into the swap cache as reclaim would.</summary>
    private sealed class RefaultSource(Host host, Vm vm, long count) : IAccessSource
    {
        private long _issued;

        public bool Next(long now, ref GuestAccess access)
        {
            if (_issued == count) return false;
            int page = (int)(_issued++ % vm.HostPageCount);
            ref var p = ref host.Pages[page];
            p.State = HostPageState.SwapCache;
            p.Flags &= ~(HostPageFlags.Young | HostPageFlags.Writable);
            vm.Notifier.InvalidatePage(page, now);
            access.Page = page;
            access.IsWrite = false;
            access.ThinkNs = 0;
            return true;
        }
    }

    /// <summary>
    /// Bytes of per-page model state per guest page: the host page array, the guest's HPTE-slot array and the
    /// replacement policy's per-page state (measured as its allocation). The HPT and revmap (16 B + 12 B per HPTE,
    /// sized by hpt_order, not by guest memory) and the swap map (per swap slot) are not per-page and not counted.
    /// </summary>
    public static double BytesPerGuestPage(SimulationConfig cfg)
    {
        long hostPages = cfg.Guests.Sum(g => g.MemoryBytes / cfg.Host.PageSizeBytes);
        long guestPages = cfg.Guests.Sum(g => g.MemoryBytes / g.PageBytesOn(cfg.Platform, cfg.Host.PageSizeBytes));
        long before = GC.GetAllocatedBytesForCurrentThread();
        var policy = SimulationRunner.CreatePolicy(cfg.Host, (int)hostPages);
        long policyBytes = GC.GetAllocatedBytesForCurrentThread() - before;
        GC.KeepAlive(policy);
        long bytes = hostPages * Unsafe.SizeOf<HostPage>() + guestPages * sizeof(int) + policyBytes;
        return (double)bytes / guestPages;
    }

    /// <summary>Bytes of the model's HPT plus revmap arrays per guest page (not per-page state: they scale with hpt_order).</summary>
    public static double HptBytesPerGuestPage(SimulationConfig cfg)
    {
        long hptes = cfg.Guests.Sum(g => (1L << g.HptOrder) / Hpt.HpteBytes);
        long guestPages = cfg.Guests.Sum(g => g.MemoryBytes / g.PageBytesOn(cfg.Platform, cfg.Host.PageSizeBytes));
        return (double)hptes * (Unsafe.SizeOf<Hpte>() + Unsafe.SizeOf<RevmapEntry>()) / guestPages;
    }
}
