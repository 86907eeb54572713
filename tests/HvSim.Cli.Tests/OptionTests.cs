namespace HvSim.Cli.Tests;

/// <summary>Options several commands share: each refuses the same bad value the same way, before anything runs.</summary>
public sealed class OptionTests
{
    /// <summary>The command's main input, valid, so that only the option under test can make it fail.</summary>
    private static string Input(TempDir dir, string command)
    {
        string scenario = dir.File("tiny.yaml", TinyScenarios.Run);
        return command switch
        {
            "plan" => dir.File("plan.yaml", TinyScenarios.Plan),
            "mrc" => dir.File("t.csv", "timestamp,obj_id,size,op\n" + string.Concat(Enumerable.Range(0, 50).Select(i => $"{i},{i % 7},4096,r\n"))),
            "merge" => Directory.CreateDirectory(dir.Combine("shard")).FullName,
            _ => scenario,
        };
    }

    [Theory]
    [InlineData("run", "0")]
    [InlineData("run", "-1")]
    [InlineData("run", "-3")]
    [InlineData("batch", "0")]
    [InlineData("batch", "-1")]
    [InlineData("batch", "-3")]
    [InlineData("plan", "0")]
    [InlineData("plan", "-1")]
    [InlineData("plan", "-3")]
    [InlineData("run", "99999999999")] // an integer, but not an int
    [InlineData("run", "2147483648")]
    [InlineData("batch", "many")]
    public void JobsOutside1ToIntMaxExits2NamingTheValueAndWhatIsAllowed(string command, string jobs) =>
        AssertRefused(command, "--jobs", jobs, "an integer from 1 to 2147483647");

    /// <summary>An option value refused at parse time: exit 2, the value and what is allowed named, nothing run or written.</summary>
    private static void AssertRefused(string command, string option, string value, string allowed)
    {
        using var dir = new TempDir();
        var r = Hvsim.Run(command, Input(dir, command), option, value, "--out", dir.Combine("out"));
        Assert.True(r.Exit == 2, r.ToString());
        Assert.Contains($"{option} '{value}' is not allowed (allowed: {allowed})", r.Err);
        Assert.Equal("", r.Out);
        Assert.False(Directory.Exists(dir.Combine("out")), $"results written although {option} was refused");
    }

    [Theory]
    [InlineData("run")]
    [InlineData("batch")]
    [InlineData("plan")]
    public void Jobs1RunsTheSameInput(string command)
    {
        using var dir = new TempDir();
        var r = Hvsim.Run(command, Input(dir, command), "--jobs", "1", "--out", dir.Combine("out"));
        Assert.True(r.Exit == 0, r.ToString());
        Assert.True(Directory.Exists(dir.Combine("out")), r.ToString());
    }

    [Theory]
    [InlineData("run", "-1")]
    [InlineData("run", "18446744073709551616")] // 2^64: one more than a 64-bit seed holds
    [InlineData("batch", "-1")]
    [InlineData("batch", "forty-two")]
    public void SeedOutside64BitsExits2NamingTheValueAndWhatIsAllowed(string command, string seed) =>
        AssertRefused(command, "--seed", seed, "an integer from 0 to 18446744073709551615");

    [Fact]
    public void TheLargestSeedRuns()
    {
        using var dir = new TempDir();
        var r = Hvsim.Run("run", Input(dir, "run"), "--seed", "18446744073709551615", "--out", dir.Combine("out"));
        Assert.True(r.Exit == 0, r.ToString());
    }

    [Theory]
    [InlineData("run", "0", "is not allowed: the limit must be more than 0")]
    [InlineData("run", "0GiB", "is not allowed: the limit must be more than 0")]
    [InlineData("batch", "0", "is not allowed: the limit must be more than 0")]
    [InlineData("run", "lots", "is not a size")]
    [InlineData("batch", "-1GiB", "is not a size")]
    public void MaxMemoryNotAbove0Exits2NamingTheValueAndWhatIsAllowed(string command, string limit, string problem)
    {
        using var dir = new TempDir();
        var r = Hvsim.Run(command, Input(dir, command), "--max-memory", limit, "--out", dir.Combine("out"));
        Assert.True(r.Exit == 2, r.ToString());
        Assert.Contains($"--max-memory '{limit}' {problem} (allowed: a size > 0 such as 8GiB: ", r.Err);
        Assert.False(Directory.Exists(dir.Combine("out")), "results written although --max-memory was refused");
    }

