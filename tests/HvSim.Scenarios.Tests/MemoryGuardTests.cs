using HvSim.Model;
using HvSim.Model.Config;
using HvSim.Model.Mm;
using HvSim.Model.Workloads;
using HvSim.Scenarios.Planning;

namespace HvSim.Scenarios.Tests;

/// <summary>The memory guard counts what scales with a run: workload tables, and the run list itself (issue 12).</summary>
[Collection(CliCollection.Name)]
public class MemoryGuardTests
{
    private const string Base = """
        name: guard
        duration: 1s
        host: {memory: 1GiB, reserved: 128MiB, page_size: 64KiB}
        guests: {count: 2, memory: 64MiB, workload: {kind: uniform}}
        """;

    private static long EstimateOf(string text)
    {
        using var dir = new TempDir();
        return MemoryEstimate.Bytes(RunPlanner.Plan(ScenarioLoader.Load(dir.File("s.yaml", text)))[0].Config);
    }

    /// <summary>
    /// A 64 MiB guest at 64 KiB pages has 1,024 pages, so a Zipf alias table is 1,024 × 12 B = 12,288 B to keep and
    /// 1,024 × 16 B = 16,384 B of scratch while it is built (ZipfSampler: double + int kept; double + two ints to build).
    /// A mix of α 0.8 and 1.2 and a phased workload whose second phase is α 1.2 again make two distinct tables, shared by
    /// both guests: 2 × 12,288 + 16,384 = 40,960 B more than uniform guests, which build none.
    /// </summary>
    [Fact]
    public void EveryDistinctZipfTableOfAMixOrPhasedWorkloadIsCountedOnce()
    {
        long uniform = EstimateOf(Base);
        const string mix = "{kind: mix, streams: [{weight: 1, workload: {kind: zipf, alpha: 0.8}}, {weight: 1, workload: {kind: zipf, alpha: 1.2}}]}";
        Assert.Equal(40_960, EstimateOf(Base.Replace("{kind: uniform}", mix)) - uniform);
        const string phased = "{kind: phased, phases: [{duration: 1s, workload: {kind: zipf, alpha: 0.8}}, {duration: 1s, workload: {kind: zipf, alpha: 1.2}}]}";
        Assert.Equal(40_960, EstimateOf(Base.Replace("{kind: uniform}", phased)) - uniform);
        // One plain Zipf guest: one table and its scratch, 12,288 + 16,384.
        Assert.Equal(28_672, EstimateOf(Base.Replace("{kind: uniform}", "{kind: zipf, alpha: 1.1}")) - uniform);
    }

    /// <summary>
    /// Hand count of what the model keeps (the fields of each per-page type): a host page of guest RAM is a 64-bit
    /// HostPage word (14 flag + 2 state + 25 swap-entry + 23 rmap bits) and a 64-bit LRU word (next 28 + prev 28 +
    /// list 8 bits), 16 B; an HPTE is an int guest page and a flag byte (8 B, padded), its revmap entry two int links
    /// and a byte of guest R/C bits (12 B); a swap slot is the swap map's int owner, 4 B.
    /// </summary>
    [Fact]
    public void TheEstimateGrowsByTheModelsHandCountedPerPageSizes()
    {
        long baseline = EstimateOf(Base);
        // Two guests of 128 MiB instead of 64 MiB: 2 x 1,024 more 64 KiB host pages x 16 B.
        Assert.Equal(2 * 1_024 * 16, EstimateOf(Base.Replace("memory: 64MiB", "memory: 128MiB")) - baseline);
        // hpt_order 20 instead of 18: 2 guests x (2^20 - 2^18) / 16 HPTEs x (8 + 12) B.
        string Order(int order) => Base.Replace("workload: {kind: uniform}", $"hpt_order: {order}, workload: {{kind: uniform}}");
        Assert.Equal(2 * (((1 << 20) - (1 << 18)) / 16) * 20, EstimateOf(Order(20)) - EstimateOf(Order(18)));
        // 1 GiB more swap: 16,384 more 64 KiB slots x 4 B.
        string Swap(string capacity) => Base.Replace("page_size: 64KiB}", $"page_size: 64KiB, swap: {{device: ssd, capacity: {capacity}}}}}");
        Assert.Equal(16_384 * 4, EstimateOf(Swap("2GiB")) - EstimateOf(Swap("1GiB")));
    }

