using HvSim.Analysis.Planning;
using HvSim.Model.Config;
using HvSim.Scenarios.Language;

namespace HvSim.Analysis.Tests;

public class PlanFileTests : IDisposable
{
    private readonly TempFolders _temp = new();

    public void Dispose() => _temp.Dispose();

    private const string Scenario = """
        name: plantest
        seed: 7
        platform: both
        duration: 200ms
        interval: 50ms
        host:
          memory: 4GiB
          page_size: 64KiB
          swap: ssd
        guests:
          count: 2
          name: web
          memory: 512MiB
          vcpus: 1
          workload:
            kind: uniform
        """;

    private string Folder(string plan, string scenario = Scenario)
    {
        var dir = _temp.New("hvsim-plan-");
        File.WriteAllText(Path.Combine(dir, "scenario.yaml"), scenario);
        File.WriteAllText(Path.Combine(dir, "plan.yaml"), plan);
        return dir;
    }

    [Fact]
    public void LoadsEveryKey()
    {
        var dir = Folder("""
            scenario: scenario.yaml
            slo:
              p99_fault_latency: 2ms
              mean_stall_fraction: 5%
              major_faults_per_s_per_guest: 40
            replications: 4
            max_guests: 20
            platforms: ppc970
            confidence: 90%
            min_host_memory: {guests: 3, platform: ppc970, from: 1GiB, to: 8GiB, step: 128MiB}
            """);
        var spec = PlanFile.Load(Path.Combine(dir, "plan.yaml"));
        Assert.Equal(4, spec.Replications);
        Assert.Equal(20, spec.MaxGuests);
        Assert.Equal([Platform.Ppc970], spec.Platforms);
        Assert.Equal(0.9, spec.Slo.Confidence, 12);
        Assert.Equal([new SloLimit(SloMetric.P99FaultLatencyUs, 2000), new SloLimit(SloMetric.MeanStallFraction, 0.05), new SloLimit(SloMetric.MajorFaultsPerSecondPerGuest, 40)], spec.Slo.Limits);
        Assert.Equal(new MemoryQuestion(Platform.Ppc970, 3, 1L << 30, 8L << 30, 128L << 20), spec.Memory);
        Assert.Equal("web", spec.Mix.Shares.Single().Profile.Name);
        Assert.Equal(4L << 30, spec.BaseConfig.Host.MemoryBytes);
    }

    [Fact]
    public void ErrorsNameFileLineColumnAndWhatIsAllowed()
    {
        var dir = Folder("""
            scenario: scenario.yaml
            slo:
              p99_fault_latencyy: 2ms
            replications: 0
            max_gusts: 10
            mix:
              db: 1
            """);
        var e = Assert.Throws<ScenarioException>(() => PlanFile.Load(Path.Combine(dir, "plan.yaml")));
        string all = string.Join("\n", e.Diagnostics);
        Assert.Contains(e.Diagnostics, d => d.Line == 3 && d.Message.Contains("p99_fault_latencyy") && d.Message.Contains("did you mean 'p99_fault_latency'"));
        Assert.Contains(e.Diagnostics, d => d.Line == 4 && d.Column == 15 && d.Message.Contains("replications") && d.Allowed!.Contains("[1, 1000]"));
        Assert.Contains(e.Diagnostics, d => d.Line == 5 && d.Column == 1 && d.Message.Contains("max_gusts"));
        Assert.Contains(e.Diagnostics, d => d.Line == 7 && d.Message.Contains("'db'") && d.Allowed == "web");
        Assert.All(e.Diagnostics, d => Assert.EndsWith("plan.yaml", d.File));
        Assert.DoesNotContain("needs at least one bound", all); // the misspelt bound is the problem, reported above
    }

