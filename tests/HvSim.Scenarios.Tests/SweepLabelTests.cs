using System.Text.Json.Nodes;
using HvSim.Analysis.Batch;
using HvSim.Analysis.Report;
using HvSim.Analysis.Tables;
using HvSim.Scenarios.Planning;

namespace HvSim.Scenarios.Tests;

/// <summary>
/// `labels:` in a sweep (docs/scenarios.md, "Naming points"): one name per point, checked at its own line and column,
/// carried into runs.csv and manifest.json, shown where a point is named, and no part of any seed or result.
/// </summary>
public class SweepLabelTests
{
    // Line 10 is the labels line: `  labels: [` puts the list at column 11, its first item at 12 and, after
    // `small, `, its second at 19.
    private const string Head = """
        name: lb
        seed: 3
        duration: 1s
        interval: 250ms
        platform: power7
        host: {memory: 512MiB, reserved: 128MiB}
        guests: {memory: 160MiB, workload: {kind: zipf, alpha: 0.9, think: 5us}}
        sweep:
          mode: zip

        """;

    private const string Axes = "  guests.count: [1, 2, 3]\n  guests.vcpus: [1, 2, 1]\n";

    private static string Labelled(string labels) => Head + "  labels: " + labels + "\n" + Axes;

    [Theory]
    [InlineData("[small, big]", 11, "'labels' has 2 labels but the sweep has 3 points (allowed: one label per sweep point, in point order (3 labels))")]
    [InlineData("[small, small, huge]", 19, "sweep label 1 'small' repeats label 0 (allowed: distinct non-empty texts of at most 40 characters on one line, one per sweep point)")]
    [InlineData("[small, \"\", huge]", 19, "sweep label 1 is empty (allowed: distinct")]
    [InlineData("[small, [big], huge]", 19, "sweep label 1 must be a text, not a list (allowed: distinct")]
    [InlineData("small", 11, "'labels' must be a non-empty list of texts, not a scalar (allowed: a list of one short name per sweep point")]
    [InlineData("[small, a label rather longer than forty characters, huge]", 19, "sweep label 1 'a label rather longer than forty char...' is longer than 40 characters")]
    public void BadLabelsAreRefusedWhereTheyAreWrittenAndNothingIsWritten(string labels, int column, string message)
    {
        using var dir = new TempDir();
        var file = dir.File("lb.yaml", Labelled(labels));
        var outDir = Path.Combine(dir.Path, "out");
        var (exit, _, err) = Cli.Run("run", file, "--out", outDir);
        Assert.Equal(2, exit);
        Assert.Contains($"{file}:10:{column}: error: {message}", err);
        Assert.DoesNotContain("   at ", err); // no stack trace
        Assert.False(Directory.Exists(outDir));
    }

    [Fact]
    public void AGridOfSeveralKeysRefusesLabelsAndAOneKeyGridTakesThem()
    {
        using var dir = new TempDir();
        // Without `mode: zip` the two lists make a grid of 9 points: line 9 is now `labels:`, its key at column 3.
        var grid = dir.File("grid.yaml", Labelled("[small, big, huge]").Replace("  mode: zip\n", ""));
        var (exit, _, err) = Cli.Run("validate", grid);
        Assert.Equal(2, exit);
        Assert.Contains($"{grid}:9:3: error: 'labels' names the points of a zipped sweep, but this one is a grid of 2 key paths (its points are every combination) " +
            "(allowed: labels with mode: zip (one label per point), or with a single swept key path;", err);

        var oneKey = dir.File("one.yaml", Labelled("[small, big, huge]").Replace("  mode: zip\n", "").Replace("  guests.vcpus: [1, 2, 1]\n", ""));
        var s = ScenarioLoader.Load(oneKey);
        Assert.Equal(["small", "big", "huge"], s.Points.Select(p => p.Label));
        Assert.Equal([1, 2, 3], s.Points.Select(p => p.Template.Guests.Count));
    }

    [Fact]
    public void ALabelChangesNoRunIdAndNoSeed()
    {
        using var dir = new TempDir();
        var plain = RunPlanner.Plan(ScenarioLoader.Load(dir.File("plain.yaml", Head + Axes)));
        var named = RunPlanner.Plan(ScenarioLoader.Load(dir.File("named.yaml", Labelled("[small, big, huge]"))));
        Assert.Equal(plain.Select(r => (r.RunId, r.Seed)), named.Select(r => (r.RunId, r.Seed)));
        Assert.Equal(["", "", ""], plain.Select(r => r.Point.Label));
        Assert.Equal(["small", "big", "huge"], named.Select(r => r.Point.Label));
    }

