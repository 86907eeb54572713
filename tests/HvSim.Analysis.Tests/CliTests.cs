using System.Diagnostics;

namespace HvSim.Analysis.Tests;

/// <summary>`hvsim plot` and `hvsim plan` as a user runs them: a separate process, its exit code and its output.</summary>
public class CliTests : IDisposable
{
    private readonly TempFolders _temp = new();

    public void Dispose() => _temp.Dispose();

    private static (int Exit, string Out, string Err) Hvsim(params string[] args) => HvsimIn(null, args);

    private static (int Exit, string Out, string Err) HvsimIn(string? workingDirectory, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "hvsim.dll"), .. args])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory ?? "",
        };
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, output, err.Result);
    }

    [Fact]
    public void PlotOfAFolderWithoutResultsExitsTwoWithAClearMessage()
    {
        var dir = _temp.New("hvsim-analysis-");
        var (exit, _, err) = Hvsim("plot", dir);
        Assert.Equal(2, exit);
        Assert.Contains("not a results folder", err);
        Assert.DoesNotContain("   at ", err); // no stack trace
        Assert.Empty(Directory.GetFiles(dir));
    }

    [Fact]
    public void PlotRegeneratesEverythingFromTheCsvFiles()
    {
        using var fx = ReportBuilderTests.TwoPlatformRun();
        var (exit, output, err) = Hvsim("plot", fx.Dir);
        Assert.True(exit == 0, err);
        Assert.Contains("report.html", output);
        foreach (var file in new[] { "stats.csv", "report.html", "paging_power7.png", "paging_power7.svg", "fault_latency_cdf.png" })
            Assert.True(File.Exists(Path.Combine(fx.Dir, file)), file);
        // From the CSV files' numbers: POWER7's 200 + 100 post-warm-up major faults in each of the 3 replications, over
        // duration − warm-up = 10 − 2 s: 37.5 faults/s every time, so sd 0 and the interval is the mean.
        Assert.Contains("quick,power7,,major_faults_per_s,1/s,3,37.5,0,37.5,37.5", File.ReadAllLines(Path.Combine(fx.Dir, "stats.csv")));
    }

    [Fact]
    public void MrcWritesCurvePlotAndReportIntoResultsMrcTraceName()
    {
        var dir = _temp.New("hvsim-analysis-");
        // Pages 1..4 cycled: LRU misses every access below 4 pages of capacity, only the 4 cold misses from 4 on.
        var lines = Enumerable.Range(0, 40).Select(i => $"{i},{i % 4 + 1},4096,r");
        File.WriteAllLines(Path.Combine(dir, "my trace.csv"), ["time,obj_id,size,op", .. lines]);
        var (exit, _, err) = HvsimIn(dir, "mrc", "my trace.csv");
        Assert.True(exit == 0, err);
        string output = Path.Combine(dir, "results", "mrc", "my_trace.csv");
        foreach (var file in new[] { "mrc.csv", "manifest.json", "mrc.png", "mrc.svg", "report.html" })
            Assert.True(File.Exists(Path.Combine(output, file)), file);
        Assert.False(File.Exists(Path.Combine(dir, "mrc.csv")));
        Assert.Contains("LRU miss-ratio curve: my trace.csv", File.ReadAllText(Path.Combine(output, "report.html")));
        var curve = File.ReadLines(Path.Combine(output, "mrc.csv")).Skip(1).Select(l => l.Split(',')).ToDictionary(f => f[0], f => double.Parse(f[1], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(1.0, curve["3"]);
        Assert.Equal(0.1, curve["4"]);
    }

    [Fact]
    public void PlanWithABadFileExitsTwoNamingTheLine()
    {
        var dir = _temp.New("hvsim-analysis-");
        File.WriteAllText(Path.Combine(dir, "plan.yaml"), "scenario: missing.yaml\nslo:\n  mean_stall_fraction: 150%\n");
        var (exit, _, err) = Hvsim("plan", Path.Combine(dir, "plan.yaml"));
        Assert.Equal(2, exit);
        Assert.Contains("plan.yaml:1:", err);
        Assert.Contains("missing.yaml", err);
        Assert.Contains("plan.yaml:3:", err);
        Assert.DoesNotContain("   at ", err);
    }

    [Fact]
    public void CompareRefusesFoldersThatDoNotCompareAndWritesNothing()
    {
        using var a = new ResultsFixture().Guest("power7", 1, "g0").Guest("power7", 1, "g1").Write();
        using var b = new ResultsFixture().Guest("power7", 1, "g0").Write();
        string before = string.Join(",", Directory.GetFiles(a.Dir).Concat(Directory.GetFiles(b.Dir)).Order());
        string outDir = Path.Combine(_temp.New("hvsim-analysis-"), "cmp");
        var (exit, _, err) = Hvsim("compare", a.Dir, b.Dir, "--out", outDir);
        Assert.Equal(2, exit);
        Assert.Contains("do not compare: their guests differ", err);
        Assert.DoesNotContain("   at ", err);
        Assert.False(Directory.Exists(outDir), "a refused comparison created its --out folder");
        Assert.Equal(before, string.Join(",", Directory.GetFiles(a.Dir).Concat(Directory.GetFiles(b.Dir)).Order()));
        // A folder without runs is refused by name, as `hvsim plot` refuses it.
        var empty = _temp.New("hvsim-analysis-");
        (exit, _, err) = Hvsim("compare", a.Dir, empty, "--out", outDir);
        Assert.Equal(2, exit);
        Assert.Contains("not a results folder", err);
        Assert.False(Directory.Exists(outDir));
    }

    [Fact]
    public void CompareWritesTheTablePlotAndReportIntoOutOnly()
    {
        using var a = new ResultsFixture().Guest("power7", 1, "g0", stalledS: 1).Guest("power7", 2, "g0", stalledS: 2).Write();
        string before = string.Join(",", Directory.GetFiles(a.Dir).Order());
        string outDir = Path.Combine(_temp.New("hvsim-analysis-"), "cmp");
        var (exit, output, err) = Hvsim("compare", a.Dir, a.Dir, "--out", outDir);
        Assert.True(exit == 0, err);
        Assert.Contains("no significant difference", output);
        Assert.Equal(before, string.Join(",", Directory.GetFiles(a.Dir).Order())); // nothing written beside the inputs
        Assert.StartsWith("scenario_a,scenario_b,platform,guest,metric,unit,n_a,mean_a,n_b,mean_b,difference,relative_difference,ci_low,ci_high,confidence,interval,verdict\n",
            File.ReadAllText(Path.Combine(outDir, "compare.csv")));
        Assert.True(File.Exists(Path.Combine(outDir, "compare_power7.png")));
        Assert.Contains("no significant difference in any key metric", File.ReadAllText(Path.Combine(outDir, "report.html")));
    }
}
