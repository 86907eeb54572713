using System.Text.RegularExpressions;
using HvSim.Analysis.Tables;

namespace HvSim.Analysis.Tests;

public class ReportBuilderTests : IDisposable
{
    private readonly TempFolders _temp = new();

    public void Dispose() => _temp.Dispose();

    internal static ResultsFixture TwoPlatformRun()
    {
        var fx = new ResultsFixture();
        foreach (var rep in new[] { 1, 2, 3 })
        {
            fx.Guest("power7", rep, "g0", hdsi: 500, minor: 300, major: 200, unmaps: 400, tlbies: 450, swapOuts: 800 + rep, stalledS: 1 + rep * 0.1, latencyMeanUs: 150)
              .Guest("power7", rep, "g1", hdsi: 300, minor: 200, major: 100, unmaps: 250, tlbies: 260, swapOuts: 500, stalledS: 0.5 + rep * 0.1, latencyMeanUs: 120)
              .Guest("ppc970", rep, "g0", stalledS: 0.01)
              .Guest("ppc970", rep, "g1", admitted: false)
              .Host("power7", rep, kswapd: 12).Host("ppc970", rep);
            for (int t = 1; t <= 10; t++)
            {
                fx.HostSample("power7", rep, t, free: (long)(Math.Max(40, 2000 - 300 * t)) << 20, swapUsed: (long)(Math.Min(t, 6) * 200) << 20)
                  .GuestSample("power7", rep, t, "g0", resident: (long)(Math.Min(t * 400, 3000) - (t > 6 ? 300 : 0)) << 20, hdsi: 50, minor: 30, major: 20, unmaps: 40, tlbies: 45)
                  .GuestSample("power7", rep, t, "g1", resident: (long)Math.Min(t * 300, 2500) << 20, hdsi: 30, minor: 20, major: 10, unmaps: 25, tlbies: 26)
                  .HostSample("ppc970", rep, t, free: 3000L << 20, swapUsed: 0)
                  .GuestSample("ppc970", rep, t, "g0", resident: 1024L << 20);
            }
            for (int b = 0; b < 12; b++)
                fx.Bucket("power7", rep, "g0", 50 * Math.Pow(2, b / 2.0), 50 * Math.Pow(2, (b + 1) / 2.0), 100 - 8 * b);
        }
        return fx.Write(manifestJson: fx.Manifest(ResultsFixture.Config(durationNs: 10_000_000_000, warmupNs: 2_000_000_000)));
    }

    [Fact]
    public void BuildWritesStatsPlotsAndSelfContainedReport()
    {
        using var fx = TwoPlatformRun();
        var output = ReportBuilder.Build(fx.Dir);
        Assert.True(File.Exists(output.StatsCsv!));
        foreach (var name in new[] { "paging_power7", "faults_power7", "notifier_power7", "paging_ppc970", "fault_latency_cdf" })
        {
            Assert.Contains(output.Figures, f => f.Name == name);
            Assert.True(new FileInfo(Path.Combine(fx.Dir, name + ".png")).Length > 10_000, name);
            Assert.Contains("<svg", File.ReadAllText(Path.Combine(fx.Dir, name + ".svg")));
        }
        string html = File.ReadAllText(output.ReportHtml);
        // Key numbers come before the plots, the manifest after them.
        int key = html.IndexOf("Key numbers", StringComparison.Ordinal), plots = html.IndexOf("<h2>Plots", StringComparison.Ordinal), scenario = html.IndexOf("Scenario as run", StringComparison.Ordinal);
        Assert.True(key >= 0 && key < plots && plots < scenario);
        Assert.Contains("Scenarios/quickstart.yaml", html);
        // Self-contained: images are data URIs, nothing loaded from elsewhere.
        Assert.Equal(output.Figures.Count, Regex.Matches(html, "src=\"data:image/png;base64,").Count);
        Assert.DoesNotMatch("src=\"(?!data:)", html);
        // Admitted guests: POWER7 2, PPC970 1 (g1 refused).
        Assert.Matches(@"POWER7 \(pageable\)</td><td>2<span", html);
        Assert.Matches(@"PPC970 \(pinned\)</td><td>1<span", html);
    }

