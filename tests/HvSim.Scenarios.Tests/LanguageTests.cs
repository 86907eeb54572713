using HvSim.Model.Config;
using HvSim.Model.Workloads;
using HvSim.Scenarios.Language;
using HvSim.Traces;

namespace HvSim.Scenarios.Tests;

public class LanguageTests
{
    private static Scenario Load(string text, params (string Name, string Text)[] others)
    {
        using var dir = new TempDir();
        foreach (var (n, t) in others) dir.File(n, t);
        return ScenarioLoader.Load(dir.File("s.yaml", text));
    }

    [Fact]
    public void UnsetKeysTakeTheModelsDefaults()
    {
        var s = Load("guests: {workload: {kind: uniform}}\n");
        var t = s.Points.Single().Template;
        Assert.Equal(new HostConfig(), t.Config.Host);
        Assert.Equal(new CostConfig(), t.Config.Costs);
        Assert.Equal("s", s.Name); // the file name
        var g = Assert.Single(t.Guests);
        Assert.Equal(1L << 30, g.MemoryBytes);
        Assert.Equal(24, g.HptOrder);
        Assert.Equal(new UniformWorkload(), g.Workload);
    }

    [Fact]
    public void EveryKeyReachesTheConfig()
    {
        var s = Load("""
            name: all keys
            seed: 7
            replications: 3
            platform: both
            aging: unmap
            duration: 2min
            warmup: 500ms
            interval: 250ms
            check: true
            reference_mode: true
            outputs: [summary, host]
            host:
              memory: 16GiB
              page_size: 4KiB
              reserved: 1GiB
              min_free_kbytes: 4096
              swappiness: 100
              policy: clock
              reclaim_batch: 64
              rma: 128MiB
              rma_count: 5
              swap:
                device: hdd
                latency: 8ms
                latency_cv: 0.2
                slots: 2
                bandwidth: 150MB/s
                capacity: 32GiB
                readahead: 4
                rotational: false
            costs: {real_mode_hcall: 2us, exit: 12us, tlbie: 3us, gup_hit: 400ns, zero_fill: 7us, swap_cache_hit: 3us, access: 80ns}
            guests:
              count: 3
              name: vm
              memory: 2GiB
              vcpus: 4
              hpt_order: 25
              page_size: 4KiB
              workload: {kind: hotcold, hot_access_fraction: 80%, hot_page_fraction: 0.2, layout_seed: 9, write_fraction: 0.5, think: 5us}
            """);
        var t = s.Points.Single().Template;
        Assert.Equal("all_keys", s.Name);
        Assert.Equal(7UL, s.Template.Config.Seed);
        Assert.Equal(3, s.Template.Replications);
        Assert.Equal([Platform.Power7, Platform.Ppc970], s.Template.Platforms);
        Assert.Equal(AgingVariant.Unmap, s.Template.Config.Aging);
        Assert.Equal(120_000_000_000, s.Template.Config.DurationNs);
        Assert.Equal(500_000_000, s.Template.Config.WarmupNs);
        Assert.Equal(250_000_000, s.Template.Config.SampleIntervalNs);
        Assert.True(s.Template.Config.CheckInvariants && s.Template.Config.ReferenceMode);
        Assert.Equal(["summary", "host"], s.Template.Outputs);
        Assert.Equal(new HostConfig
        {
            MemoryBytes = 16L << 30, PageSizeBytes = 4096, ReservedBytes = 1L << 30, MinFreeKbytes = 4096, Swappiness = 100,
            Policy = "clock", ReclaimBatchPages = 64, RmaBytes = 128L << 20, RmaCount = 5,
            Swap = new SwapDeviceConfig
            {
                Kind = "hdd", LatencyMeanNs = 8_000_000, LatencyCv = 0.2, ParallelSlots = 2, BandwidthBytesPerSecond = 150_000_000,
                CapacityBytes = 32L << 30, ReadaheadPages = 4, Rotational = false,
            },
        }, t.Config.Host);
        Assert.Equal(new CostConfig { RealModeHcallNs = 2000, ExitNs = 12000, TlbieNs = 3000, GupHitNs = 400, ZeroFillNs = 7000, SwapCacheHitNs = 3000, AccessNs = 80 }, t.Config.Costs);
        Assert.Equal(["vm0", "vm1", "vm2"], t.Guests.Select(g => g.Name));
        Assert.All(t.Guests.Select((g, i) => (g, i)), x =>
        {
            var (g, i) = x;
            Assert.Equal(2L << 30, g.MemoryBytes);
            Assert.Equal(4, g.Vcpus);
            Assert.Equal(25, g.HptOrder);
            Assert.Equal(4096, g.PageSizeBytes);
            // Guest i of a count: profile lays its pages out with layout_seed + i.
            Assert.Equal(new HotColdWorkload { HotAccessFraction = 0.8, HotPageFraction = 0.2, LayoutSeed = 9 + (ulong)i, WriteFraction = 0.5, ThinkNs = 5000 }, g.Workload);
        });
        var config = Planning.RunPlanner.Plan(s).First().Config;
        Assert.True(config.CheckInvariants && config.ReferenceMode);
        Assert.Equal(AgingVariant.Unmap, config.Aging);
        Assert.Equal(250_000_000, config.SampleIntervalNs);
    }

