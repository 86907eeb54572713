using HvSim.Analysis.Planning;
using HvSim.Model.Config;
using HvSim.Scenarios.Language;
using HvSim.Scenarios.Planning;

namespace HvSim.Analysis.Tests;

/// <summary>`levers:` in a plan: the most guests per lever and platform, against pinned PPC970 and POWER7 swapping.</summary>
public class PlanLeversTests : IDisposable
{
    private readonly TempFolders _temp = new();

    public void Dispose() => _temp.Dispose();

    private const string Scenario = """
        name: plantest
        seed: 7
        platform: both
        duration: 100ms
        interval: 50ms
        host:
          memory: 2GiB
          page_size: 64KiB
          swap: ssd
        guests:
          count: 2
          name: web
          memory: 256MiB
          vcpus: 1
          workload:
            kind: uniform
        """;

    private string Folder(string plan)
    {
        var dir = _temp.New("hvsim-levers-");
        File.WriteAllText(Path.Combine(dir, "scenario.yaml"), Scenario);
        File.WriteAllText(Path.Combine(dir, "plan.yaml"), plan);
        return dir;
    }

    private ScenarioException Problems(string plan) =>
        Assert.Throws<ScenarioException>(() => PlanFile.Load(Path.Combine(Folder(plan), "plan.yaml")));

    private const string LeverPlan = """
        scenario: scenario.yaml
        slo: {p99_fault_latency: 1s}
        replications: 2
        max_guests: 8
        platforms: ppc970
        levers:
          no-reserve: {host.reserved: 0}
          balloon: {guests.balloon: 64MiB}
        """;

