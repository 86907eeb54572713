using System.Diagnostics;
using System.Runtime.CompilerServices;
using HvSim.Engine;
using HvSim.Model.Config;
using HvSim.Model.Guest;
using HvSim.Model.Hv;
using HvSim.Model.Mm;
using HvSim.Model.Replacement;
using HvSim.Model.Workloads;

namespace HvSim.Model.Bench;

/// <summary>
/// One row of <c>hvsim bench model</c>: wall and CPU seconds of the timed part (on a shared machine the CPU seconds
/// are nearer what an idle one takes). <paramref name="SimulatedSeconds"/> and <paramref name="ScannedPerFreed"/> are
/// set by the workloads that run a whole host (bighost, scale): wall seconds per simulated second, and host reclaim's
/// pages scanned per page freed (pgscan / pgsteal).
/// </summary>
public sealed record ModelBenchRow(string Workload, long Operations, double Seconds, double CpuSeconds, IReadOnlyList<(string Part, double Bytes)> BytesPerGuestPageByPart,
    double HptBytesPerGuestPage, double SimulatedSeconds = 0, double ScannedPerFreed = double.NaN)
{
    /// <summary>Per-page model state per guest page: the sum of <see cref="BytesPerGuestPageByPart"/>.</summary>
    public double BytesPerGuestPage => BytesPerGuestPageByPart.Sum(p => p.Bytes);
    public double OpsPerSecond => Seconds > 0 ? Operations / Seconds : 0;
    /// <summary>Wall seconds per simulated second (NaN when the workload does not simulate a whole host).</summary>
    public double WallPerSimulatedSecond => SimulatedSeconds > 0 ? Seconds / SimulatedSeconds : double.NaN;
}

/// <summary>
/// The memory model's speed benchmarks: <c>hits</c> (guest accesses through valid HPTEs), <c>refaults</c> (every
/// access an HDSI on a swap-cache page), <c>quickstart</c> (the quickstart scenario on both platforms), <c>bighost</c>
/// (issue 12's 64 GiB host paging hard), <c>scale</c> (1 TiB of guest memory in 4 KiB pages) and <c>boot</c> (forty
/// PPC970 guests bolting their linear maps).
/// </summary>
public static class ModelBenchmarks
{
    public static readonly IReadOnlyList<string> Names = ["hits", "refaults", "quickstart", "bighost", "scale", "boot"];

