namespace HvSim.Cli.Tests;

/// <summary>The results folder users trust: deterministic bytes, and never damaged by a failed command.</summary>
public sealed class ResultsTests
{
    private static readonly string[] RunFiles = ["summary.csv", "host.csv", "timeseries.csv", "fault_latency.csv"];

    [Fact]
    public void TheSameScenarioTwiceGivesByteIdenticalResultsFiles()
    {
        using var dir = new TempDir();
        string scenario = dir.File("tiny.yaml", TinyScenarios.Run);
        Assert.Equal(0, Hvsim.Run("run", scenario, "--out", dir.Combine("a"), "--jobs", "1").Exit);
        Assert.Equal(0, Hvsim.Run("run", scenario, "--out", dir.Combine("b"), "--jobs", "2").Exit);
        foreach (string file in RunFiles)
            Assert.True(File.ReadAllBytes(dir.Combine("a", file)).SequenceEqual(File.ReadAllBytes(dir.Combine("b", file))), $"{file} differs between two runs");
    }

    [Fact]
    public void ADifferentSeedGivesDifferentResults()
    {
        using var dir = new TempDir();
        string scenario = dir.File("tiny.yaml", TinyScenarios.Run);
        Assert.Equal(0, Hvsim.Run("run", scenario, "--out", dir.Combine("a")).Exit);
        Assert.Equal(0, Hvsim.Run("run", scenario, "--out", dir.Combine("b"), "--seed", "8").Exit);
        Assert.NotEqual(File.ReadAllText(dir.Combine("a", "summary.csv")), File.ReadAllText(dir.Combine("b", "summary.csv")));
    }

    [Fact]
    public void ABadScenarioLeavesAnExistingResultsFolderUntouched()
    {
        using var dir = new TempDir();
        string good = dir.File("tiny.yaml", TinyScenarios.Run);
        string results = dir.Combine("results");
        Assert.Equal(0, Hvsim.Run("run", good, "--out", results).Exit);
        var before = Snapshot(results);

        string bad = dir.File("bad.yaml", TinyScenarios.Run.Replace("alpha: 0.8", "alpha: -3"));
        var r = Hvsim.Run("run", bad, "--out", results);
        Assert.True(r.Exit == 2, r.ToString());
        // TinyScenarios.Run's line 17 is `    alpha: -3`: the value at column 12; a Zipf exponent is not negative.
        Assert.Contains($"{bad}:17:12: error: 'alpha' is out of range: -3 (allowed: a number in [0, ", r.Err);
        Assert.Equal(before, Snapshot(results));
    }

    [Fact]
    public void ABatchIntoAFolderOfAnotherBatchSaysWhatItLeftAlone()
    {
        using var dir = new TempDir();
        string shared = dir.Combine("shared");
        Assert.Equal(0, Hvsim.Run("batch", dir.File("sweep.yaml", TinyScenarios.Sweep), "--out", shared).Exit);
        var r = Hvsim.Run("batch", dir.File("tiny.yaml", TinyScenarios.Run), "--out", shared);
        Assert.True(r.Exit == 0, r.ToString());
        // The sweep's 12 run folders (3 points x 2 platforms x 2 replications) stay, outside tiny's tables.
        Assert.Contains($"Note: {Path.Combine(shared, "runs")}/ also holds 12 run folder(s) of another batch", r.Out);
        Assert.Equal(12 + 2, Directory.GetDirectories(Path.Combine(shared, "runs")).Length);
        Assert.DoesNotContain("sweep", File.ReadAllText(Path.Combine(shared, "summary.csv")));
        // Re-running tiny alone in a fresh folder: nothing to note.
        Assert.DoesNotContain("Note:", Hvsim.Run("batch", dir.Combine("tiny.yaml"), "--out", dir.Combine("own")).Out);
    }

    [Fact]
    public void BatchResultsDoNotDependOnTheNumberOfJobs()
    {
        using var dir = new TempDir();
        string scenario = dir.File("sweep.yaml", TinyScenarios.Sweep);
        Assert.Equal(0, Hvsim.Run("batch", scenario, "--out", dir.Combine("j1"), "--jobs", "1").Exit);
        Assert.Equal(0, Hvsim.Run("batch", scenario, "--out", dir.Combine("j2"), "--jobs", "2").Exit);
        var one = Snapshot(dir.Combine("j1"), skipManifest: true);
        var two = Snapshot(dir.Combine("j2"), skipManifest: true);
        Assert.NotEmpty(one);
        Assert.Equal(one, two);
    }

    [Fact]
    public void TwoShardsMergedEqualTheUnshardedBatch()
    {
        using var dir = new TempDir();
        string scenario = dir.File("sweep.yaml", TinyScenarios.Sweep);
        Assert.Equal(0, Hvsim.Run("batch", scenario, "--out", dir.Combine("all"), "--jobs", "2").Exit);
        Assert.Equal(0, Hvsim.Run("batch", scenario, "--out", dir.Combine("s1"), "--shard", "1/2").Exit);
        Assert.Equal(0, Hvsim.Run("batch", scenario, "--out", dir.Combine("s2"), "--shard", "2/2").Exit);
        var merge = Hvsim.Run("merge", dir.Combine("s1"), dir.Combine("s2"), "--out", dir.Combine("merged"));
        Assert.True(merge.Exit == 0, merge.ToString());
        Assert.Equal(Snapshot(dir.Combine("all"), skipManifest: true), Snapshot(dir.Combine("merged"), skipManifest: true));
    }

    /// <summary>
    /// Every file (relative path and SHA-256); with <paramref name="skipManifest"/> only the results CSV files, since
    /// manifest.json and timing.csv/timing.json record wall-clock times on purpose.
    /// </summary>
    internal static SortedDictionary<string, string> Snapshot(string folder, bool skipManifest = false)
    {
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (string f in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
        {
            string rel = Path.GetRelativePath(folder, f);
            if (skipManifest && (!f.EndsWith(".csv", StringComparison.Ordinal) || Path.GetFileName(f) == "timing.csv")) continue;
            files[rel] = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(f)));
        }
        return files;
    }
}
