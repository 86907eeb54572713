namespace HvSim.Scenarios.Tests;

/// <summary>`hvsim validate` over folders (F37) and its swappiness warning (F40).</summary>
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
        Assert.Contains($"{bad}:3:", err);
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
    public void SwappinessIsAcceptedWithAWarningThatItHasNoEffect()
    {
        using var dir = new TempDir();
        var file = dir.File("s.yaml", Good.Replace("reserved: 128MiB}", "reserved: 128MiB, swappiness: 10}"));
        var (exit, output, err) = Cli.Run("validate", file);
        Assert.Equal(0, exit);
        Assert.Contains($"{file}: ok", output);
        Assert.Contains("warning: host.swappiness: 10 has no effect", err);
        Assert.DoesNotContain("warning", Cli.Run("validate", dir.File("d.yaml", Good)).Err);
    }
}