    public static ModelBenchRow Run(string name, bool quick = false) => name switch
    {
        "hits" => Hits(quick),
        "refaults" => Refaults(quick),
        "quickstart" => Quickstart(quick),
        "bighost" => BigHost(quick),
        "scale" => Scale(quick),
        "boot" => Boot(quick),
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

    /// <summary>
    /// Issue 12's capacity-planning host: 64 GiB POWER7 (64 KiB pages) with 128 GiB of SSD swap and twelve 8 GiB guests
    /// (1.5x overcommit), two vCPUs each, 30 us mean think time. Each vCPU first writes its half of the guest's memory
    /// once (a memset), so the host starts paging within the first simulated seconds, then runs Zipf(1.1) with 30 %
    /// stores for the rest of the run.
    /// </summary>
    public static SimulationConfig BigHostConfig(long durationNs = 60_000_000_000) => new()
    {
        Name = "bighost",
        Seed = 42,
        Host = new HostConfig { MemoryBytes = 64L << 30, PageSizeBytes = 64 << 10, Swap = SwapDeviceConfig.Ssd with { CapacityBytes = 128L << 30 } },
        Guests = Enumerable.Range(0, 12).Select(i => new GuestConfig
        {
            Name = $"guest{i + 1}", MemoryBytes = 8L << 30, Vcpus = 2,
            Workload = new PhasedWorkload
            {
                Phases =
                [
                    // One pass ends the phase early; its duration is only an upper bound.
                    new WorkloadPhase(new SequentialWorkload { Passes = 1, WriteFraction = 1, ThinkNs = 30_000 }, durationNs),
                    new WorkloadPhase(new ZipfWorkload { Alpha = 1.1, ThinkNs = 30_000, WriteFraction = 0.3, LayoutSeed = (ulong)i + 1 }, durationNs),
                ],
            },
        }).ToList(),
        DurationNs = durationNs,
    };

    /// <summary>bighost: wall time per simulated second of the paging host, and reclaim's pages scanned per page freed.</summary>
    private static ModelBenchRow BigHost(bool quick)
    {
        var cfg = BigHostConfig(quick ? 6_000_000_000 : 60_000_000_000);
        var sw = BenchClock.Start();
        var r = SimulationRunner.Run(cfg);
        var (seconds, cpu) = sw.Read();
        if (r.Host.PagesFreed == 0) throw new InvalidOperationException("bighost benchmark: the host never reclaimed");
        return new ModelBenchRow("bighost", r.Guests.Sum(g => g.Accesses), seconds, cpu, BytesPerGuestPageByPart(cfg), HptBytesPerGuestPage(cfg),
            cfg.DurationNs / 1e9, (double)r.Host.PagesScanned / r.Host.PagesFreed);
    }

    /// <summary>
    /// 1 TiB of guest memory in 4 KiB guest pages (2^28 guest pages) on a 512 GiB POWER7 host with its usual 64 KiB
    /// pages: sixty-four 16 GiB guests, one vCPU each, Zipf(0.9) with 30 % stores and 20 us think time.
    /// </summary>
    public static SimulationConfig ScaleConfig(long durationNs = 2_000_000_000) => new()
    {
        Name = "scale",
        Host = new HostConfig { MemoryBytes = 512L << 30, PageSizeBytes = 64 << 10, Swap = SwapDeviceConfig.Ssd with { CapacityBytes = 1L << 40 } },
        Guests = Enumerable.Range(0, 64).Select(i => new GuestConfig
        {
            Name = $"guest{i + 1}", MemoryBytes = 16L << 30, Vcpus = 1, PageSizeBytes = 4 << 10,
            // A bolted linear map of 4 KiB pages over 16 GiB is 4 M HPTEs, four times the 16 MiB HPT of 3.4 (1 M
            // HPTEs): admission refuses such a guest (a real one maps its linear map with larger pages). The
            // benchmark measures per-guest-page state, so its guests have none.
            LinearMap = LinearMap.None,
            Workload = new ZipfWorkload { Alpha = 0.9, ThinkNs = 20_000, WriteFraction = 0.3, LayoutSeed = (ulong)i + 1 },
        }).ToList(),
        DurationNs = durationNs,
    };

    /// <summary>scale: builds and runs the terabyte of guests; ops = guest accesses, with the process's peak RSS.</summary>
    private static ModelBenchRow Scale(bool quick)
    {
        var cfg = ScaleConfig(quick ? 200_000_000 : 2_000_000_000);
        var sw = BenchClock.Start();
        var r = SimulationRunner.Run(cfg);
        var (seconds, cpu) = sw.Read();
        if (r.Guests.FirstOrDefault(g => !g.Admitted) is { } refused)
            throw new InvalidOperationException($"scale benchmark: {refused.Guest} was refused ({refused.RefusalReason})");
        return new ModelBenchRow("scale", r.Guests.Sum(g => g.Accesses), seconds, cpu, BytesPerGuestPageByPart(cfg), HptBytesPerGuestPage(cfg),
            cfg.DurationNs / 1e9);
    }

    /// <summary>
    /// A big boot: <paramref name="guests"/> PPC970 guests of 3 GiB (4 KiB pages: 786,432 each) on a 512 GiB host, each
    /// bolting its linear map at t = 0 (htab_initialize: one H_ENTER per page, each H_TOO_HARD in real mode, then pinned
    /// and entered in virtual mode), then 1 ms of a uniform stream.
    /// </summary>
    public static SimulationConfig BootConfig(int guests = 40) => new()
    {
        Name = "boot",
        Platform = Platform.Ppc970,
        Host = new HostConfig { MemoryBytes = 512L << 30, PageSizeBytes = 64 << 10, Swap = SwapDeviceConfig.Ssd },
        Guests = Enumerable.Range(0, guests).Select(i => new GuestConfig
        {
            Name = $"guest{i + 1}", MemoryBytes = 3L << 30, Vcpus = 1, Workload = new UniformWorkload { ThinkNs = 0 },
        }).ToList(),
        DurationNs = 1_000_000,
    };

    /// <summary>
    /// boot: building the host and booting the guests of <see cref="BootConfig"/>; ops = bolted H_ENTERs (guest pages).
    /// The warm-up runs the same configuration until the JIT is quiet, so the timed run also finds every guest's HPT and
    /// revmap in the run pool (<see cref="TablePool"/>) and times the boot, not the kernel's zeroing of fresh memory.
    /// </summary>
    private static ModelBenchRow Boot(bool quick)
    {
        var cfg = BootConfig(quick ? 4 : 40);
        JitWarmUp(() => SimulationRunner.Run(cfg));
        var sw = BenchClock.Start();
        var r = SimulationRunner.Run(cfg);
        var (seconds, cpu) = sw.Read();
        if (r.Guests.FirstOrDefault(g => !g.Admitted) is { } refused)
            throw new InvalidOperationException($"boot benchmark: {refused.Guest} was refused ({refused.RefusalReason})");
        long bolted = cfg.Guests.Sum(g => g.MemoryBytes / g.PageBytesOn(cfg.Platform, cfg.Host.PageSizeBytes));
        return new ModelBenchRow("boot", bolted, seconds, cpu, BytesPerGuestPageByPart(cfg), HptBytesPerGuestPage(cfg));
    }

    private static ModelBenchRow Quickstart(bool quick)
    {
        long duration = quick ? 6_000_000_000 : 60_000_000_000;
        // JIT warm-up, as hits and refaults have: a tenth of the run on each platform, until the JIT is quiet, so that
        // the timed part runs optimised code (until 2026-12-07 05:40 the benchmark timed a cold process: 0.7 s of its
        // 2.9 s was the JIT's).
        JitWarmUp(() =>
        {
            foreach (var platform in new[] { Platform.Power7, Platform.Ppc970 })
                SimulationRunner.Run(QuickstartConfig(platform, duration / 10) with { WarmupNs = 0 });
        });
        var sw = BenchClock.Start();
        long accesses = 0;
        // Without warm-up the access counters cover the whole run: ops = every access simulated.
        foreach (var platform in new[] { Platform.Power7, Platform.Ppc970 })
            accesses += SimulationRunner.Run(QuickstartConfig(platform, duration) with { WarmupNs = 0 }).Guests.Sum(g => g.Accesses);
        var cfg = QuickstartConfig(Platform.Power7);
        var (seconds, cpu) = sw.Read();
        return new ModelBenchRow("quickstart", accesses, seconds, cpu, BytesPerGuestPageByPart(cfg), HptBytesPerGuestPage(cfg));
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
        // JIT warm-up: the --quick run, which gets through the 16,384 first touches (about 0.3 s simulated), until the JIT
        // is quiet, so the timed run's first touches run optimised code too. Until 2026-12-07 07:20 it was 50 ms, and the
        // timed run made most of its first touches in unoptimised code: about 0.08 s of CPU (docs/benchmarks.md).
        JitWarmUp(() => SimulationRunner.Run(cfg with { DurationNs = 500_000_000 }));
        var sw = BenchClock.Start();
        var r = SimulationRunner.Run(cfg);
        var (seconds, cpu) = sw.Read();
        var g = r.Guests[0];
        if (g.HpteHits < 0.99 * g.Accesses) throw new InvalidOperationException($"hits benchmark: only {g.HpteHits} of {g.Accesses} accesses hit");
        return new ModelBenchRow("hits", g.Accesses, seconds, cpu, BytesPerGuestPageByPart(cfg), HptBytesPerGuestPage(cfg));
    }

    /// <summary>
    /// One vCPU walks a 1 GiB guest; before each access the host reclaims that page into the swap cache
    /// (try_to_unmap_one: kvm_unmap_hva with its tlbie), so every access takes an HDSI and a swap-cache minor fault.
    /// </summary>
    private static ModelBenchRow Refaults(bool quick)
    {
        long faults = quick ? 300_000 : 3_000_000;
        // JIT warm-up: the --quick run until the JIT is quiet. Until 2026-12-07 11:30 it was 20,000 faults (3 ms), and the
        // timed run's first 0.1-0.2 s ran tier-0 code while the tiering counted calls (docs/benchmarks.md).
        JitWarmUp(() => RefaultRun(300_000));
        var sw = BenchClock.Start();
        var (cfg, handled) = RefaultRun(faults);
        var (seconds, cpu) = sw.Read();
        return new ModelBenchRow("refaults", handled, seconds, cpu, BytesPerGuestPageByPart(cfg), HptBytesPerGuestPage(cfg));
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
            page.Clear(HostPageFlags.Dirty);
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
            p.Clear(HostPageFlags.Young | HostPageFlags.Writable);
            vm.Notifier.InvalidatePage(page, now);
            access.Page = page;
            access.IsWrite = false;
            access.ThinkNs = 0;
            return true;
        }
    }