    [Fact]
    public void ALabelledSweepRecordsItsLabelsAndEveryDisplayUsesThem()
    {
        using var dir = new TempDir();
        var plainOut = Path.Combine(dir.Path, "plain");
        var namedOut = Path.Combine(dir.Path, "named");
        var plain = Cli.Run("run", dir.File("plain.yaml", Head + Axes), "--out", plainOut);
        Assert.True(plain.Exit == 0, plain.Err + plain.Out);
        var (exit, output, err) = Cli.Run("run", dir.File("named.yaml", Labelled("[small, big, huge]")), "--out", namedOut);
        Assert.True(exit == 0, err + output);

        // The results are the unlabelled sweep's, byte for byte; runs.csv only gains its label column after `point`.
        foreach (var table in new[] { "summary.csv", "host.csv", "timeseries.csv", "fault_latency.csv" })
            Assert.Equal(File.ReadAllBytes(Path.Combine(plainOut, table)), File.ReadAllBytes(Path.Combine(namedOut, table)));
        var plainRuns = File.ReadAllLines(Path.Combine(plainOut, "runs.csv"));
        var namedRuns = File.ReadAllLines(Path.Combine(namedOut, "runs.csv"));
        Assert.StartsWith("run_id,scenario,point,platform,", plainRuns[0]);
        Assert.StartsWith("run_id,scenario,point,label,platform,", namedRuns[0]);
        Assert.Equal(["small", "big", "huge"], namedRuns.Skip(1).Select(l => l.Split(',')[3]));
        Assert.Equal(plainRuns, namedRuns.Select(l => string.Join(",", l.Split(',').Where((_, i) => i != 3))));
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(namedOut, "manifest.json")))!;
        Assert.Equal(["small", "big", "huge"], manifest["points"]!.AsArray().Select(p => p!["label"]!.GetValue<string>()));
        Assert.Equal(["small", "big", "huge"], manifest["runs"]!.AsArray().Select(p => p!["label"]!.GetValue<string>()));

        // Read back: each run's point has its label, and the label is not a swept parameter (no plot is drawn against it).
        var folder = ResultsFolder.Load(namedOut);
        Assert.Equal(["guests.count", "guests.vcpus"], folder.Runs!.Parameters);
        Assert.Equal(["small", "big", "huge"], folder.Summary.Select(r => folder.PointOf(r.Run).ToString()).Distinct());
        Assert.Empty(Directory.EnumerateFiles(namedOut, "sweep_label_*"));
        Assert.NotEmpty(Directory.EnumerateFiles(namedOut, "sweep_guests_count_*.png"));

        // The terminal's key numbers and warnings name a point as MetricDisplay.Who does: by its label, else its values.
        var first = folder.Summary.First(r => r.Run.RunId == "lb.p000.power7.r1").Run;
        Assert.Equal("POWER7 (pageable) (small)", MetricDisplay.Who("power7", folder.PointOf(first)));
        Assert.Equal("POWER7 (pageable) (guests.count=1, guests.vcpus=1)", MetricDisplay.Who("power7", ResultsFolder.Load(plainOut).PointOf(first)));

        // report.html names the points by their labels, with the values as the tooltip.
        // `hvsim plot` rebuilds the report from the folder's files alone: the labels come from runs.csv.
        File.Delete(Path.Combine(namedOut, "report.html"));
        Assert.Equal(0, Cli.Run("plot", namedOut).Exit);
        var report = File.ReadAllText(Path.Combine(namedOut, "report.html"));
        Assert.Contains("<th class=\"l\">Point</th>", report);
        Assert.Contains("<td class=\"l\" title=\"guests.count=2, guests.vcpus=2\">big</td>", report);
        Assert.DoesNotContain("<th class=\"l\">guests.count</th>", report);

        // compare names a point by its label from whichever folder has one.
        var cmp = Path.Combine(dir.Path, "cmp");
        var (cmpExit, cmpOut, cmpErr) = Cli.Run("compare", plainOut, namedOut, "--out", cmp);
        Assert.True(cmpExit == 0, cmpErr + cmpOut);
        var comparison = File.ReadAllText(Path.Combine(cmp, "report.html"));
        Assert.Contains("POWER7 (pageable), big", comparison);
        Assert.DoesNotContain("guests.count=2, guests.vcpus=2", comparison);
    }

    [Fact]
    public void ABatchManifestKeepsTheLabelsForMerge()
    {
        using var dir = new TempDir();
        var scenario = ScenarioLoader.Load(dir.File("named.yaml", Labelled("[small, big, huge]")));
        var plan = BatchPlan.From([scenario], RunPlanner.Plan(scenario));
        var reread = BatchPlan.FromManifest(JsonNode.Parse(plan.ToManifest().ToJsonString()));
        Assert.Equal(["small", "big", "huge"], reread.Runs.Select(r => r.Label));
        var runsCsv = Path.Combine(dir.Path, "runs.csv");
        BatchAggregator.WriteRunsTable(runsCsv, reread);
        Assert.Equal(["small", "big", "huge"], File.ReadAllLines(runsCsv).Skip(1).Select(l => l.Split(',')[3]));
    }
}