    [Fact]
    public void SloWithOnlyBadEntriesReportsThemAndNotAMissingBound()
    {
        var dir = Folder("""
            scenario: scenario.yaml
            slo: {p99_fault_latncy: 2ms, mean_stall_fraction: 5 percent}
            """);
        var e = Assert.Throws<ScenarioException>(() => PlanFile.Load(Path.Combine(dir, "plan.yaml")));
        Assert.Equal(2, e.Diagnostics.Count);
        Assert.Contains(e.Diagnostics, d => d.Line == 2 && d.Message.Contains("unknown key 'p99_fault_latncy'") && d.Message.Contains("did you mean 'p99_fault_latency'"));
        Assert.Contains(e.Diagnostics, d => d.Line == 2 && d.Message.Contains("mean_stall_fraction"));
        Assert.DoesNotContain(e.Diagnostics, d => d.Message.Contains("needs at least one bound"));
    }

    [Fact]
    public void AnEmptySloNeedsABound()
    {
        var dir = Folder("scenario: scenario.yaml\nslo: {}\n");
        var e = Assert.Throws<ScenarioException>(() => PlanFile.Load(Path.Combine(dir, "plan.yaml")));
        var d = Assert.Single(e.Diagnostics);
        Assert.Equal("'slo' needs at least one bound", d.Message);
        Assert.Equal((2, 6), (d.Line, d.Column));
        Assert.Equal("p99_fault_latency, mean_stall_fraction, slowdown_factor, major_faults_per_s_per_guest", d.Allowed);
    }

    [Fact]
    public void TheOldNameOfTheStallBoundStillWorksWithAWarningNamingTheNewOne()
    {
        // mean_slowdown bounded the stall fraction: renamed mean_stall_fraction (KeyAliases), accepted for one release.
        var dir = Folder("scenario: scenario.yaml\nslo:\n  mean_slowdown: 5%\n  slowdown_factor: 1.5\n");
        var spec = PlanFile.Load(Path.Combine(dir, "plan.yaml"));
        Assert.Equal([new SloLimit(SloMetric.MeanStallFraction, 0.05), new SloLimit(SloMetric.SlowdownFactor, 1.5)], spec.Slo.Limits);
        var warning = Assert.Single(spec.Warnings);
        Assert.StartsWith($"{Path.Combine(dir, "plan.yaml")}:3:3: warning: 'mean_slowdown' in slo is renamed 'mean_stall_fraction'", warning);
    }

    [Fact]
    public void AnEmptyMixNeedsAProfile()
    {
        var dir = Folder("scenario: scenario.yaml\nslo: {mean_stall_fraction: 5%}\nmix: {}\n");
        var e = Assert.Throws<ScenarioException>(() => PlanFile.Load(Path.Combine(dir, "plan.yaml")));
        var d = Assert.Single(e.Diagnostics);
        Assert.Equal("'mix' must name at least one guest profile", d.Message);
        Assert.Equal((3, 6), (d.Line, d.Column));
        Assert.Equal("web, each with a proportion > 0, e.g. mix: {web: 1}", d.Allowed);
    }

    [Fact]
    public void AZeroProportionSaysWhatIsAllowed()
    {
        var dir = Folder("scenario: scenario.yaml\nslo: {mean_stall_fraction: 5%}\nmix: {web: 0}\n");
        var e = Assert.Throws<ScenarioException>(() => PlanFile.Load(Path.Combine(dir, "plan.yaml")));
        var d = Assert.Single(e.Diagnostics);
        Assert.Equal("the proportion of 'web' must be > 0", d.Message);
        Assert.Equal((3, 12), (d.Line, d.Column));
        Assert.Equal("a number > 0", d.Allowed);
    }

    [Fact]
    public void AFolderWhereAFileBelongsIsCalledAFolder()
    {
        var dir = Folder("scenario: sub\nslo: {mean_stall_fraction: 5%}\n");
        Directory.CreateDirectory(Path.Combine(dir, "sub"));
        var e = Assert.Throws<ScenarioException>(() => PlanFile.Load(Path.Combine(dir, "plan.yaml")));
        var d = Assert.Single(e.Diagnostics);
        Assert.StartsWith("scenario file 'sub' is a folder, not a file", d.Message);
        Assert.Equal((1, 11), (d.Line, d.Column));

        e = Assert.Throws<ScenarioException>(() => PlanFile.Load(Path.Combine(dir, "sub")));
        d = Assert.Single(e.Diagnostics);
        Assert.Equal("a folder, not a file", d.Message);
        Assert.Equal("a plan YAML file", d.Allowed);
    }