    /// <summary>
    /// Everything the model holds per page, in bytes per guest page, by owner: the host page array (rmap word, swap
    /// slot, page flags and state: one per host page), the memslot lookup's chunk table (which guest a host page is
    /// in: one byte per chunk of pages), the LRU's links (the replacement policy's per-page
    /// arrays, measured as what it allocates beyond what it allocates for no pages). Nothing per guest page: a guest
    /// page's HPTE is found by the PTEG search (<see cref="Hpt.UserSlot"/>). linux-6.18's workingset shadow entries are
    /// per swap slot (<see cref="Workingset"/>). Pages locked for a swap read wait in a table of the reads in flight, and
    /// the swap map (and on linux-6.18 the shadow) is one word per swap slot: neither grows with guest memory. The HPT and revmap grow with hpt_order
    /// (<see cref="HptBytesPerGuestPage"/>), the workload's tables with its kind (a Zipf alias table is 12 B per page of
    /// each distinct (size, alpha), shared by every guest that has them).
    /// </summary>
    public static IReadOnlyList<(string Part, double Bytes)> BytesPerGuestPageByPart(SimulationConfig cfg)
    {
        long hostPages = cfg.Guests.Sum(g => g.MemoryBytes / cfg.Host.PageSizeBytes);
        double guestPages = cfg.Guests.Sum(g => g.MemoryBytes / g.PageBytesOn(cfg.Platform, cfg.Host.PageSizeBytes));
        GC.KeepAlive(SimulationRunner.CreatePolicy(cfg.Host, 0)); // one-time static set-up is not per page
        // What the policy allocates for the pages beyond what it allocates for none (its objects and list sentinels).
        long before = GC.GetAllocatedBytesForCurrentThread();
        GC.KeepAlive(SimulationRunner.CreatePolicy(cfg.Host, 0));
        long fixedBytes = GC.GetAllocatedBytesForCurrentThread() - before;
        before = GC.GetAllocatedBytesForCurrentThread();
        var policy = SimulationRunner.CreatePolicy(cfg.Host, (int)hostPages);
        long policyBytes = GC.GetAllocatedBytesForCurrentThread() - before - fixedBytes;
        GC.KeepAlive(policy);
        int chunkShift = Host.GuestChunkShift(cfg.Guests.Select(g => (int)(g.MemoryBytes / cfg.Host.PageSizeBytes)));
        var parts = new List<(string, double)>
        {
            ("host page (HostPage)", hostPages * Unsafe.SizeOf<HostPage>() / guestPages),
            ("guest of a host page (Host.GuestOf chunks)", ((hostPages >> chunkShift) + 1) / guestPages),
            ($"LRU links ({policy.Name})", policyBytes / guestPages),
        };
        return parts;
    }