    [Fact]
    public void ALeverThatFreesMemoryForPinsIsCountedByTheAdmissionArithmeticAndDividedByThePinnedBaseline()
    {
        // PPC970 admission by hand (3.4: kvmppc_core_prepare_memory_region pins every page; kvm_linear_init's RMA pool;
        // kvmppc_alloc_hpt and the memslot arrays are host kernel memory). Each 256 MiB guest takes its 64 MiB RMA, pins
        // the other 192 MiB, and holds a 16 MiB HPT, a 16 MiB revmap (16 B per HPTE of 2^24 / 16), and an rmap and a
        // slot_phys of 8 B per 64 KiB page (one 64 KiB page each): 288.125 MiB. Pins may not take the last min watermark,
        // int_sqrt(16 × 2097152 KiB) = 5792 KiB, 90 pages of 64 KiB = 5.625 MiB. The scenario as it is:
        // floor((2048 − 512 reserved − 5.625) / 288.125) = floor(5.31) = 5 guests. The lever host.reserved: 0:
        // floor((2048 − 5.625) / 288.125) = floor(7.09) = 7. POWER7 pages instead of pinning: a p99 of at most 1 s holds
        // in a 100 ms run, so swapping reaches the search cap, 8.
        var dir = Folder(LeverPlan);
        var spec = PlanFile.Load(Path.Combine(dir, "plan.yaml"));
        var one = Path.Combine(dir, "jobs1");
        var result = PlanRunner.Run(spec, one, parallelism: 1);
        Assert.Equal(5, result.Pinned!.MaxGuests);
        Assert.Equal(8, result.Swapping!.MaxGuests);
        Assert.True(result.Swapping.HitSearchCap);
        var lever = result.Levers.Single(l => l.Lever == "no-reserve");
        Assert.Equal(Platform.Ppc970, lever.Platform);
        Assert.Equal(7, lever.Plan!.MaxGuests);
        Assert.Equal(7.0 / 5, lever.RatioTo(result.Pinned)!.Value, 12);
        Assert.Equal(7.0 / 8, lever.RatioTo(result.Swapping)!.Value, 12);
        // The baselines are rows too, the scenario as it is on both platforms; then each lever on the plan's platforms.
        Assert.Equal(["none/power7", "none/ppc970", "no-reserve/ppc970", "balloon/ppc970"],
            result.Levers.Select(l => $"{l.Lever}/{ScenarioKeys.PlatformName(l.Platform)}"));

        // A balloon on PPC970 is refused with the scenario language's reason, not run and not a crash.
        var balloon = result.Levers.Single(l => l.Lever == "balloon");
        Assert.Null(balloon.Plan);
        Assert.Contains("PPC970", balloon.Refused);
        var rows = PlanFiles.TryRead(one)!.Levers;
        Assert.Equal("7", rows.Single(r => r.Lever == "no-reserve").MaxGuests.ToString());
        Assert.Equal(7.0 / 5, rows.Single(r => r.Lever == "no-reserve").RatioVsPinned!.Value, 12);
        Assert.Null(rows.Single(r => r.Lever == "balloon").MaxGuests);
        Assert.Equal(balloon.Refused, rows.Single(r => r.Lever == "balloon").Refused);
        Assert.Contains("Levers side by side", File.ReadAllText(Path.Combine(one, "report.html")));
        Assert.True(File.Exists(Path.Combine(one, "plan_levers.png")));
        Assert.Contains(File.ReadLines(Path.Combine(one, "runs.csv")), l => l.StartsWith("no-reserve-ppc970-n7-r2,", StringComparison.Ordinal));

        // Same plan and seed, replications in parallel: every results table byte for byte the same.
        var two = Path.Combine(dir, "jobs2");
        PlanRunner.Run(PlanFile.Load(Path.Combine(dir, "plan.yaml")), two, parallelism: 2);
        var csvs = Directory.GetFiles(one, "*.csv").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Contains("plan_levers.csv", csvs);
        Assert.Equal(csvs, Directory.GetFiles(two, "*.csv").Select(Path.GetFileName).Order(StringComparer.Ordinal));
        foreach (var csv in csvs)
            Assert.True(File.ReadAllBytes(Path.Combine(one, csv!)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(two, csv!))), csv);
    }

    [Fact]
    public void ZswapOnLinux34IsRefusedOnEveryPlatformWithTheReason()
    {
        var spec = PlanFile.Load(Path.Combine(Folder("""
            scenario: scenario.yaml
            slo: {mean_stall_fraction: 10%}
            levers:
              zswap: {host.zswap: true}
              zswap-6.18: {host.kernel: linux-6.18, host.zswap: true}
            """), "plan.yaml"));
        var zswap = spec.Levers.Single(l => l.Name == "zswap");
        Assert.Equal([Platform.Power7, Platform.Ppc970], zswap.On.Select(o => o.Platform));
        Assert.All(zswap.On, o => Assert.StartsWith("zswap on linux-3.4: Linux 3.4 has no zswap", o.Refused));
        Assert.All(spec.Levers.Single(l => l.Name == "zswap-6.18").On, o => Assert.True(o.Target!.BaseConfig.Host.Zswap.Enabled));
        // Nothing refused is searched: the two baselines and zswap-6.18 on each platform.
        Assert.Equal([(null, Platform.Power7), (null, Platform.Ppc970), ("zswap-6.18", Platform.Power7), ("zswap-6.18", Platform.Ppc970)], spec.Searches);
    }

    [Fact]
    public void TheExampleLeverPlanLoadsWithTheRefusalsItsCommentPromises()
    {
        // Scenarios/plans/levers.plan.yaml: zswap on linux-3.4 (3.11's), a balloon and hugetlbfs on PPC970 are refused,
        // every other lever is searched on both platforms, after the scenario as it is on both.
        var spec = PlanFile.Load(Path.Combine(PlanExamplesTests.RepoDir("Scenarios/plans"), "levers.plan.yaml"));
        var refused = spec.Levers.SelectMany(l => l.On.Where(o => o.Refused is not null).Select(o => $"{l.Name}/{ScenarioKeys.PlatformName(o.Platform)}"));
        Assert.Equal(["hugetlbfs/ppc970", "balloon/ppc970", "zswap/power7", "zswap/ppc970"], refused);
        Assert.Equal(2 * spec.Levers.Count - 4, spec.Searches.Count);
        Assert.Equal(PlanKeys.Baseline, spec.Levers[0].Name);
    }

    [Fact]
    public void BadLeversNameFileLineColumnTheKeyAndWhatIsAllowed()
    {
        var e = Problems("""
            scenario: scenario.yaml
            slo: {mean_stall_fraction: 10%}
            levers:
              ksm: {host.ksn: true}
              none: {host.ksm: true}
              ksm+cgroups: {host.ksm: true}
              count: {guests.count: 4}
              seed: {seed: 3}
              swappy: {host.swappiness: 300}
              empty: {}
              flat: true
            """);
        Assert.Contains(e.Diagnostics, d => (d.Line, d.Column) == (4, 9) && d.Message == "unknown key path 'host.ksn' in lever 'ksm', did you mean 'host.ksm'?" && d.Allowed!.Contains("host.swappiness"));
        Assert.Contains(e.Diagnostics, d => (d.Line, d.Column) == (5, 3) && d.Message == "'none' is the scenario without levers, always planned");
        Assert.Contains(e.Diagnostics, d => (d.Line, d.Column) == (6, 3) && d.Message == "lever name 'ksm+cgroups' cannot name its runs" && d.Allowed!.StartsWith("a name of letters, digits, '-', '_' and '.'"));
        Assert.Contains(e.Diagnostics, d => (d.Line, d.Column) == (7, 11) && d.Message == "'guests.count' cannot be set by a lever: the plan decides it");
        Assert.Contains(e.Diagnostics, d => (d.Line, d.Column) == (8, 10) && d.Message == "'seed' cannot be set by a lever: the plan decides it");
        Assert.Contains(e.Diagnostics, d => (d.Line, d.Column) == (9, 29) && d.Message.Contains("swappiness") && d.Allowed == "an integer in [0, 200]");
        Assert.Contains(e.Diagnostics, d => (d.Line, d.Column) == (10, 10) && d.Message == "lever 'empty' sets no key (the scenario without levers is 'none')");
        Assert.Contains(e.Diagnostics, d => (d.Line, d.Column) == (11, 9) && d.Message == "lever 'flat' must be a mapping of key paths to values, not a scalar");
        Assert.Equal(8, e.Diagnostics.Count);
        Assert.All(e.Diagnostics, d => Assert.EndsWith("plan.yaml", d.File));
    }

    [Fact]
    public void LeversMustBeANonEmptyMapping()
    {
        var d = Assert.Single(Problems("scenario: scenario.yaml\nslo: {mean_stall_fraction: 10%}\nlevers: [ksm]\n").Diagnostics);
        Assert.Equal(("'levers' must be a mapping of lever names to key paths and values, not a list", 3, 9), (d.Message, d.Line, d.Column));
        d = Assert.Single(Problems("scenario: scenario.yaml\nslo: {mean_stall_fraction: 10%}\nlevers: {}\n").Diagnostics);
        Assert.Equal(("'levers' names no lever", 3, 9), (d.Message, d.Line, d.Column));
    }
}
