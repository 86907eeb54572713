using System.Text.RegularExpressions;

namespace HvSim.Cli.Tests;

/// <summary>The CLI contract of GUIDE.md: `--help` everywhere, `--version`, exit codes 0 ok / 1 run failed / 2 bad input.</summary>
public sealed partial class ExitCodeTests
{
    /// <summary>Every command and subcommand listed by `hvsim --help`, found by walking the help text itself.</summary>
    public static TheoryData<string> Commands()
    {
        var found = new TheoryData<string>();
        var queue = new Queue<string[]>([[]]);
        while (queue.Count > 0)
        {
            string[] path = queue.Dequeue();
            foreach (string name in ListedCommands(Hvsim.Run([.. path, "--help"]).Out))
            {
                string[] sub = [.. path, name];
                found.Add(string.Join(' ', sub));
                queue.Enqueue(sub);
            }
        }
        return found;
    }

    private static IEnumerable<string> ListedCommands(string help)
    {
        bool inCommands = false;
        foreach (string line in help.Split('\n'))
        {
            if (line.StartsWith("Commands:", StringComparison.Ordinal)) { inCommands = true; continue; }
            if (inCommands && CommandLine().Match(line) is { Success: true } m) yield return m.Groups[1].Value;
            else if (inCommands && line.Trim().Length > 0 && !line.StartsWith("    ", StringComparison.Ordinal)) inCommands = false;
        }
    }

    [GeneratedRegex(@"^  ([a-z][a-z0-9-]*)\b")]
    private static partial Regex CommandLine();

