namespace HvSim.Scenarios.Tests;

/// <summary>
/// Every malformed scenario goes through the real CLI (`hvsim validate` and `hvsim run`) and must give exit 2, a
/// located `file:line:col: error:` message naming the problem, no stack trace, and no results written. The expected
/// location is written by hand in the first line of each corpus file (`# expect: [file:]line:col message`).
/// </summary>
[Collection(CliCollection.Name)]
public class MalformedScenarioTests
{
    private static readonly string CorpusDir = Repo.Path("tests", "HvSim.Scenarios.Tests", "Corpus");

    public static TheoryData<string> CorpusFiles()
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.EnumerateFiles(CorpusDir, "*.yaml").Order(StringComparer.Ordinal)) data.Add(Path.GetFileName(f));
        return data;
    }

    [Theory]
    [MemberData(nameof(CorpusFiles))]
    public void CorpusFileIsRejectedWithItsLocation(string name)
    {
        var file = Path.Combine(CorpusDir, name);
        var expect = File.ReadLines(file).First();
        Assert.StartsWith("# expect: ", expect);
        expect = expect["# expect: ".Length..];
        var location = expect[..expect.IndexOf(' ')];
        var message = expect[(expect.IndexOf(' ') + 1)..];
        var locatedFile = location.Count(c => c == ':') == 2 ? Path.Combine(CorpusDir, location[..location.IndexOf(':')]) : file;
        var lineCol = location.Count(c => c == ':') == 2 ? location[(location.IndexOf(':') + 1)..] : location;

        var (exit, _, err) = Cli.Run("validate", file);
        Assert.Equal(2, exit);
        Assert.Contains($"{locatedFile}:{lineCol}: error: {message}", err);
        Assert.Contains("(allowed: ", err);
        Assert.DoesNotContain("   at ", err);
        AssertRunRefuses(file);
    }

    [Fact]
    public void EmptyFile() => AssertRejectedAt("", "1:1: error: scenario file is empty");

    [Fact]
    public void CommentsOnly() => AssertRejectedAt("# nothing here\n\n", "1:1: error: scenario file is empty");

    [Fact]
    public void DeepNesting() => AssertRejectedAt("a: " + new string('[', 200) + new string(']', 200) + "\n", "1:36: error: nesting deeper than 32 levels");

    [Fact]
    public void DeepMappingNesting()
    {
        var text = string.Concat(Enumerable.Range(0, 60).Select(i => new string(' ', 2 * i) + $"k{i}:\n"));
        AssertRejectedAt(text, "33:65: error: nesting deeper than 32 levels"); // key k32 is the 33rd level
    }

    [Fact]
    public void BinaryJunk()
    {
        var bytes = new byte[512];
        new Random(7).NextBytes(bytes);
        bytes[100] = 0;
        using var dir = new TempDir();
        var file = Path.Combine(dir.Path, "junk.yaml");
        File.WriteAllBytes(file, bytes);
        var (exit, _, err) = Cli.Run("validate", file);
        Assert.Equal(2, exit);
        Assert.Contains($"{file}:1:1: error: file is binary", err);
        AssertRunRefuses(file);
    }

    [Fact]
    public void InvalidUtf8WithoutZeroBytes()
    {
        var bytes = Enumerable.Range(0, 400).Select(i => (byte)(0x80 + i % 0x7f)).ToArray();
        using var dir = new TempDir();
        var file = Path.Combine(dir.Path, "junk.yaml");
        File.WriteAllBytes(file, bytes);
        var (exit, _, err) = Cli.Run("validate", file);
        Assert.Equal(2, exit);
        Assert.Matches($@"{System.Text.RegularExpressions.Regex.Escape(file)}:\d+:\d+: error: ", err);
        Assert.DoesNotContain("   at ", err);
    }

    [Fact]
    public void MissingFile()
    {
        var (exit, _, err) = Cli.Run("validate", "/no/such/scenario.yaml");
        Assert.Equal(2, exit);
        Assert.Contains("/no/such/scenario.yaml:1:1: error: file not found", err);
    }

    [Fact]
    public void EveryProblemIsReportedNotJustTheFirst()
    {
        const string text = """
            platfrom: power7
            duration: 10 parsecs
            host:
              swap: {device: floppy}
            guests:
              vcpus: -1
              workload: {kind: zipff}
            """;
        using var dir = new TempDir();
        var file = dir.File("many.yaml", text);
        var (exit, _, err) = Cli.Run("validate", file);
        Assert.Equal(2, exit);
        Assert.Contains($"{file}:1:1: error: unknown key 'platfrom'", err);
        Assert.Contains($"{file}:2:11: error: 'duration' has a bad value '10 parsecs'", err);
        Assert.Contains($"{file}:4:18: error: 'device' cannot be 'floppy'", err);
        Assert.Contains($"{file}:6:10: error: 'vcpus' is out of range: -1", err);
        Assert.Contains($"{file}:7:20: error: 'kind' cannot be 'zipff'", err);
        Assert.Contains("5 problems found.", err);
    }

    [Fact]
    public void ProblemsInAnExtendedFileAreLocatedInThatFile()
    {
        using var dir = new TempDir();
        dir.File("base.yaml", "host:\n  memory: 8 gigs\nguests: {workload: {kind: uniform}}\n");
        var child = dir.File("child.yaml", "extends: base.yaml\nhost: {page_size: 4KiB}\n");
        var (exit, _, err) = Cli.Run("validate", child);
        Assert.Equal(2, exit);
        Assert.Contains($"{Path.Combine(dir.Path, "base.yaml")}:2:11: error: 'memory' has a bad value '8 gigs'", err);
    }

    private static void AssertRejectedAt(string text, string expected)
    {
        using var dir = new TempDir();
        var file = dir.File("bad.yaml", text);
        var (exit, _, err) = Cli.Run("validate", file);
        Assert.Equal(2, exit);
        Assert.Contains($"{file}:{expected}", err);
        Assert.DoesNotContain("   at ", err);
        AssertRunRefuses(file);
    }

    /// <summary>`hvsim run` and `hvsim batch` refuse the file the same way and write nothing.</summary>
    private static void AssertRunRefuses(string file)
    {
        using var dir = new TempDir();
        var outDir = Path.Combine(dir.Path, "out");
        var (exit, _, err) = Cli.Run("run", file, "--out", outDir);
        Assert.Equal(2, exit);
        Assert.Contains(": error: ", err);
        Assert.DoesNotContain("   at ", err);
        Assert.False(Directory.Exists(outDir), "hvsim run wrote results for a bad scenario");
        var (bexit, _, _) = Cli.Run("batch", file, "--out", outDir, "--jobs", "1");
        Assert.Equal(2, bexit);
        Assert.False(Directory.Exists(outDir), "hvsim batch wrote results for a bad scenario");
    }
}
