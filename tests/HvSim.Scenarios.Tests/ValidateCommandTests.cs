namespace HvSim.Scenarios.Tests;

/// <summary>`hvsim validate` over folders (F37), its swappiness warning without a page cache (F40) and its memory warning.</summary>
[Collection(CliCollection.Name)]
public class ValidateCommandTests
{
    private const string Good = """
        name: good
        duration: 1s
        host: {memory: 1GiB, reserved: 128MiB}
        guests: {count: 1, memory: 128MiB, workload: {kind: uniform}}
        """;

    [Fact]
    public void FolderGetsAnOkLinePerGoodFileAndErrorsForBadOnes()
    {
        using var dir = new TempDir();
        var good = dir.File("a-good.yaml", Good);
        var bad = dir.File("b-bad.yaml", Good.Replace("1GiB", "lots"));
        var (exit, output, err) = Cli.Run("validate", dir.Path);
        Assert.Equal(2, exit);
        Assert.Contains($"{good}: ok", output);
        Assert.DoesNotContain("b-bad.yaml", output);
        // Line 3 is `host: {memory: lots, ...}`: the value starts at column 16.
        Assert.Contains($"{bad}:3:16: error: 'memory' has a bad value 'lots' (allowed: an integer number of bytes or a number with a unit", err);
        Assert.Contains("1 problem found.", err);
    }

    [Fact]
    public void GoodFolderExitsZero()
    {
        using var dir = new TempDir();
        dir.File("a.yaml", Good);
        dir.File("b.yaml", Good.Replace("name: good", "name: other"));
        var (exit, output, err) = Cli.Run("validate", dir.Path);
        Assert.True(exit == 0, err);
        Assert.Equal(2, output.Split('\n').Count(l => l.Contains(": ok (")));
    }

    [Fact]
    public void SwappinessWithoutAPageCacheIsAcceptedWithAWarningThatItHasNoEffect()
    {
        using var dir = new TempDir();
        var file = dir.File("s.yaml", Good.Replace("reserved: 128MiB}", "reserved: 128MiB, swappiness: 10}"));
        var (exit, output, err) = Cli.Run("validate", file);
        Assert.Equal(0, exit);
        Assert.Contains($"{file}: ok", output);
        Assert.Contains("warning: host.swappiness: 10 has no effect without host.page_cache", err);
        Assert.DoesNotContain("warning", Cli.Run("validate", dir.File("d.yaml", Good)).Err);
        var cached = dir.File("c.yaml", Good.Replace("reserved: 128MiB}", "reserved: 128MiB, swappiness: 10, page_cache: {rate: 10MB/s}}"));
        Assert.DoesNotContain("warning", Cli.Run("validate", cached).Err);
    }

    /// <summary>
    /// `validate` said ok for a scenario that `run` then refused on this machine for its memory (issue 13). 1,000 s
    /// sampled every microsecond is 10^9 time-series rows of 160 B (96 B for the guest's, 64 B for the host's), far
    /// beyond 80 % of any test machine's memory. (A 64 TiB host with one small guest no longer is: the model's page
    /// state is per host page of guest RAM, not per page of host memory.)
    /// </summary>
    [Fact]
    public void AScenarioRunWouldRefuseForItsMemoryGetsAWarning()
    {
        using var dir = new TempDir();
        var file = dir.File("huge.yaml", Good.Replace("duration: 1s", "duration: 1000s\ninterval: 1us"));
        var runs = HvSim.Scenarios.Planning.RunPlanner.Plan(ScenarioLoader.Load(file));
        Assert.True(HvSim.Scenarios.Planning.MemoryEstimate.Bytes(runs[0].Config) > HvSim.Scenarios.Planning.MemoryEstimate.DefaultLimitBytes(), "the scenario is not big enough for this machine");
        var (exit, output, err) = Cli.Run("validate", file);
        Assert.Equal(0, exit);
        Assert.Contains($"{file}: ok", output);
        Assert.Contains($"{file}: warning: one run is estimated to need ", err);
        Assert.Contains("hvsim run refuses it here unless --max-memory allows more", err);
        Assert.Equal(2, Cli.Run("run", file, "--out", Path.Combine(dir.Path, "out")).Exit);
    }
}