    [Fact]
    public void BuildIsIdempotent()
    {
        using var fx = TwoPlatformRun();
        ReportBuilder.Build(fx.Dir);
        string stats1 = File.ReadAllText(Path.Combine(fx.Dir, "stats.csv"));
        string html1 = File.ReadAllText(Path.Combine(fx.Dir, "report.html"));
        var files1 = Directory.GetFiles(fx.Dir).Select(Path.GetFileName).Order().ToArray();
        ReportBuilder.Build(fx.Dir);
        Assert.Equal(stats1, File.ReadAllText(Path.Combine(fx.Dir, "stats.csv")));
        Assert.Equal(html1, File.ReadAllText(Path.Combine(fx.Dir, "report.html")));
        Assert.Equal(files1, Directory.GetFiles(fx.Dir).Select(Path.GetFileName).Order().ToArray());
    }

    [Fact]
    public void BatchFolderGetsSweepCurves()
    {
        using var fx = new ResultsFixture(batch: true);
        var runs = new List<string> { "run_id,scenario,replication,seed,guests.count" };
        int id = 0;
        foreach (var count in new[] { 2, 4, 8 })
            foreach (var rep in new[] { 1, 2 })
                foreach (var platform in new[] { "power7", "ppc970" })
                {
                    string runId = $"r{id++}";
                    runs.Add($"{runId},quick,{rep},{rep},{count}");
                    fx.Guest(platform, rep, "g0", major: platform == "power7" ? count * 10 + rep : 0, stalledS: platform == "power7" ? count * 0.2 + rep * 0.05 : 0.01, runId: runId);
                }
        fx.Write(runsCsv: string.Join("\n", runs) + "\n");
        var output = ReportBuilder.Build(fx.Dir);
        Assert.Contains(output.Figures, f => f.Name == "sweep_guests_count_stall_fraction");
        Assert.Contains(output.Figures, f => f.Name == "sweep_guests_count_major_faults_per_s");
        Assert.StartsWith("scenario,platform,guests.count,guest,metric,", File.ReadLines(output.StatsCsv!).First());
    }

    [Fact]
    public void MrcFolderGetsMissRatioCurve()
    {
        var dir = _temp.New("hvsim-analysis-");
        File.WriteAllText(Path.Combine(dir, "mrc.csv"), "capacity,miss_ratio\n100,0.9\n200,0.5\n400,0.2\n800,0.05\n");
        File.WriteAllText(Path.Combine(dir, "manifest.json"), """{"tool": "hvsim", "kind": "mrc", "trace": "web.csv", "sampling_rate": 1}""");
        var output = ReportBuilder.Build(dir);
        var mrc = Assert.Single(output.Figures, f => f.Name == "mrc");
        Assert.Equal("LRU miss-ratio curve: web.csv", mrc.Title);
        string html = File.ReadAllText(output.ReportHtml);
        Assert.Contains("LRU miss-ratio curve: web.csv", html);
        Assert.DoesNotContain("No simulation runs", html);
        Assert.Null(output.StatsCsv);
        Assert.False(File.Exists(Path.Combine(dir, "stats.csv")));
    }

    [Fact]
    public void NotAResultsFolderThrowsClearError()
    {
        var dir = _temp.New("hvsim-analysis-");
        var e = Assert.Throws<ResultsFolderException>(() => ReportBuilder.Build(dir));
        // Clear: it names the folder, says what it is not and which files would have made it one.
        Assert.StartsWith($"{dir}: not a results folder", e.Message);
        Assert.Contains("summary.csv", e.Message);
        Assert.Empty(Directory.GetFiles(dir));
    }
}

public class ReportNumberTests
{
    [Theory]
    [InlineData(21640.4, "21,640")]
    [InlineData(7.0, "7")]
    [InlineData(0.012734, "0.01273")]
    [InlineData(343.04, "343")]
    [InlineData(98.6234, "98.62")]
    [InlineData(0.00001234, "0.000012")]
    [InlineData(2.5e-9, "0")]
    [InlineData(1.5e16, "15,000,000,000,000,000")]
    [InlineData(-0.5, "-0.5")]
    public void NumbersAreReadable(double value, string expected) => Assert.Equal(expected, HvSim.Analysis.Report.HtmlReport.Num(value));
}