    [Fact]
    public void RootHelpListsTheMainCommands()
    {
        var r = Hvsim.Run("--help");
        Assert.Equal(0, r.Exit);
        var listed = ListedCommands(r.Out).ToList();
        foreach (string expected in new[] { "run", "validate", "schema", "batch", "merge", "replay", "mrc", "plot", "bench" })
            Assert.Contains(expected, listed);
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public void EveryCommandHasHelpThatExits0(string command)
    {
        var r = Hvsim.Run([.. command.Split(' '), "--help"]);
        Assert.True(r.Exit == 0, r.ToString());
        Assert.Contains("Usage:", r.Out);
        Assert.Contains($"hvsim {command}", r.Out);
        Assert.Equal("", r.Err);
    }

    [Fact]
    public void VersionPrintsASemanticVersionAndExits0()
    {
        var r = Hvsim.Run("--version");
        Assert.Equal(0, r.Exit);
        Assert.Matches(@"^\d+\.\d+\.\d+", r.Out.Trim());
    }

    [Fact]
    public void NoCommandShowsTheUsageOnStderrAndExits2()
    {
        var r = Hvsim.Run();
        Assert.True(r.Exit == 2, r.ToString());
        Assert.Contains("Usage:", r.Err);
        Assert.Contains("run", r.Err);
    }

    [Fact]
    public void AMistypedCommandExits2WithASuggestion()
    {
        var r = Hvsim.Run("rnu", "Scenarios/quickstart.yaml");
        Assert.True(r.Exit == 2, r.ToString());
        Assert.Contains("'rnu'", r.Err);
        Assert.Contains("did you mean 'run'?", r.Err);
        Assert.DoesNotContain("Required command was not provided", r.Err);
    }

    [Theory]
    [InlineData("Required argument missing for command: 'run'.", "run")]
    [InlineData("Unrecognized command or argument 'b.yaml'.", "run", "a.yaml", "b.yaml")] // one argument too many
    [InlineData("--jobs 'many' is not allowed (allowed: an integer from 1 to 2147483647)", "run", "x.yaml", "--jobs", "many")]
    [InlineData("--seed '-1' is not allowed (allowed: an integer from 0 to 18446744073709551615)", "run", "x.yaml", "--seed", "-1")] // 2^64 - 1
    [InlineData("Argument 'bytes' not recognized. Must be one of:\n\t'object'\n\t'pages'", "replay", "x.csv", "--mapping", "bytes")]
    [InlineData("Unrecognized option '--no-such-option'.", "schema", "--no-such-option")]
    [InlineData("Option '--out' is required.", "merge", "some-dir")]
    public void UsageErrorsExit2NameTheProblemAndTheCommandToGetHelpFor(string problem, params string[] args)
    {
        var r = Hvsim.Run(args);
        Assert.True(r.Exit == 2, r.ToString());
        Assert.Contains($"hvsim: {problem}", r.Err.ReplaceLineEndings("\n"));
        Assert.Contains($"Try 'hvsim {args[0]} --help'.", r.Err);
        Assert.DoesNotContain("System.", r.Err); // .NET type names mean nothing to users
        Assert.Equal("", r.Out);
    }

    [Fact]
    public void AValueOfTheWrongKindSaysWhatKindIsExpected()
    {
        var r = Hvsim.Run("mrc", "x.csv", "--points", "many");
        Assert.True(r.Exit == 2, r.ToString());
        Assert.Contains("option '--points': 'many' is not a whole number", r.Err);
    }

    [Fact]
    public void ABadScenarioExits2WithFileLineColumnAndNoStackTrace()
    {
        using var dir = new TempDir();
        string file = dir.File("bad.yaml", "name: bad\nduration: 60 parsecs\n");
        var r = Hvsim.Run("run", file, "--out", dir.Combine("out"));
        Assert.True(r.Exit == 2, r.ToString());
        // `duration: ` is 10 characters: the value starts at column 11 of line 2.
        Assert.Contains($"{file}:2:11: error: 'duration' has a bad value '60 parsecs' (allowed: a number with a unit ns, us, ms, s, min, h", r.Err);
        AssertNoStackTrace(r.Err);
        Assert.False(Directory.Exists(dir.Combine("out")), "results written for a bad scenario");
    }

    [Fact]
    public void AMissingTraceExits2WithOneLine()
    {
        var r = Hvsim.Run("replay", "/nonexistent/trace.csv", "--sizes", "10");
        Assert.True(r.Exit == 2, r.ToString());
        Assert.Equal("hvsim replay: /nonexistent/trace.csv: cannot open the trace: file not found", r.Err.Trim());
        AssertNoStackTrace(r.Err);
    }

    [Fact]
    public void AnMrcOfAMissingTraceLeavesNoFolder()
    {
        using var dir = new TempDir();
        var r = Hvsim.Run("mrc", "/nonexistent/trace.csv", "--out", dir.Combine("new", "mrc"));
        Assert.True(r.Exit == 2, r.ToString());
        Assert.Contains("/nonexistent/trace.csv", r.Err);
        AssertNoStackTrace(r.Err);
        // The folder was claimed (created and probed) before the trace was read; refused input leaves none of it.
        Assert.False(Directory.Exists(dir.Combine("new")), "mrc left the folders it created for a trace it could not read");
    }

    [Theory]
    [InlineData("replay")]
    [InlineData("mrc")]
    public void AMissingTraceWithoutAnExtensionIsSaidToBeMissing(string command)
    {
        // Its format cannot be told from its name, but no --format would help: the file is not there.
        using var dir = new TempDir();
        var r = command == "mrc" ? Hvsim.Run(command, "/nonexistent/trace", "--out", dir.Combine("out")) : Hvsim.Run(command, "/nonexistent/trace");
        Assert.True(r.Exit == 2, r.ToString());
        Assert.Contains("/nonexistent/trace", r.Err);
        Assert.Contains("file not found", r.Err);
        Assert.DoesNotContain("--format", r.Err);
        AssertNoStackTrace(r.Err);
    }

    /// <summary>
    /// A well-formed folder path that the file system refuses to create, even to root: the environment's failure, found
    /// when the folder is claimed, before the simulation (a file in the path would be bad input, refused at parsing).
    /// </summary>
    private const string UnwritableFolder = "/proc/hvsim-no-folder/out";

    [Fact]
    public void AFailureThatIsNotBadInputExits1WithOneLineAndADebugHint()
    {
        using var dir = new TempDir();
        string scenario = dir.File("tiny.yaml", TinyScenarios.Run);
        var r = Hvsim.Run("run", scenario, "--out", UnwritableFolder);
        Assert.True(r.Exit == 1, r.ToString());
        string[] lines = r.Err.Trim().Split('\n');
        Assert.Single(lines);
        Assert.StartsWith("hvsim: error: ", lines[0]);
        Assert.EndsWith("(run with HVSIM_DEBUG=1 for details)", lines[0]);
        AssertNoStackTrace(r.Err);
    }

    [Fact]
    public void HVSIMDEBUGAddsTheStackTrace()
    {
        using var dir = new TempDir();
        string scenario = dir.File("tiny.yaml", TinyScenarios.Run);
        var r = Hvsim.Run(new Dictionary<string, string?> { ["HVSIM_DEBUG"] = "1" }, "run", scenario, "--out", UnwritableFolder);
        Assert.True(r.Exit == 1, r.ToString());
        Assert.Contains("   at ", r.Err);
    }

    [Fact]
    public void AGroupCommandWithoutItsSubcommandExits2WithItsUsage()
    {
        var r = Hvsim.Run("bench");
        Assert.True(r.Exit == 2, r.ToString());
        Assert.Contains("hvsim bench", r.Err);
        Assert.Contains("Usage:", r.Err);
    }

    internal static void AssertNoStackTrace(string text)
    {
        Assert.DoesNotContain("   at ", text);
        Assert.DoesNotContain("Exception:", text);
    }
}