    [Fact]
    public void GuestThreadsReachTheConfigAndDefaultToQemusOne()
    {
        // QEMU's -smp N without threads= gives one thread per core (vl.c smp_parse), so one vCPU per vcore.
        Assert.Equal(1, Load("guests: {vcpus: 4, workload: {kind: uniform}}\n").Points[0].Template.Guests[0].Threads);
        Assert.Equal(4, Load("guests: {vcpus: 8, threads: 4, workload: {kind: uniform}}\n").Points[0].Template.Guests[0].Threads);
    }

    [Fact]
    public void SwapPresetThenOverrides()
    {
        var hdd = Load("host: {swap: hdd}\nguests: {workload: {kind: uniform}}\n").Points[0].Template.Config.Host.Swap;
        Assert.Equal(SwapDeviceConfig.Hdd, hdd);
        // Key order in the file does not matter: the preset applies first.
        var tuned = Load("host:\n  swap: {capacity: 64GiB, device: hdd}\nguests: {workload: {kind: uniform}}\n").Points[0].Template.Config.Host.Swap;
        Assert.Equal(SwapDeviceConfig.Hdd with { CapacityBytes = 64L << 30 }, tuned);
    }

    [Fact]
    public void AMeasuredLatencyHistogramIsReadBucketByBucketAndWrittenBackIdentically()
    {
        const string text = "40us..50us 30, 50us..60us 40, 1ms..2ms 7.5";
        var swap = Load($"host:\n  swap:\n    latency_histogram: \"{text}\"\nguests: {{workload: {{kind: uniform}}}}\n").Points[0].Template.Config.Host.Swap;
        Assert.Equal([new LatencyBucket(40_000, 50_000, 30), new LatencyBucket(50_000, 60_000, 40), new LatencyBucket(1_000_000, 2_000_000, 7.5)],
            swap.LatencyHistogram!.Buckets);
        Assert.Equal(text, LatencyHistogramText.Format(swap.LatencyHistogram)); // what calibrate writes, the loader reads
    }

    [Theory]
    [InlineData("40us..50us 30, 45us..60us 40", "bucket 2 [45000 ns, 60000 ns) must be non-empty and start at or after the previous one's end")]
    [InlineData("40us..50us 30, 60us 40", "bucket 2 '60us 40' is not LOWER..UPPER WEIGHT")]
    [InlineData("40us..50us -1", "bucket 1 has weight -1")]
    public void ABadHistogramBucketIsNamedWithItsLineAndWhatIsAllowed(string histogram, string problem)
    {
        using var dir = new TempDir();
        var file = dir.File("s.yaml", $"host:\n  swap:\n    latency_histogram: \"{histogram}\"\nguests: {{workload: {{kind: uniform}}}}\n");
        var e = Assert.Throws<ScenarioException>(() => ScenarioLoader.Load(file));
        var message = Assert.Single(e.Diagnostics).ToString();
        Assert.Contains($"s.yaml:3:24: error: 'latency_histogram': {problem}", message);
        Assert.Contains("(allowed: comma-separated buckets LOWER..UPPER WEIGHT", message);
    }

    [Fact]
    public void GuestListsAndNestedWorkloads()
    {
        var s = Load("""
            guests:
              - name: db
                memory: 4GiB
                workload:
                  kind: phased
                  loop: true
                  phases:
                    - duration: 10s
                      workload: {kind: sequential, stride: 16}
                    - duration: 50s
                      workload: {kind: zipf, alpha: 1.1}
              - name: web
                count: 2
                workload:
                  kind: mix
                  streams:
                    - weight: 3
                      workload: {kind: uniform, write_fraction: 0}
                    - weight: 1
                      workload: {kind: working_set, start_fraction: 10%, end_fraction: 50%, ramp: 20s}
            """);
        var g = s.Points[0].Template.Guests;
        Assert.Equal(["db", "web0", "web1"], g.Select(x => x.Name));
        var phased = Assert.IsType<PhasedWorkload>(g[0].Workload);
        Assert.True(phased.Loop);
        Assert.Equal(new WorkloadPhase(new SequentialWorkload { Stride = 16 }, 10_000_000_000), phased.Phases[0]);
        Assert.Equal(new WorkloadPhase(new ZipfWorkload { Alpha = 1.1 }, 50_000_000_000), phased.Phases[1]);
        var mix = Assert.IsType<MixWorkload>(g[1].Workload);
        Assert.Equal(new MixStream(new UniformWorkload { WriteFraction = 0 }, 3), mix.Streams[0]);
        Assert.Equal(new MixStream(new WorkingSetWorkload { StartFraction = 0.1, EndFraction = 0.5, RampNs = 20_000_000_000 }, 1), mix.Streams[1]);
    }

