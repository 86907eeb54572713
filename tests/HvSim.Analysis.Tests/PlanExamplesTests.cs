using HvSim.Analysis.Planning;
using HvSim.Analysis.Statistics;
using HvSim.Analysis.Tables;

namespace HvSim.Analysis.Tests;

/// <summary>
/// The example plans of Scenarios/plans run (on a shortened copy of their scenario) and give the answer a brute-force
/// search gives: every count from 1 up, one after another, with the same seeds.
/// </summary>
public class PlanExamplesTests : IDisposable
{
    private readonly TempFolders _temp = new();

    public void Dispose() => _temp.Dispose();

    internal static string RepoDir(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (Directory.Exists(Path.Combine(dir.FullName, relative))) return Path.Combine(dir.FullName, relative);
        throw new DirectoryNotFoundException(relative);
    }

    /// <summary>The example plans and their scenario copied to a temporary folder, the scenario cut to 2 s with a 0.5 s warm-up so the test is short.</summary>
    private string ShortCopy()
    {
        var dir = _temp.New("hvsim-plans-");
        foreach (var file in Directory.GetFiles(RepoDir("Scenarios/plans"), "*.yaml"))
        {
            string text = File.ReadAllText(file);
            if (Path.GetFileName(file) == "small-host.yaml")
            {
                Assert.Contains("\nduration: 6s\n", text);
                Assert.Contains("\nwarmup: 2s\n", text);
                text = text.Replace("\nduration: 6s\n", "\nduration: 2s\n").Replace("\nwarmup: 2s\n", "\nwarmup: 500ms\n");
            }
            File.WriteAllText(Path.Combine(dir, Path.GetFileName(file)), text);
        }
        return dir;
    }

    [Fact]
    public void EveryExamplePlanIsReferencedFromTheReadme()
    {
        string readme = File.ReadAllText(Path.Combine(RepoDir("Scenarios"), "..", "README.md"));
        foreach (var file in Directory.GetFiles(RepoDir("Scenarios/plans"), "*.plan.yaml"))
            Assert.Contains("Scenarios/plans/" + Path.GetFileName(file), readme);
    }

    [Theory]
    [InlineData("p99-latency.plan.yaml")]
    [InlineData("slowdown.plan.yaml")]
    [InlineData("mix.plan.yaml")]
    public void TheAnswerIsTheBruteForceCount(string plan)
    {
        var dir = ShortCopy();
        var spec = PlanFile.Load(Path.Combine(dir, plan));
        var result = PlanRunner.Run(spec, Path.Combine(dir, "out"), parallelism: 2);
        var brute = new CapacityPlanner(new SimulationEvaluator(spec.BaseConfig, spec.Mix, spec.SeedOf), spec.Slo, spec.Replications, spec.MaxGuests);
        foreach (var p in result.Platforms)
        {
            int n = 0;
            while (n < spec.MaxGuests && brute.ProbeAt(new PlanPoint(p.Platform, n + 1)).MeetsSlo) n++;
            Assert.True(n == p.MaxGuests, $"{plan} {p.Platform}: the search found {p.MaxGuests}, counting up from 1 finds {n}");
        }
        // Every probe run's full metrics, not only the SLO's: stats.csv has each probed count with its host-level metrics.
        var folder = ResultsFolder.Load(Path.Combine(dir, "out"));
        var stats = StatsTable.Aggregate(RunMetrics.Compute(folder));
        foreach (var probe in result.Probes)
        {
            var rows = stats.Where(s => s.Guest == "" && s.Platform == HvSim.Scenarios.Language.ScenarioKeys.PlatformName(probe.Point.Platform)
                                        && s.Point.ValueOf("guests.count") == probe.Point.Guests.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
            Assert.Contains(rows, r => r.Metric == Metric.EffectiveAccessTime && r.Stats.N == spec.Replications);
            Assert.Contains(rows, r => r.Metric == Metric.PagesSwappedOut && r.Stats.N == spec.Replications);
        }
    }

    [Fact]
    public void TheMinHostMemoryAnswerMeetsTheSloAndOneStepLessDoesNot()
    {
        var dir = ShortCopy();
        var spec = PlanFile.Load(Path.Combine(dir, "min-host-memory.plan.yaml"));
        var result = PlanRunner.Run(spec, Path.Combine(dir, "out"), parallelism: 2);
        var q = spec.Memory!;
        long answer = Assert.IsType<long>(result.Memory!.MinHostMemoryBytes);
        // The definition, checked by fresh runs: the answer meets the SLO and the step below it (when searched) does not.
        var fresh = new CapacityPlanner(new SimulationEvaluator(spec.BaseConfig, spec.Mix, spec.SeedOf), spec.Slo, spec.Replications, spec.MaxGuests);
        Assert.True(fresh.ProbeAt(new PlanPoint(q.Platform, q.Guests, answer)).MeetsSlo);
        if (answer > q.FromBytes) Assert.False(fresh.ProbeAt(new PlanPoint(q.Platform, q.Guests, answer - q.StepBytes)).MeetsSlo);
        // The search steps are in plan_probes.csv, in order, each with its verdict.
        var steps = PlanFiles.TryRead(Path.Combine(dir, "out"))!.Probes.Where(p => p.Search == "min_host_memory").OrderBy(p => p.Order).ToList();
        Assert.True(steps.Count >= 2);
        Assert.Equal(q.ToBytes, steps[0].HostMemoryBytes);
        Assert.All(steps, s => Assert.Equal(s.MeetsSlo, s.HostMemoryBytes >= answer));
        Assert.All(steps, s => Assert.False(string.IsNullOrEmpty(s.Verdict)));
    }
}
