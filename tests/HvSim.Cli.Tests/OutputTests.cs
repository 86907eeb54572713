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
        // The tables follow COLUMNS; a finished run's progress line is as long as its run id makes it, and a line that
        // names a file (Report: ...) as long as the temp directory's path.
        Assert.All(r.Out.Split('\n').Where(l => !IsProgressLine(l) && !l.Contains(dir.Path, StringComparison.Ordinal)),
            l => Assert.True(l.Length <= 60, $"line of {l.Length} columns: {l}"));
    }

    private static bool IsProgressLine(string line) => line.StartsWith("run ", StringComparison.Ordinal) && line.Contains(" done", StringComparison.Ordinal);

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
        // The row ends with the stall as a percentage, then as a slowdown factor.
        string[] last = admitted.Split(' ', StringSplitOptions.RemoveEmptyEntries)[^2..];
        Assert.EndsWith("%", last[0]);
        Assert.EndsWith("×", last[1]);
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
        // Exactly one line per finished run (3 points x 2 platforms x 2 replications), numbered 1/12 .. 12/12, never one per redraw.
        var progress = lines.Where(l => l.StartsWith("run ", StringComparison.Ordinal) && l.Contains(" done: ")).ToList();
        Assert.Equal(Enumerable.Range(1, 12).Select(k => $"run {k}/12 "), progress.Select(l => l[..(l.IndexOf('/') + 4)]));
        Assert.Equal(12, progress.Select(l => l.Split(' ')[2]).Distinct().Count());
    }

    [Fact]
    public void RedirectedRunPrintsOneProgressLinePerFinishedRunAndNothingElseWhileRunning()
    {
        using var dir = new TempDir();
        var r = Hvsim.Run("run", dir.File("tiny.yaml", TinyScenarios.Run), "--out", dir.Combine("out"), "--jobs", "2");
        Assert.True(r.Exit == 0, r.ToString());
        Assert.DoesNotContain('\u001b', r.Out);
        Assert.DoesNotContain('\r', r.Out);
        string[] lines = r.Out.Split('\n');
        // tiny: both platforms, one replication: two runs, so two lines, and every line before the summary is one of them.
        var progress = lines.TakeWhile(l => !l.Contains("tiny") || l.StartsWith("run ", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, progress.Count);
        Assert.All(progress, l => Assert.Matches(@"^run [12]/2 tiny\.(power7|ppc970)\.r1 done: 2 s simulated, [0-9,]+ accesses; [0-9.]+ s", l));
        Assert.Equal(2, progress.Select(l => l.Split(' ')[2]).Distinct().Count());
    }

    [PseudoTerminalFact]
    public void ATerminalGetsLiveProgressAndTheSameResultsFilesAsAPipe()
    {
        using var dir = new TempDir();
        string scenario = dir.File("tiny.yaml", TinyScenarios.Run);
        Assert.Equal(0, Hvsim.Run("run", scenario, "--out", dir.Combine("pipe")).Exit);
        // `script` runs hvsim on a pseudo-terminal, as a user's shell would; its typescript goes to a file.
        string dll = Path.Combine(AppContext.BaseDirectory, "hvsim.dll");
        string command = $"dotnet '{dll}' run '{scenario}' --out '{dir.Combine("tty")}'";
        var tty = Hvsim.RunProgram("script", "-qec", command, dir.Combine("typescript"));
        Assert.True(tty.Exit == 0, tty.ToString());
        Assert.Contains("tiny.power7.r1", File.ReadAllText(dir.Combine("typescript")));
        Assert.Contains("\u001b", File.ReadAllText(dir.Combine("typescript"))); // drawn live, with escape codes
        foreach (string file in new[] { "summary.csv", "host.csv", "timeseries.csv", "fault_latency.csv", "stats.csv" })
            Assert.True(File.ReadAllBytes(dir.Combine("pipe", file)).SequenceEqual(File.ReadAllBytes(dir.Combine("tty", file))), $"{file} differs between a terminal and a pipe");
    }
}

/// <summary>A fact that runs hvsim on a pseudo-terminal through util-linux `script`.</summary>
public sealed class PseudoTerminalFactAttribute : FactAttribute
{
    public PseudoTerminalFactAttribute()
    {
        if (!File.Exists("/usr/bin/script")) Skip = "util-linux `script` (to open a pseudo-terminal) is not installed";
    }
}
