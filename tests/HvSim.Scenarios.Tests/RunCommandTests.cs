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
        // Only runs that age by unmap (never in a released kernel) carry the what-if note.
        Assert.DoesNotContain("No released kernel has that variant", File.ReadAllText(Path.Combine(a, "report.html")));

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
        Assert.Null(manifest["wall_time_s"]); // wall time is in timing.json only: the manifest is byte-identical too
        Assert.Equal(File.ReadAllBytes(Path.Combine(a, "manifest.json")), File.ReadAllBytes(Path.Combine(b, "manifest.json")));
        Assert.True(JsonNode.Parse(File.ReadAllText(Path.Combine(a, "timing.json")))!["wall_s"]!.GetValue<double>() >= 0);
    }

    [Fact]
    public void TheReferenceModeWritesTheSameResultsFiles()
    {
        // One engine event per guest step (reference_mode) against the inline guest execution, on guests whose vCPUs
        // interact: vcores of two threads, a memory.max that makes each guest reclaim its own pages, KSM merging pages
        // across guests, and a host short of memory so that kswapd and direct reclaim race the accesses.
        const string levers = """
            name: interacting
            seed: 5
            platform: power7
            duration: 400ms
            interval: 50ms
            host: {memory: 320MiB, reserved: 64MiB, ksm: true, ksm_pages_to_scan: 400}
            guests:
              count: 3
              memory: 128MiB
              vcpus: 4
              threads: 2
              memory_max: 100MiB
              duplicate_fraction: 40%
              workload: {kind: zipf, alpha: 0.8, write_fraction: 40%, think: 1us}
            """;
        using var dir = new TempDir();
        var fast = dir.File("fast.yaml", levers);
        var reference = dir.File("reference.yaml", levers + "\nreference_mode: true\n");
        var a = Path.Combine(dir.Path, "fast");
        var b = Path.Combine(dir.Path, "reference");
        Assert.Equal(0, Cli.Run("run", fast, "--out", a).Exit);
        Assert.Equal(0, Cli.Run("run", reference, "--out", b).Exit);
        foreach (var t in Tables.Append("stats.csv").Append("metrics_wide.csv"))
            Assert.True(File.ReadAllBytes(Path.Combine(a, t)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(b, t))), $"{t} differs");
        var summary = File.ReadAllText(Path.Combine(a, "summary.csv"));
        Assert.Contains("guest2", summary);
    }

    [Fact]
    public void ARunReplacesTheFolderResultsOfAnEarlierRunAsAWhole()
    {
        using var dir = new TempDir();
        var outDir = Path.Combine(dir.Path, "out");
        var swept = dir.File("sw.yaml", Tiny.Replace("replications: 2", "replications: 1") + "\nsweep: {guests.count: [1, 2]}\n");
        Assert.Equal(0, Cli.Run("run", swept, "--out", outDir).Exit);
        Assert.True(File.Exists(Path.Combine(outDir, "runs.csv")));
        File.WriteAllText(Path.Combine(outDir, "old_plot.png"), "stale"); // a plot only the earlier run drew
        File.WriteAllText(Path.Combine(outDir, "notes.txt"), "mine");

        var narrow = dir.File("narrow.yaml", Tiny + "\noutputs: [summary]\n");
        var (exit, output, err) = Cli.Run("run", narrow, "--out", outDir);
        Assert.True(exit == 0, err + output);
        foreach (var stale in new[] { "host.csv", "timeseries.csv", "fault_latency.csv", "runs.csv", "old_plot.png" })
            Assert.False(File.Exists(Path.Combine(outDir, stale)), stale + " of the earlier run is still there");
        Assert.True(File.Exists(Path.Combine(outDir, "notes.txt"))); // not a results file: kept
        var summary = File.ReadAllLines(Path.Combine(outDir, "summary.csv"));
        Assert.Equal(1 + 3 * 2 * 2, summary.Length); // the new run's rows only
        Assert.DoesNotContain("run_id", summary[0]);
    }

    [Fact]
    public void SweptRunNamesTheRunOfEveryRowLikeBatch()
    {
        using var dir = new TempDir();
        var file = dir.File("sw.yaml", """
            name: sw
            seed: 3
            duration: 1s
            interval: 250ms
            host: {memory: 512MiB, reserved: 128MiB}
            guests: {count: 2, memory: 160MiB, workload: {kind: zipf, alpha: 0.9, think: 5us}}
            sweep:
              aging: [unmap, rbit]
              guests.vcpus: [1, 2]
            """);
        var outDir = Path.Combine(dir.Path, "out");
        var (exit, output, err) = Cli.Run("run", file, "--out", outDir, "--jobs", "2");
        Assert.True(exit == 0, err + output);
        Assert.DoesNotContain("report failed", err);
        Assert.Contains("No released kernel has that variant: Linux 3.4, the first release with the change, clears the HPTE R bit",
            File.ReadAllText(Path.Combine(outDir, "report.html")));

        string[] ids = ["sw.p000.power7.r1", "sw.p001.power7.r1", "sw.p002.power7.r1", "sw.p003.power7.r1"];
        var runs = File.ReadAllLines(Path.Combine(outDir, "runs.csv"));
        Assert.Equal("run_id,scenario,point,platform,replication,seed,host_memory_bytes,host_page_size_bytes,swap_device,aging,guests,total_guest_memory_bytes,duration_s,sweep.aging,guests.vcpus", runs[0]);
        Assert.Equal(ids, runs.Skip(1).Select(l => l.Split(',')[0]));
        // Grid order: the last sweep key varies fastest; enums spelled as the scenario writes them.
        Assert.Equal(["unmap,1", "unmap,2", "rbit,1", "rbit,2"], runs.Skip(1).Select(l => string.Join(",", l.Split(',')[^2..])));
        Assert.Equal(["unmap", "unmap", "rbit", "rbit"], runs.Skip(1).Select(l => l.Split(',')[9]));

        // Per run: one summary row per guest, one host row, a time-series row for the host and each guest at the end
        // of each of the 4 intervals of 250 ms.
        foreach (var (table, perRun) in new[] { ("summary.csv", 2), ("host.csv", 1), ("fault_latency.csv", -1), ("timeseries.csv", 3 * 4) })
        {
            var lines = File.ReadAllLines(Path.Combine(outDir, table));
            Assert.StartsWith("run_id,scenario,platform,replication,seed,", lines[0]);
            var byRun = lines.Skip(1).GroupBy(l => l.Split(',')[0]).ToDictionary(g => g.Key, g => g.Count());
            if (perRun > 0) Assert.Equal(ids.ToDictionary(i => i, _ => perRun), byRun);
            else Assert.All(byRun.Keys, k => Assert.Contains(k, ids));
        }
        foreach (var csv in Directory.EnumerateFiles(outDir, "*.csv"))
            Assert.DoesNotContain("r_bit", File.ReadAllText(csv));

        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "manifest.json")))!;
        var points = manifest["points"]!.AsArray();
        Assert.Equal(4, points.Count);
        Assert.Equal("rbit", points[3]!["parameters"]!["aging"]!.GetValue<string>());
        Assert.Equal("2", points[3]!["parameters"]!["guests.vcpus"]!.GetValue<string>());
        Assert.Equal(ids[3], points[3]!["run_ids"]![0]!.GetValue<string>());
        Assert.Equal(["aging", "guests.vcpus"], manifest["sweep_paths"]!.AsArray().Select(n => n!.GetValue<string>()));

        // The analysis reader tells the four runs apart and finds each one's point.
        var folder = HvSim.Analysis.Tables.ResultsFolder.Load(outDir);
        var runIds = folder.Summary.Select(r => r.Run).Distinct().ToList();
        Assert.Equal(ids, runIds.Select(r => r.RunId).Order(StringComparer.Ordinal));
        Assert.Equal("rbit", folder.PointOf(runIds.Single(r => r.RunId == ids[2])).ValueOf("sweep.aging"));
    }

    [Fact]
    public void RunWithoutASweepKeepsThePlainLayout()
    {
        using var dir = new TempDir();
        var file = dir.File("tiny.yaml", Tiny.Replace("replications: 2", "replications: 1").Replace("platform: both", "platform: power7"));
        var outDir = Path.Combine(dir.Path, "out");
        Assert.Equal(0, Cli.Run("run", file, "--out", outDir).Exit);
        Assert.StartsWith("scenario,platform,replication,seed,guest,", File.ReadLines(Path.Combine(outDir, "summary.csv")).First());
        Assert.False(File.Exists(Path.Combine(outDir, "runs.csv")));
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "manifest.json")))!;
        Assert.Single(manifest["points"]!.AsArray());
        Assert.Equal(0.0, manifest["warmup_s"]!.GetValue<double>());
    }

    [Fact]
    public void HelpTextsAreCleanAndTheMemoryLimitIsPrintedUnrounded()
    {
        foreach (var command in new[] { "run", "batch" })
        {
            var (_, help, _) = Cli.Run(command, "--help");
            var seedLine = help.Split('\n').Single(l => l.TrimStart().StartsWith("--seed", StringComparison.Ordinal));
            Assert.False(seedLine.TrimEnd().EndsWith(':'), seedLine);
            var jobsLine = help.Split('\n').Single(l => l.TrimStart().StartsWith("--jobs", StringComparison.Ordinal));
            // One default, said once, and not this machine's core count.
            Assert.Single(System.Text.RegularExpressions.Regex.Matches(jobsLine, "default"));
            Assert.DoesNotContain("[default:", jobsLine);
            Assert.Contains("the number of cores", jobsLine);
        }
        using var dir = new TempDir();
        var file = dir.File("tiny.yaml", Tiny);
        var (exit, _, err) = Cli.Run("run", file, "--out", Path.Combine(dir.Path, "out"), "--max-memory", "1KiB", "--jobs", "1");
        Assert.Equal(2, exit);
        Assert.Contains("exceeds the limit 1KiB", err);
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
        (exit, _, err) = Cli.Run("run", file, "--out", outDir, "--max-memory", "lots");
        Assert.Equal(2, exit);
        Assert.Contains("--max-memory 'lots' is not a size (allowed: a size > 0 such as 8GiB", err);
        Assert.False(Directory.Exists(outDir));
    }

    [Fact]
    public void WhatEachLeverBoughtShowsTheBalloonsHeldMemory()
    {
        // Two 256 MiB guests (4096 pages of 64 KiB) whose workload uses only their first half; each balloon's target is
        // 64 MiB (1024 pages). fill_balloon hands out free pages first, from the top of guest memory, so the balloons take
        // pages the workload never touches: they hold 2 x 64 MiB = 128 MiB at the end, freed no host page (none was
        // backed), and no guest ever takes a page back. Without a balloon the point lists no lever.
        using var dir = new TempDir();
        var file = dir.File("balloon.yaml", """
            seed: 5
            duration: 1s
            warmup: 0s
            host: {memory: 1GiB, reserved: 128MiB}
            guests:
              count: 2
              memory: 256MiB
              workload: {kind: working_set, start_fraction: 0.5, end_fraction: 0.5, think: 5us}
            sweep:
              guests.balloon: [auto, 64MiB]
            """);
        var rows = LeverTableRows(dir, file);
        Assert.Contains("<th>Balloon held (MiB)</th>", rows[1]);
        var balloon = rows.Single(r => r.Contains("<td class=\"l\">balloon</td>"));
        // Balloon held, pages freed, refaults, then the request time (no warm-up, so the inflation is measured): 2 x 64
        // requests of 256 pfns at 262,144 pfns/s, 976,562 ns each.
        Assert.Contains("<td>128</td><td>0</td><td>0</td><td>0.125</td></tr>", balloon);
        Assert.Single(rows, r => r.Contains("<td class=\"l\">none</td>"));
    }

    [Fact]
    public void WhatEachLeverBoughtShowsWhereMomsPolicyLeftTheBalloons()
    {
        // MoM's balloon policy (doc/balloon.rules) every 300 ms on a host whose free memory is below pressure_threshold
        // (20 % of 1 GiB) from the start: 1 GiB - 768 MiB reserved - 2 x 32 MiB of HPT and revmap leaves under 192 MiB.
        // Two 256 MiB guests (4096 pages of 64 KiB) use only their first half, so shrink_guest's floor (used + at most
        // 20 % of balloon_cur: at most 2048 + 820) never binds and each evaluation takes 5 % (max_balloon_change_percent),
        // truncated to whole pages: 4096 -> 3891 -> 3696 -> 3511 at 0.3, 0.6 and 0.9 s, a balloon of 585 pages each,
        // 2 x 585 x 64 KiB = 73.125 MiB, all of it never-touched pages from the top of guest memory: no host page freed,
        // none taken back. The requests took 2 x 585 x 16 pfns / 262,144 pfns/s = 0.0714 s.
        using var dir = new TempDir();
        var file = dir.File("mom.yaml", """
            seed: 5
            duration: 1s
            warmup: 0s
            host:
              memory: 1GiB
              reserved: 768MiB
              balloon_policy: {enabled: true, interval: 300ms}
            guests:
              count: 2
              memory: 256MiB
              workload: {kind: working_set, start_fraction: 0.5, end_fraction: 0.5, think: 5us}
            """);
        var row = LeverTableRows(dir, file).Single(r => r.Contains("<td class=\"l\">balloon (MoM policy)</td>"));
        Assert.Contains("<td>73.1</td><td>0</td><td>0</td><td>0.071</td></tr>", row);
    }

    /// <summary>Runs <paramref name="file"/> and returns the rows of report.html's "What each lever bought" table, split at each &lt;tr&gt;.</summary>
    private static string[] LeverTableRows(TempDir dir, string file)
    {
        var outDir = Path.Combine(dir.Path, "out");
        var (exit, output, err) = Cli.Run("run", file, "--out", outDir);
        Assert.True(exit == 0, err + output);
        var html = File.ReadAllText(Path.Combine(outDir, "report.html"));
        int section = html.IndexOf("<h2>What each lever bought</h2>", StringComparison.Ordinal);
        Assert.True(section >= 0, "no lever section");
        return html[section..html.IndexOf("</table>", section, StringComparison.Ordinal)].Split("<tr>");
    }
}