    /// <summary>
    /// A plan keeps every probe run's results until it writes them. max_guests 2 on both platforms: galloping 1, 2 and
    /// the confirmation make at most 2⌈log2 2⌉ + 2 = 4 probes per platform, 8 in all, × 1,000 replications = 8,000
    /// probe runs of at least 16 KiB each (125 MiB), on top of one run's 64 MiB runtime allowance: over 150 MiB, though
    /// one run alone is well under it.
    /// </summary>
    [Fact]
    public void APlanWhoseProbeRunsWouldExceedMaxMemoryIsRefusedUpFrontWithTheCountAndTheLimit()
    {
        using var dir = new TempDir();
        dir.File("tiny.yaml", TinyScenarios.Run);
        string plan = dir.File("plan.yaml", TinyScenarios.Plan.Replace("replications: 1", "replications: 1000") + "\nplatforms: both\n");
        var r = Hvsim.Run("plan", plan, "--max-memory", "150MiB", "--jobs", "1", "--out", dir.Combine("out"));
        Assert.True(r.Exit == 2, r.ToString());
        Assert.Contains("8,000 probe runs (8 probes × 1000 replications)", r.Err);
        Assert.Contains("exceeds the limit 150MiB", r.Err);
        Assert.DoesNotContain("   at ", r.Err);
        Assert.False(Directory.Exists(dir.Combine("out")), "results written although the plan was refused");
    }

    [Theory]
    [InlineData("run")]
    [InlineData("batch")]
    [InlineData("plan")]
    public void JobsDefaultsToTheNumberOfCoresInEveryHelp(string command)
    {
        // A default printed as a number would be this machine's core count, wrong on the next machine.
        string line = Hvsim.Run(command, "--help").Out.Split('\n').Single(l => l.TrimStart().StartsWith("--jobs", StringComparison.Ordinal));
        Assert.EndsWith("simulated in parallel (default: the number of cores)", line.TrimEnd());
    }

    [Theory]
    [InlineData("run", false)]
    [InlineData("batch", false)]
    [InlineData("plan", false)]
    [InlineData("merge", false)]
    [InlineData("mrc", false)]
    [InlineData("run", true)]
    [InlineData("batch", true)]
    [InlineData("plan", true)]
    [InlineData("merge", true)]
    [InlineData("mrc", true)]
    public void OutThatIsOrLiesUnderAFileExits2BeforeAnythingRunsAndLeavesTheFileAlone(string command, bool under)
    {
        using var dir = new TempDir();
        const string content = "someone's notes, not a results folder";
        string file = dir.File("afile", content);
        string output = under ? Path.Combine(file, "sub") : file;
        var r = Hvsim.Run(command, Input(dir, command), "--out", output);
        Assert.True(r.Exit == 2, r.ToString());
        Assert.Contains(under
            ? $"--out '{output}' lies under '{file}', which is a file, not a folder (allowed: a folder path"
            : $"--out '{file}' is a file, not a folder (allowed: a folder", r.Err);
        ExitCodeTests.AssertNoStackTrace(r.Err);
        Assert.Equal("", r.Out); // no "Planning ...", no progress: nothing started
        Assert.Equal(content, File.ReadAllText(file));
        Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp", SearchOption.AllDirectories));
    }

