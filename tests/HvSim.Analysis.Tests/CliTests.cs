using System.Diagnostics;

namespace HvSim.Analysis.Tests;

/// <summary>`hvsim plot` and `hvsim plan` as a user runs them: a separate process, its exit code and its output.</summary>
public class CliTests
{
    private static (int Exit, string Out, string Err) Hvsim(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "hvsim.dll"), .. args])
        {
            RedirectStandardOutput = true, RedirectStandardError = true,
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
        var dir = Directory.CreateTempSubdirectory().FullName;
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
    }

    [Fact]
    public void PlanWithABadFileExitsTwoNamingTheLine()
    {
        var dir = Directory.CreateTempSubdirectory().FullName;
        File.WriteAllText(Path.Combine(dir, "plan.yaml"), "scenario: missing.yaml\nslo:\n  mean_slowdown: 150%\n");
        var (exit, _, err) = Hvsim("plan", Path.Combine(dir, "plan.yaml"));
        Assert.Equal(2, exit);
        Assert.Contains("plan.yaml:1:", err);
        Assert.Contains("missing.yaml", err);
        Assert.Contains("plan.yaml:3:", err);
        Assert.DoesNotContain("   at ", err);
    }
}