    /// <summary>
    /// Against a measurement: the bytes allocated while the run's <see cref="Host"/> is built (its page, LRU, HPT, swap,
    /// page cache, shadow, zswap, balloon and KSM arrays, and the objects around them). The estimate is within 1 MiB of
    /// them (of 40-50 MB; what it leaves out is about 180 KiB of objects and small tables plus 32 KiB per guest, inside
    /// the 64 MiB runtime allowance), and what scales does so at the model's rate: with twice the swap, guest memory and
    /// HPTs, estimate and allocation grow by the same 39-45 MB within 32 KiB (one byte too few or too many per host
    /// page, HPTE, swap slot or balloon page would be 98 KiB or more).
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TheModelStateEstimateIsWhatBuildingTheHostAllocates(bool everyTable)
    {
        SimulationConfig Config(int scale) => new()
        {
            Host = new HostConfig
            {
                MemoryBytes = 16L << 30, PageSizeBytes = 64 << 10, Swap = SwapDeviceConfig.Ssd with { CapacityBytes = scale * (16L << 30) },
                Kernel = everyTable ? HostKernel.Linux618 : HostKernel.Linux34,
                Zswap = new ZswapConfig { Enabled = everyTable },
                Ksm = new KsmConfig { Run = everyTable },
                PageCache = everyTable ? new PageCacheConfig { RateBytesPerSecond = 1L << 20 } : new PageCacheConfig(),
            },
            Guests = [.. Enumerable.Range(0, 3).Select(i => new GuestConfig
            {
                Name = $"g{i}", MemoryBytes = scale * (2L << 30), HptOrder = 21 + scale + i, BalloonBytes = everyTable ? 64L << 20 : null,
                Workload = new UniformWorkload(),
            })],
        };
        static long Allocated(SimulationConfig config)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            var host = new Host(new HvSim.Engine.Simulation(), config, [0, 1, 2], n => SimulationRunner.CreatePolicy(config.Host, n));
            long bytes = GC.GetAllocatedBytesForCurrentThread() - before;
            GC.KeepAlive(host);
            return bytes;
        }
        var (small, large) = (Config(1), Config(2));
        long measured = Allocated(small);
        Assert.InRange(MemoryEstimate.ModelStateBytes(small), measured - (1 << 20), measured + (1 << 20));
        long grown = MemoryEstimate.ModelStateBytes(large) - MemoryEstimate.ModelStateBytes(small);
        Assert.InRange(Allocated(large) - measured, grown - (32 << 10), grown + (32 << 10));
    }

    [Fact]
    public void ZipfTableSizesMatchTheArraysTheSamplerAllocates()
    {
        // 1,000 ranks: probabilities (8 B) and aliases (4 B) kept; weights (8 B) and two worklists (4 B each) while building.
        long before = GC.GetAllocatedBytesForCurrentThread();
        _ = ZipfSampler.For(1000, 0.987654321);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        var t = ZipfSampler.Table(1000, 0.987654321);
        Assert.Equal(12_000, t.Bytes);
        Assert.Equal(16_000, t.BuildBytes);
        // Five arrays' headers and the sampler object come on top: within 1 KiB of the two counts together.
        Assert.InRange(allocated, t.Bytes + t.BuildBytes, t.Bytes + t.BuildBytes + 1024);
    }

    /// <summary>
    /// 1,000 sweep points × 2 platforms × 10,000 replications = 20,000,000 runs: at 16 KiB per planned run the list
    /// alone is about 305 GiB. Refused before a single run is planned (the test would take hours and run out of memory
    /// otherwise), with the count and the limit, exit 2.
    /// </summary>
    [Fact]
    public void ASweepOfMillionsOfRunsIsRefusedUpFrontWithTheCountAndTheLimit()
    {
        using var dir = new TempDir();
        string values = string.Join(", ", Enumerable.Range(1, 1000).Select(i => $"{i}s"));
        var file = dir.File("huge.yaml", Base + $"\nplatform: both\nreplications: 10000\nsweep:\n  duration: [{values}]\n");
        foreach (var command in new[] { "run", "batch" })
        {
            var (exit, _, err) = Cli.Run(command, file, "--out", Path.Combine(dir.Path, command), "--max-memory", "16GiB");
            Assert.Equal(2, exit);
            Assert.Contains("20,000,000 runs planned", err);
            Assert.Contains("exceeds the limit 16GiB", err);
            Assert.False(Directory.Exists(Path.Combine(dir.Path, command)), "nothing may be written");
        }
        // validate counts the runs instead of planning them, and warns.
        var v = Cli.Run("validate", file);
        Assert.Equal(0, v.Exit);
        Assert.Contains("(1000 points, 20000000 runs,", v.Out);
        Assert.Contains("warning: the list of 20,000,000 runs alone is estimated at 305.18GiB", v.Err);
    }

    /// <summary>
    /// `plan` checks its largest probe before it starts: 64 guests, each with an HPT of order 24, 2^24 / 16 = 2^20 HPTEs
    /// of 8 + 12 B (the hand count above) = 20 MiB, are 1.25 GiB of HPTs alone; with the 64 MiB runtime allowance and
    /// 64 x 1,024 host pages x 16 B = 1 MiB of page state, 1.3135 GiB: over a 1 GiB limit.
    /// </summary>
    [Fact]
    public void PlanRefusesAProbeOverMaxMemoryBeforeItStarts()
    {
        using var dir = new TempDir();
        dir.File("guard.yaml", Base);
        string Plan(int max) => dir.File($"plan{max}.yaml", $"scenario: guard.yaml\nslo: {{mean_slowdown: 90%}}\nreplications: 1\nmax_guests: {max}\nplatforms: [power7]\n");
        var (exit, _, err) = Cli.Run("plan", Plan(64), "--out", Path.Combine(dir.Path, "out"), "--max-memory", "1GiB");
        Assert.Equal(2, exit);
        Assert.Contains("estimated memory 1.31GiB (1 parallel run(s) of up to 1.31GiB", err);
        Assert.Contains("exceeds the limit 1GiB (allowed: raise --max-memory", err);
        Assert.False(Directory.Exists(Path.Combine(dir.Path, "out")), "nothing may be written");
    }
}