    [Fact]
    public void MemoryRangeBackwardsSaysWhatIsAllowed()
    {
        var dir = Folder("""
            scenario: scenario.yaml
            slo: {mean_stall_fraction: 5%}
            min_host_memory: {guests: 2, from: 64GiB, to: 4GiB}
            """);
        var e = Assert.Throws<ScenarioException>(() => PlanFile.Load(Path.Combine(dir, "plan.yaml")));
        var d = Assert.Single(e.Diagnostics);
        Assert.Equal("'from' (64GiB) is larger than 'to' (4GiB)", d.Message);
        Assert.Equal("from <= to", d.Allowed);
        Assert.Contains("(allowed: from <= to)", d.ToString());
        Assert.Equal(3, d.Line);
    }

    [Fact]
    public void MrcEstimatePicksTheSearchStart()
    {
        // Usable 4 GiB − 512 MiB = 57,344 pages of 64 KiB. 5 guests get 11,469 pages each (miss ratio 0.017 ≤ 2 %);
        // 6 get 9,557 (0.0625 > 2 %): the search starts at 5.
        var dir = Folder("""
            scenario: scenario.yaml
            slo: {mean_stall_fraction: 10%}
            mrc_estimate: {file: web.mrc.csv, miss_ratio: 2%}
            """);
        File.WriteAllText(Path.Combine(dir, "web.mrc.csv"), "capacity,miss_ratio\n5000,0.5\n10000,0.02\n20000,0\n");
        Assert.Equal(5, PlanFile.Load(Path.Combine(dir, "plan.yaml")).StartHint);
    }

    [Fact]
    public void MissingScenarioAndSloAreReported()
    {
        var dir = Folder("replications: 2\n");
        var e = Assert.Throws<ScenarioException>(() => PlanFile.Load(Path.Combine(dir, "plan.yaml")));
        // Worded as the scenario binder words a missing key (it binds plans too): "missing 'X' in the plan".
        Assert.Contains(e.Diagnostics, d => d.Message == "missing 'scenario' in the plan" && d.Allowed == "a file path relative to the plan file");
        Assert.Contains(e.Diagnostics, d => d.Message == "missing 'slo'" && d.Allowed == "a mapping of p99_fault_latency, mean_stall_fraction, slowdown_factor, major_faults_per_s_per_guest");
    }

    [Fact]
    public void Ppc970PlanWithTheRealModelFindsThePinnedFit()
    {
        // Host 4 GiB − 512 MiB reserved − 8 MiB min watermark (int_sqrt(16 × 4194304) = 8192 KiB, which pins may not
        // take) = 3576 MiB. n guests boot a pool of n 64 MiB RMAs and each pins its other 448 MiB, so n guests take
        // n × 512 MiB: 6 take 3072 MiB and fit, 7 take 3584 MiB and do not.
        var dir = Folder("""
            scenario: scenario.yaml
            slo:
              p99_fault_latency: 1s
            replications: 2
            max_guests: 16
            platforms: ppc970
            """);
        var spec = PlanFile.Load(Path.Combine(dir, "plan.yaml"));
        var output = Path.Combine(dir, "out");
        var result = PlanRunner.Run(spec, output);
        var plan = result.Platforms.Single();
        Assert.Equal(6, plan.MaxGuests);
        Assert.Equal(7, plan.FirstFailing!.Point.Guests);
        Assert.False(plan.FirstFailing.AllAdmitted);
        // Pinned guests take no HDSI fault: the p99 is undefined (not 0), so the latency bound holds and plan.csv leaves it empty.
        Assert.Contains("(no HDSI faults, so no p99_fault_latency_us to exceed the bound)", plan.Summary);
        Assert.Null(PlanFiles.TryRead(output)!.Plan.Single().Mean);
        Assert.True(File.Exists(Path.Combine(output, "plan.csv")));
        Assert.Contains("Capacity plan", File.ReadAllText(Path.Combine(output, "report.html")));
        Assert.Contains("plan_file", File.ReadAllText(Path.Combine(output, "manifest.json")));
    }
}