    /// <summary>Bytes of the model's HPT plus revmap arrays per guest page (not per-page state: they scale with hpt_order).</summary>
    public static double HptBytesPerGuestPage(SimulationConfig cfg)
    {
        long hptes = cfg.Guests.Sum(g => (1L << g.HptOrder) / Hpt.HpteBytes);
        long guestPages = cfg.Guests.Sum(g => g.MemoryBytes / g.PageBytesOn(cfg.Platform, cfg.Host.PageSizeBytes));
        return (double)hptes * (Unsafe.SizeOf<Hpte>() + Unsafe.SizeOf<RevmapEntry>()) / guestPages;
    }

    /// <summary>A stretch of warm-up runs in which the JIT compiled nothing: longer than the tiering's call-counting delay (100 ms).</summary>
    private static readonly TimeSpan JitQuiet = TimeSpan.FromMilliseconds(300);
    /// <summary>Warm-up ends here even if the JIT is still busy (a loaded machine): the timed part then includes the rest.</summary>
    private static readonly TimeSpan JitWarmUpLimit = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Runs <paramref name="warmUp"/> again and again until a whole <see cref="JitQuiet"/> of it has passed with no
    /// method compiled, so that the timed part runs the tier-1 code a long run spends its time in. A fixed warm-up left
    /// the timed part to start before or after the background compiler's last tier-1 code came in, by its timing: the
    /// same build read two speeds (hits 75 or 92 M/s, refaults 7.5 or 9 M/s; docs/benchmarks.md, 2026-12-07).
    /// </summary>
    private static void JitWarmUp(Action warmUp)
    {
        var clock = Stopwatch.StartNew();
        var quietSince = TimeSpan.Zero;
        long compiled = System.Runtime.JitInfo.GetCompiledMethodCount();
        do
        {
            warmUp();
            long now = System.Runtime.JitInfo.GetCompiledMethodCount();
            if (now != compiled) (compiled, quietSince) = (now, clock.Elapsed);
        } while (clock.Elapsed - quietSince < JitQuiet && clock.Elapsed < JitWarmUpLimit);
    }

    /// <summary>Wall and process CPU time since <see cref="Start"/>.</summary>
    private readonly struct BenchClock(Stopwatch wall, TimeSpan cpuAtStart)
    {
        public static BenchClock Start() => new(Stopwatch.StartNew(), System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime);

        public (double Wall, double Cpu) Read() =>
            (wall.Elapsed.TotalSeconds, (System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - cpuAtStart).TotalSeconds);
    }
}
