namespace HvSim.Cli.Tests;

/// <summary>What a user sees when the output goes to a file or a pipe (`hvsim run ... | tee log`, CI logs).</summary>
public sealed class OutputTests
{
    [Fact]
    public void RedirectedRunSummaryKeepsEachGuestOnOneLineWithoutEscapeCodes()
    {
        using var dir = new TempDir();
        var r = Hvsim.Run("run", dir.File("tiny.yaml", TinyScenarios.Run), "--out", dir.Combine("out"));
        Assert.True(r.Exit == 0, r.ToString());
        Assert.DoesNotContain('\u001b', r.Out);
        string[] lines = r.Out.Split('\n');
        // Off a terminal Spectre.Console assumes 80 columns and would break rows and numbers across lines.
        foreach (string platform in new[] { "power7", "ppc970" })
            foreach (string guest in new[] { "guest0", "guest1" })
                Assert.Single(lines, l => l.Contains(platform) && l.Contains(guest) && (l.Contains("yes") || l.Contains("no")));
        Assert.Contains(lines, l => l.Contains("refused guest0:") && l.Contains("RMA"));
    }

    [Fact]
    public void COLUMNSSetsTheTableWidthOffATerminal()
    {
        using var dir = new TempDir();
        var r = Hvsim.Run(new Dictionary<string, string?> { ["COLUMNS"] = "60" }, "run", dir.File("tiny.yaml", TinyScenarios.Run), "--out", dir.Combine("out"));
        Assert.True(r.Exit == 0, r.ToString());
        Assert.All(r.Out.Split('\n'), l => Assert.True(l.Length <= 60, $"line of {l.Length} columns: {l}"));
    }

    [Fact]
    public void RunSummaryFits80ColumnsAndShowsADashForRefusedGuests()
    {
        using var dir = new TempDir();
        var r = Hvsim.Run(new Dictionary<string, string?> { ["COLUMNS"] = "80" }, "run", dir.File("tiny.yaml", TinyScenarios.Run), "--out", dir.Combine("out"));
        Assert.True(r.Exit == 0, r.ToString());
        string[] lines = r.Out.Split('\n');
        Assert.All(lines, l => Assert.True(l.Length <= 80, $"line of {l.Length} columns: {l}"));
        Assert.Contains(lines, l => l.Contains("p99 ms") && !l.Contains("rep")); // one replication: no `rep` column
        // Each guest row whole on one line: no number broken across lines.
        string refused = Assert.Single(lines, l => l.Contains("ppc970") && l.Contains("guest0"));
        string[] cells = refused.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["-", "-"], cells[^2..]);
        string admitted = Assert.Single(lines, l => l.Contains("power7") && l.Contains("guest0"));
        Assert.EndsWith("%", admitted.TrimEnd());
    }

    [Fact]
    public void RedirectedBatchPrintsPlainProgressLinesOnly()
    {
        using var dir = new TempDir();
        var r = Hvsim.Run("batch", dir.File("sweep.yaml", TinyScenarios.Sweep), "--out", dir.Combine("out"), "--jobs", "2");
        Assert.True(r.Exit == 0, r.ToString());
        Assert.DoesNotContain('\u001b', r.Out);
        Assert.DoesNotContain('\r', r.Out);
        string[] lines = r.Out.Trim().Split('\n');
        Assert.Contains(lines, l => l.Contains("12 runs"));
        // Occasional lines: about one per 10 % of the runs, never one per redraw.
        Assert.InRange(lines.Length, 2, 16);
    }
}