    [Theory]
    [InlineData("run")]
    [InlineData("batch")]
    [InlineData("plan")]
    [InlineData("mrc")]
    public void AFolderHvsimDidNotWriteIsRefusedAndLeftAsItWas(string command)
    {
        using var dir = new TempDir();
        string mine = dir.Combine("mine");
        // What `run` deleted in QA's round 2: pictures, a plots folder, and tables named like ours.
        var files = new Dictionary<string, string>
        {
            ["photo.png"] = "png", ["diagram.svg"] = "svg", [Path.Combine("plots", "keep.txt")] = "keep",
            ["host.csv"] = "a,b\n", ["summary.csv"] = "x\n", ["runs.csv"] = "y\n",
        };
        foreach (var (name, text) in files) dir.File(Path.Combine("mine", name), text);
        var r = Hvsim.Run(command, Input(dir, command), "--out", mine);
        Assert.True(r.Exit == 2, r.ToString());
        Assert.Contains($"--out {mine} is not empty and holds no hvsim results", r.Err);
        Assert.Contains("nothing in it was touched", r.Err);
        ExitCodeTests.AssertNoStackTrace(r.Err);
        Assert.Equal(Contents(mine), files.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => $"{f.Key}={f.Value}"));
    }

    [Fact]
    public void ResultsOfOneCommandNeverMixWithAnotherS()
    {
        using var dir = new TempDir();
        string results = dir.Combine("r");
        Assert.Equal(0, Hvsim.Run("run", Input(dir, "run"), "--out", results).Exit);
        var before = Contents(results);
        foreach (string command in new[] { "batch", "plan", "mrc" })
        {
            var r = Hvsim.Run(command, Input(dir, command), "--out", results);
            Assert.True(r.Exit == 2, r.ToString());
            Assert.Contains($"--out {results} holds the results of `hvsim run`, which those of `hvsim {command}` would mix with", r.Err);
        }
        Assert.Equal(before, Contents(results));
        // The same command takes its own folder back, and an empty folder is anyone's.
        Assert.Equal(0, Hvsim.Run("run", Input(dir, "run"), "--out", results).Exit);
        string empty = Directory.CreateDirectory(dir.Combine("empty")).FullName;
        Assert.Equal(0, Hvsim.Run("mrc", Input(dir, "mrc"), "--out", empty).Exit);
    }

    /// <summary>Every file below <paramref name="folder"/> as "relative path=content", in a stable order.</summary>
    private static List<string> Contents(string folder) =>
        Directory.GetFiles(folder, "*", SearchOption.AllDirectories)
            .Select(f => $"{Path.GetRelativePath(folder, f)}={File.ReadAllText(f)}")
            .Order(StringComparer.Ordinal).ToList();

    [Theory]
    [InlineData("run", true)]
    [InlineData("run", false)]
    [InlineData("batch", true)]
    [InlineData("batch", false)]
    [InlineData("plan", true)]
    [InlineData("plan", false)]
    public void AnUnknownOptionIsNamedBeforeOrAfterTheFile(string command, bool optionFirst)
    {
        using var dir = new TempDir();
        string input = Input(dir, command);
        var r = Hvsim.Run(optionFirst ? [command, "--frob", input, "--out", dir.Combine("out")] : [command, input, "--frob", "--out", dir.Combine("out")]);
        Assert.True(r.Exit == 2, r.ToString());
        Assert.Contains("hvsim: Unrecognized option '--frob'.", r.Err);
        Assert.DoesNotContain(input, r.Err); // the valid file is not blamed
        Assert.Contains($"Try 'hvsim {command} --help'.", r.Err);
        Assert.False(Directory.Exists(dir.Combine("out")));
    }

    [Fact]
    public void AMistypedOptionGetsASuggestion()
    {
        using var dir = new TempDir();
        var r = Hvsim.Run("run", "--job", "2", Input(dir, "run"));
        Assert.True(r.Exit == 2, r.ToString());
        Assert.Contains("Unrecognized option '--job'.", r.Err);
        Assert.Contains("did you mean '--jobs'?", r.Err);
    }

    [Fact]
    public void AfterADoubleDashAnOptionLikeWordIsAFileName()
    {
        var r = Hvsim.Run("validate", "--", "--no-such.yaml");
        Assert.True(r.Exit == 2, r.ToString());
        Assert.Contains("--no-such.yaml:1:1: error: file not found", r.Err);
        Assert.DoesNotContain("Unrecognized option", r.Err);
    }
}
