using System.Text.Json.Nodes;
using HvSim.Analysis.Statistics;
using HvSim.Analysis.Tables;

namespace HvSim.Analysis.Tests;

/// <summary>
/// Runs that share scenario, platform and replication (the points of a swept `hvsim run`) stay apart: by seed, and by
/// the manifest's run_id and sweep point when it lists them (QA F20, F21).
/// </summary>
public class RunIdentityTests
{
    /// <summary>A swept `hvsim run`: guests.count 2 (seed 11, no paging) and 3 (seed 12, major faults), one replication, both platforms.</summary>
    private static ResultsFixture SweptRun(bool withManifest)
    {
        var fx = new ResultsFixture();
        foreach (var (count, seed) in new[] { (2, 11UL), (3, 12UL) })
        {
            fx.Seed = seed;
            for (int g = 0; g < count; g++)
            {
                fx.Guest("power7", 1, $"guest{g}", hdsi: count == 3 ? 900 : 100, minor: 100, major: count == 3 ? 800 : 0, stalledS: count, unmaps: 50, tlbies: 50)
                  .Guest("ppc970", 1, $"guest{g}", admitted: g < 2);
                for (int t = 1; t <= 4; t++)
                    fx.GuestSample("power7", 1, t, $"guest{g}", resident: (900L + 10 * g) << 20, hdsi: 10, major: count == 3 ? 5 : 0, unmaps: 3, tlbies: 3)
                      .GuestSample("ppc970", 1, t, $"guest{g}", resident: 1L << 30);
            }
            fx.Host("power7", 1).Host("ppc970", 1);
            for (int t = 1; t <= 4; t++)
                fx.HostSample("power7", 1, t, free: 40L << 20, swapUsed: (long)t * count << 20).HostSample("ppc970", 1, t, free: 300L << 20, swapUsed: 0);
        }
        var runs = new JsonArray();
        foreach (var (point, count, seed) in new[] { (0, 2, 11UL), (1, 3, 12UL) })
            foreach (var platform in new[] { "power7", "ppc970" })
                runs.Add(new JsonObject
                {
                    ["run_id"] = $"sw.p00{point}.{platform}.r1", ["point"] = point, ["parameters"] = new JsonObject { ["guests.count"] = count.ToString() },
                    ["platform"] = platform, ["replication"] = 1, ["seed"] = seed, ["config"] = new JsonObject { ["warmup_ns"] = 0 },
                });
        // The writer puts the language's defaults first; their warm-up is not the run's.
        var manifest = new JsonObject { ["tool"] = "hvsim", ["defaults"] = new JsonObject { ["warmup"] = "0" }, ["scenario"] = "sw", ["runs"] = runs };
        return fx.Write(manifestJson: withManifest ? manifest.ToJsonString() : null);
    }

    [Fact]
    public void SweptRunFolderIsReadWithRunIdsAndSweepPointsFromTheManifest()
    {
        using var fx = SweptRun(withManifest: true);
        var folder = ResultsFolder.Load(fx.Dir);
        Assert.Equal(["sw.p000.power7.r1", "sw.p000.ppc970.r1", "sw.p001.power7.r1", "sw.p001.ppc970.r1"],
            folder.Summary.Select(r => r.Run.RunId).Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(["guests.count"], folder.Runs!.Parameters);

        var output = ReportBuilder.Build(fx.Dir);
        // One row per point, not the two points merged as replications: admitted POWER7 guests are 2 and 3, n = 1 each.
        var admitted = output.Stats.Where(s => s.Platform == "power7" && s.Guest == "" && s.Metric == Metric.AdmittedGuests).ToList();
        Assert.Equal([("2", 2.0, 1), ("3", 3.0, 1)], admitted.Select(s => (s.Point.ValueOf("guests.count"), s.Stats.Mean, s.Stats.N)));
        Assert.StartsWith("scenario,platform,guests.count,guest,", File.ReadLines(output.StatsCsv!).First());
    }

    [Fact]
    public void SweptRunFolderWithoutManifestKeepsRunsApartBySeed()
    {
        using var fx = SweptRun(withManifest: false);
        var folder = ResultsFolder.Load(fx.Dir);
        var observations = RunMetrics.Compute(folder);
        // Two POWER7 runs (seeds 11 and 12), each with its own guests.
        var admitted = observations.Where(o => o.Run.Platform == "power7" && o.Guest == "" && o.Metric == Metric.AdmittedGuests).OrderBy(o => o.Run.Seed).ToList();
        Assert.Equal([(11UL, 2.0), (12UL, 3.0)], admitted.Select(o => (o.Run.Seed, o.Value)));
        // The report tells the two runs apart too: the paging plot shows seed 12's run, whose 3 guests took 3 × 800 =
        // 2,400 major faults (seed 11's took none), one of 2 POWER7 runs (not one run of 5 guests).
        var paging = Assert.Single(ReportBuilder.Build(fx.Dir).Figures, f => f.Name == "paging_power7");
        Assert.Contains("Shown: the run with seed 12, the one with the most major faults (2,400) of the 2 POWER7 (pageable) runs", paging.Caption);
    }

    [Fact]
    public void PagingAndFaultCurvesShowThePointWithTheMostMajorFaultsAndNameIt()
    {
        using var fx = SweptRun(withManifest: true);
        var output = ReportBuilder.Build(fx.Dir);
        foreach (var name in new[] { "paging_power7", "host_memory_power7", "faults_power7", "notifier_power7" })
        {
            var figure = Assert.Single(output.Figures, f => f.Name == name);
            Assert.EndsWith(": quick, POWER7 (pageable), guests.count=3, replication 1", figure.Title);
            Assert.Contains("Shown: run sw.p001.power7.r1, the one with the most major faults (2,400) of the 2 POWER7 (pageable) runs", figure.Caption);
        }
        // Every point's paging side by side, one line per point; none for PPC970, whose pinned guests never page.
        Assert.Contains(output.Figures, f => f.Name == "major_faults_by_point_quick_power7");
        // Pinned PPC970 guests take no faults and get no notifier calls: no flat-zero plots, a note instead.
        Assert.DoesNotContain(output.Figures, f => f.Name is "faults_ppc970" or "notifier_ppc970" or "major_faults_by_point_quick_ppc970");
        string html = File.ReadAllText(output.ReportHtml);
        Assert.Contains("PPC970 (pinned): no fault-rate or notifier plot: no HDSI faults, kvm_unmap_hva calls or tlbies in quick, PPC970 (pinned), guests.count=2, replication 1 (its guests are pinned", html);
    }

    [Fact]
    public void ReportShowsTheRunsBeforeTheLanguageDefaults()
    {
        using var fx = SweptRun(withManifest: true);
        string html = File.ReadAllText(ReportBuilder.Build(fx.Dir).ReportHtml);
        int scenario = html.IndexOf("Scenario as run", StringComparison.Ordinal);
        int runs = html.IndexOf("&quot;runs&quot;", scenario, StringComparison.Ordinal), defaults = html.IndexOf("&quot;defaults&quot;", scenario, StringComparison.Ordinal);
        Assert.True(runs > scenario && defaults > runs, $"runs at {runs}, defaults at {defaults}");
    }
}
