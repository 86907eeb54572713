using System.Text.Json.Nodes;

namespace HvSim.Scenarios.Tests;

/// <summary>`hvsim run` end to end with the real memory model on a tiny scenario.</summary>
[Collection(CliCollection.Name)]
public class RunCommandTests
{
    private const string Tiny = """
        name: "tiny run/../x"
        seed: 3
        platform: both
        replications: 2
        duration: 1s
        interval: 250ms
        host: {memory: 512MiB, reserved: 128MiB}
        guests:
          count: 3
          memory: 160MiB
          workload: {kind: zipf, alpha: 0.9, think: 5us}
        """;

    private static readonly string[] Tables = ["summary.csv", "host.csv", "timeseries.csv", "fault_latency.csv"];

    [Fact]
    public void WritesEveryTableAndTheManifestDeterministically()
    {
        using var dir = new TempDir();
        var file = dir.File("tiny.yaml", Tiny);
        var a = Path.Combine(dir.Path, "a");
        var b = Path.Combine(dir.Path, "b");
        var (exit, output, err) = Cli.Run("run", file, "--out", a, "--jobs", "2");
        Assert.True(exit == 0, err + output);
        Assert.Equal(0, Cli.Run("run", file, "--out", b, "--jobs", "1").Exit);

        var summary = File.ReadAllLines(Path.Combine(a, "summary.csv"));
        Assert.Equal(1 + 3 * 2 * 2, summary.Length); // guests × platforms × replications
        Assert.All(summary.Skip(1), l => Assert.StartsWith("tiny_run_.._x,", l));
        Assert.Equal(2, summary.Count(l => l.Contains(",power7,1,") && l.Contains(",guest0,")) + summary.Count(l => l.Contains(",ppc970,1,") && l.Contains(",guest0,")));
        Assert.Equal(1 + 2 * 2, File.ReadAllLines(Path.Combine(a, "host.csv")).Length);
        foreach (var t in Tables)
            Assert.Equal(File.ReadAllBytes(Path.Combine(a, t)), File.ReadAllBytes(Path.Combine(b, t)));

        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(a, "manifest.json")))!;
        Assert.Equal("tiny.yaml", manifest["scenario_file"]!.GetValue<string>());
        Assert.Equal(3UL, manifest["seed"]!.GetValue<ulong>());
        Assert.Equal(4, manifest["runs"]!.AsArray().Count);
        Assert.Equal("8GiB", manifest["defaults"]!["host.memory"]!.GetValue<string>());
        var config = manifest["runs"]![0]!["config"]!;
        Assert.Equal(536870912, config["host"]!["memory_bytes"]!.GetValue<long>());
        Assert.Equal("zipf", config["guests"]![0]!["workload"]!["kind"]!.GetValue<string>());
        Assert.Equal(0.9, config["guests"]![0]!["workload"]!["alpha"]!.GetValue<double>());
        Assert.True(manifest["wall_time_s"]!.GetValue<double>() >= 0);
    }

    [Fact]
    public void SeedOptionReplacesTheScenarioSeed()
    {
        using var dir = new TempDir();
        var file = dir.File("tiny.yaml", Tiny.Replace("replications: 2", "replications: 1").Replace("platform: both", "platform: power7"));
        Assert.Equal(0, Cli.Run("run", file, "--out", Path.Combine(dir.Path, "s3")).Exit);
        Assert.Equal(0, Cli.Run("run", file, "--out", Path.Combine(dir.Path, "s4"), "--seed", "4").Exit);
        var seed3 = File.ReadAllLines(Path.Combine(dir.Path, "s3", "summary.csv"))[1].Split(',')[3];
        var seed4 = File.ReadAllLines(Path.Combine(dir.Path, "s4", "summary.csv"))[1].Split(',')[3];
        Assert.Equal(Planning.SeedDerivation.Derive(3, "", 1).ToString(), seed3);
        Assert.Equal(Planning.SeedDerivation.Derive(4, "", 1).ToString(), seed4);
    }

    [Fact]
    public void TooMuchMemoryIsRefusedWithTheEstimateAndTheLimit()
    {
        using var dir = new TempDir();
        var file = dir.File("tiny.yaml", Tiny);
        var outDir = Path.Combine(dir.Path, "out");
        var (exit, _, err) = Cli.Run("run", file, "--out", outDir, "--max-memory", "16MiB", "--jobs", "1");
        Assert.Equal(2, exit);
        Assert.Contains("estimated memory", err);
        Assert.Contains("exceeds the limit 16MiB", err);
        Assert.False(Directory.Exists(outDir));
        Assert.Equal(2, Cli.Run("run", file, "--out", outDir, "--max-memory", "lots").Exit);
    }
}