    [Fact]
    public void TracePathIsRelativeToTheFileThatNamesIt()
    {
        using var dir = new TempDir();
        dir.File("traces/t.csv", "timestamp,obj_id,size,op\n1,5,4096,R\n");
        dir.File("base/base.yaml", "guests: {workload: {kind: trace, path: ../traces/t.csv, format: csv, mapping: expand, loops: 0, time_scale: 0.5}}\n");
        var s = ScenarioLoader.Load(dir.File("child.yaml", "extends: base/base.yaml\nname: child\n"));
        var w = Assert.IsType<TraceWorkload>(s.Points[0].Template.Guests[0].Workload);
        Assert.Equal(Path.Combine(dir.Path, "traces", "t.csv"), w.Path);
        Assert.Equal(PageMappingKind.ExpandToPages, w.Mapping.Kind);
        Assert.Equal(0, w.Loops);
        Assert.Equal(0.5, w.TimeScale);
    }

    [Fact]
    public void ExtendsMergesMappingsAndReplacesValues()
    {
        var s = Load("""
            extends: base.yaml
            host: {memory: 32GiB}
            guests:
              count: 8
              workload: {kind: zipf, alpha: 1.2}
            """, ("base.yaml", """
            name: base
            duration: 10s
            host: {memory: 16GiB, swap: hdd}
            guests:
              memory: 2GiB
              workload: {kind: uniform, think: 5us}
            """));
        var t = s.Points[0].Template;
        Assert.Equal("base", s.Name);
        Assert.Equal(10_000_000_000, s.Template.Config.DurationNs);
        Assert.Equal(32L << 30, t.Config.Host.MemoryBytes);
        Assert.Equal("hdd", t.Config.Host.Swap.Kind);
        Assert.Equal(8, t.Guests.Count);
        Assert.All(t.Guests, g => Assert.Equal(2L << 30, g.MemoryBytes));
        // Workload blocks merge key by key too: think comes from the base, kind and alpha from the child.
        Assert.Equal(new ZipfWorkload { Alpha = 1.2, ThinkNs = 5000 }, t.Guests[0].Workload);
    }

    [Theory]
    [InlineData("../../etc/passwd", "etc_passwd")]
    [InlineData("/abs/path", "abs_path")]
    [InlineData("..", "scenario")]
    [InlineData("a b\tc", "a_b_c")]
    [InlineData("ok-name_1.2", "ok-name_1.2")]
    [InlineData("日本", "scenario")]
    public void NamesAreSanitisedToOnePathComponent(string name, string expected)
    {
        var s = OutputNames.Sanitize(name);
        Assert.Equal(expected, s);
        Assert.DoesNotContain('/', s);
        Assert.DoesNotContain('\\', s);
        Assert.False(s.StartsWith('.'));
        var root = Path.GetFullPath("results");
        Assert.StartsWith(root + Path.DirectorySeparatorChar, Path.GetFullPath(Path.Combine(root, s)));
    }

    [Fact]
    public void DidYouMeanPicksTheNearestKey()
    {
        Assert.Equal(", did you mean 'memory'?", ValueParser.DidYouMean("memroy", ["memory", "page_size", "reserved"]));
        Assert.Equal("", ValueParser.DidYouMean("banana", ["memory", "page_size"]));
    }

    /// <summary>
    /// The binder walks the key table's section tree (ScenarioKeys.Root.Nested), not a hand-written list: a misspelt
    /// key is found in every section the table declares, at its own line, named by the section's dotted path.
    /// </summary>
    [Fact]
    public void AMisspeltKeyIsFoundInEverySectionOfTheKeyTable()
    {
        var sections = ScenarioKeys.Root.Tree().Where(t => t.Path.Length > 0 && t.Section is not SpecialSection).ToList();
        Assert.Subset(sections.Select(t => t.Path).ToHashSet(), new HashSet<string> { "host", "host.swap", "costs", "guests" });
        foreach (var (path, _) in sections)
        {
            var segments = path.Split('.');
            var yaml = new System.Text.StringBuilder();
            for (int i = 0; i < segments.Length; i++) yaml.Append(' ', 2 * i).Append(segments[i]).Append(":\n");
            yaml.Append(' ', 2 * segments.Length).Append("zzz_not_a_key: 1\n");
            yaml.Append(segments[0] == "guests" ? "  workload: {kind: uniform}\n" : "guests: {workload: {kind: uniform}}\n");
            using var dir = new TempDir();
            var d = new Diagnostics();
            Assert.Null(ScenarioLoader.TryLoad(dir.File("s.yaml", yaml.ToString()), d));
            var problem = Assert.Single(d.Items, p => p.Message.StartsWith($"unknown key 'zzz_not_a_key' in {path}", StringComparison.Ordinal));
            Assert.Equal((segments.Length + 1, 2 * segments.Length + 1), (problem.Line, problem.Column));
        }
    }
}
