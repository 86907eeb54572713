using System.Diagnostics;
using System.Text.Json;

namespace HvSim.Cli.Tests;

/// <summary>Each command used the way the issues promise, checked from the outside: exit code, stdout, files.</summary>
public sealed class CommandTests
{
    [Fact]
    public void ValidateReportsEveryProblemWithFileLineColumnAndExits2()
    {
        using var dir = new TempDir();
        string file = dir.File("bad.yaml", """
            name: bad
            duraton: 60s
            host:
              memroy: 8GiB
            guests:
              count: -1
              workload:
                kind: zipff
            """);
        var r = Hvsim.Run("validate", file);
        Assert.True(r.Exit == 2, r.ToString());
        Assert.Contains($"{file}:2:1: error: unknown key 'duraton'", r.Err);
        Assert.Contains("did you mean 'duration'?", r.Err);
        Assert.Contains($"{file}:4:3: error: unknown key 'memroy'", r.Err);
        Assert.Contains($"{file}:6:10: error: 'count' is out of range: -1 (allowed: an integer in [1, ", r.Err);
        Assert.Contains($"{file}:8:11: error: 'kind' cannot be 'zipff', did you mean 'zipf'? (allowed: uniform, zipf, ", r.Err);
        Assert.Contains("4 problems found.", r.Err);
        ExitCodeTests.AssertNoStackTrace(r.Err);
    }

    [Fact]
    public void ValidateChecksAPlanFileAndLocatesItsScenariosErrorsInTheScenario()
    {
        using var dir = new TempDir();
        string scenario = dir.File("s.yaml", """
            guests:
              count: 2
              memroy: 1GiB
              workload: {kind: uniform}
            """);
        string plan = dir.File("plan.yaml", """
            scenario: s.yaml
            slo:
              p99_fault_latncy: 5ms
            """);
        var r = Hvsim.Run("validate", plan);
        Assert.True(r.Exit == 2, r.ToString());
        // The scenario's own file, line and column, not the plan's `scenario:` line.
        Assert.Contains($"{scenario}:3:3: error: unknown key 'memroy' in guests", r.Err);
        Assert.Contains($"{plan}:3:3: error: unknown key 'p99_fault_latncy' in slo", r.Err);
        Assert.Contains("2 problems found.", r.Err);
        ExitCodeTests.AssertNoStackTrace(r.Err);

        string good = dir.File("good.yaml", $"""
            scenario: {Path.Combine(Repo.Root, "Scenarios", "quickstart.yaml")}
            slo:
              p99_fault_latency: 5ms
            """);
        var ok = Hvsim.Run("validate", good);
        Assert.True(ok.Exit == 0, ok.ToString());
        Assert.Contains($"{good}: ok (plan for quickstart", ok.Out);
    }

    [Fact]
    public void ValidateListsEachLeverOfAPlanWithWhatEachPlatformMakesOfIt()
    {
        // The shipped lever plan: Linux 3.4 has no zswap (frontswap came in 3.5, zswap in 3.11), so that lever is refused
        // on both platforms; a balloon frees nothing on PPC970 (3.4's kvm_dev_ioctl_check_extension reports
        // KVM_CAP_SYNC_MMU only with CPU_FTR_ARCH_206), so it is searched on POWER7 only; KSM runs on both.
        string plan = Path.Combine(Repo.Root, "Scenarios", "plans", "levers.plan.yaml");
        var r = Hvsim.Run("validate", plan);
        Assert.True(r.Exit == 0, r.ToString());
        var lines = r.Out.Split('\n');
        Assert.Matches(@"^  lever zswap \(host\.zswap=true\): power7 refused: .*; ppc970 refused: ", lines.Single(l => l.StartsWith("  lever zswap ", StringComparison.Ordinal)));
        Assert.Matches(@"^  lever balloon \(.*\): power7 searched; ppc970 refused: ", lines.Single(l => l.StartsWith("  lever balloon ", StringComparison.Ordinal)));
        Assert.Matches(@"^  lever ksm \(.*\): power7 searched; ppc970 searched$", lines.Single(l => l.StartsWith("  lever ksm ", StringComparison.Ordinal)).TrimEnd('\r'));
    }

    [Fact]
    public void ABadLeverExits2WithFileLineColumnAndWritesNothing()
    {
        using var dir = new TempDir();
        dir.File("tiny.yaml", TinyScenarios.Run);
        string plan = dir.File("plan.yaml", "scenario: tiny.yaml\nslo: {mean_stall_fraction: 10%}\nlevers:\n  ksm: {host.ksm: perhaps}\n");
        var r = Hvsim.Run("plan", plan, "--out", dir.Combine("out"));
        Assert.True(r.Exit == 2, r.ToString());
        Assert.Contains($"{plan}:4:19: error: 'ksm' has a bad value 'perhaps'", r.Err);
        Assert.Contains("(allowed: true or false)", r.Err);
        ExitCodeTests.AssertNoStackTrace(r.Err);
        Assert.False(Directory.Exists(dir.Combine("out")));
    }

    [Fact]
    public void ShippedPlanSchemaIsWhatHvsimSchemaPlanPrints()
    {
        var r = Hvsim.Run("schema", "--plan");
        Assert.True(r.Exit == 0, r.ToString());
        Assert.Equal(File.ReadAllText(Path.Combine(Repo.Root, "Scenarios", "plan.schema.json")), r.Out);
        // Every plan key is in it: the schema is generated from the tree PlanFile binds with.
        Assert.All(new[] { "scenario", "slo", "mix", "min_host_memory", "mrc_estimate", "p99_fault_latency", "miss_ratio", "levers" },
            key => Assert.Contains($"\"{key}\"", r.Out));
        // A lever's keys are the scenario's key paths, each with its own value schema (a balloon is a size or auto).
        var levers = System.Text.Json.Nodes.JsonNode.Parse(r.Out)!["$defs"]!["levers"]!["additionalProperties"]!["properties"]!;
        Assert.All(new[] { "host.ksm", "guests.memory_max", "guests.backing", "guests.balloon", "host.swappiness", "host.page_cache.rate", "host.swap.device", "host.zswap" },
            path => Assert.NotNull(levers[path]));
        Assert.Null(levers["guests.count"]);
        Assert.Contains("auto", levers["guests.balloon"]!.ToJsonString());
    }

    [Fact]
    public void ValidateAcceptsTheShippedScenarios()
    {
        string[] files = Directory.GetFiles(Path.Combine(Repo.Root, "Scenarios"), "*.yaml");
        Assert.NotEmpty(files);
        foreach (string file in files)
        {
            var r = Hvsim.Run("validate", file);
            // A trace-driven example needs the shared traces beside the repository, absent in a fresh clone: then the
            // only acceptable complaint is that very file being missing.
            if (r.Exit == 2 && !Directory.Exists(Path.Combine(Repo.Root, "..", "shared", "data", "traces"))
                && r.Err.Split('\n').Where(l => l.Contains(": error: ")).All(l => l.Contains("file not found") && l.Contains("traces")))
                continue;
            Assert.True(r.Exit == 0, $"{file}: {r}");
            Assert.Contains(": ok (", r.Out);
        }
    }

    [Fact]
    public void SchemaIsAJsonSchemaThatClosesTheTopLevel()
    {
        var r = Hvsim.Run("schema");
        Assert.Equal(0, r.Exit);
        using var doc = JsonDocument.Parse(r.Out);
        var root = doc.RootElement;
        Assert.StartsWith("https://json-schema.org/", root.GetProperty("$schema").GetString());
        Assert.False(root.GetProperty("additionalProperties").GetBoolean());
        foreach (string key in new[] { "host", "guests", "duration", "sweep" })
            Assert.True(root.GetProperty("properties").TryGetProperty(key, out _), $"schema has no '{key}'");
    }

    [Fact]
    public void ReplayCsvHasThePromisedHeaderAndLruMissesOfABruteForce()
    {
        using var dir = new TempDir();
        var random = new Random(1234);
        var ids = Enumerable.Range(0, 5000).Select(_ => (long)Math.Floor(Math.Pow(random.NextDouble(), 3) * 400)).ToArray();
        string trace = dir.File("t.csv", "timestamp,obj_id,size,op\n" + string.Concat(ids.Select((id, i) => $"{i},{id},4096,r\n")));
        var r = Hvsim.Run("replay", trace, "--policy", "lru,fifo", "--sizes", "10,50", "--csv");
        Assert.True(r.Exit == 0, r.ToString());
        string[] lines = r.Out.Trim().Split('\n');
        Assert.Equal("policy,capacity,requests,misses,miss_ratio,seconds", lines[0]);
        Assert.Equal(5, lines.Length);
        foreach (int capacity in new[] { 10, 50 })
        {
            string[] row = lines.Single(l => l.StartsWith($"lru,{capacity},", StringComparison.Ordinal)).Split(',');
            Assert.Equal("5000", row[2]);
            Assert.Equal(BruteForceLruMisses(ids, capacity).ToString(), row[3]);
        }
    }

    /// <summary>LRU by a list kept in recency order: obviously right, O(n * capacity).</summary>
    private static int BruteForceLruMisses(long[] ids, int capacity)
    {
        var recency = new List<long>();
        int misses = 0;
        foreach (long id in ids)
        {
            if (!recency.Remove(id))
            {
                misses++;
                if (recency.Count == capacity) recency.RemoveAt(0);
            }
            recency.Add(id);
        }
        return misses;
    }

    [Fact]
    public void ReplayOfATruncatedBinaryTraceNamesTheRecordAndExits2()
    {
        using var dir = new TempDir();
        string trace = dir.Combine("t.oracleGeneral");
        File.WriteAllBytes(trace, new byte[24 * 3 + 5]);
        var r = Hvsim.Run("replay", trace, "--sizes", "10");
        Assert.True(r.Exit == 2, r.ToString());
        // 3 x 24 + 5 bytes: three whole records, then 5 bytes of the fourth.
        Assert.Contains($"{trace}: record 4: truncated oracleGeneral record: 5 of 24 bytes (file length 77 is not a multiple of 24)", r.Err);
        ExitCodeTests.AssertNoStackTrace(r.Err);
    }

    [Fact]
    public void PlotMakesASelfContainedReportFromARunFolder()
    {
        using var dir = new TempDir();
        string results = dir.Combine("out");
        Assert.Equal(0, Hvsim.Run("run", dir.File("tiny.yaml", TinyScenarios.Run), "--out", results).Exit);
        var r = Hvsim.Run("plot", results);
        Assert.True(r.Exit == 0, r.ToString());
        string html = File.ReadAllText(Path.Combine(results, "report.html"));
        Assert.Contains("data:image/", html);
        Assert.DoesNotContain("src=\"http", html);
        Assert.NotEmpty(Directory.GetFiles(results, "*.png"));
    }

    [Fact]
    public void RunHelpNamesEveryFileARunWrites()
    {
        using var dir = new TempDir();
        Assert.Equal(0, Hvsim.Run("run", dir.File("tiny.yaml", TinyScenarios.Run), "--out", dir.Combine("out")).Exit);
        string help = Hvsim.Run("run", "--help").Out;
        string[] written = Directory.GetFiles(dir.Combine("out")).Select(Path.GetFileName).ToArray()!;
        Assert.Contains("report.html", written);
        foreach (string file in written.Where(f => !f.EndsWith(".png", StringComparison.Ordinal) && !f.EndsWith(".svg", StringComparison.Ordinal)))
            Assert.Contains(file, help);
        Assert.Contains(written, f => f.EndsWith(".png", StringComparison.Ordinal));
        Assert.Contains("plots (PNG and SVG)", help);
    }

    [Fact]
    public void PlanShowsNumbersWithUnitsAndADashForTheLatencyOfPinnedGuests()
    {
        using var dir = new TempDir();
        // 320 MiB rather than 256: besides its 160 MiB each guest holds 32 MiB of KVM memory (16 MiB HPT and 16 MiB revmap,
        // 3.4 book3s_64_mmu_hv.c kvmppc_alloc_hpt), and one PPC970 guest must fit (96 MiB pinned + 64 MiB RMA + 32 MiB).
        dir.File("tiny.yaml", TinyScenarios.Run.Replace("memory: 256MiB", "memory: 320MiB"));
        // POWER7 pages at 2 guests (p99 in milliseconds); pinned PPC970 guests take no HDSI fault at all.
        string plan = dir.File("plan.yaml", "scenario: tiny.yaml\nslo: {p99_fault_latency: 100us}\nreplications: 2\nmax_guests: 2\n");
        var r = Hvsim.Run("plan", plan, "--out", dir.Combine("out"));
        Assert.True(r.Exit == 0, r.ToString());
        Assert.DoesNotContain("E+", r.Out);
        Assert.Matches(@"power7: at most 1 guest; 2 guests: p99_fault_latency_us upper 95 % bound \d+ us > 100 us", r.Out);
        Assert.Contains("Planning tiny: p99_fault_latency_us ≤ 100 us with 95 % confidence, 2 replications per probe", r.Out);
        Assert.Matches(@"\n  power7    1 guest: meets the SLO", r.Out); // a probe's progress line
        Assert.DoesNotContain("1 guests", r.Out);
        Assert.Matches(@"│ ppc970 +│ 1 +│ p99_fault_latency_us ≤ 100 us +│ - +│", r.Out);
        Assert.Contains("ppc970: at most 1 guest (no HDSI faults, so no p99_fault_latency_us to exceed the bound)", r.Out);
        string ppc970 = File.ReadAllLines(dir.Combine("out", "plan.csv")).Single(l => l.StartsWith("tiny,ppc970,", StringComparison.Ordinal));
        Assert.StartsWith("tiny,ppc970,1,false,p99_fault_latency_us,100,0.95,2,,,,", ppc970); // mean and CI empty, not 0
    }

    [Fact]
    public void ABatchKilledWithSIGKILLResumesToTheSameBytes()
    {
        using var dir = new TempDir();
        // Long enough runs that the kill lands while some runs are finished and others are not.
        string scenario = dir.File("sweep.yaml", TinyScenarios.Sweep.Replace("duration: 1s", "duration: 20s"));
        Assert.Equal(0, Hvsim.Run("batch", scenario, "--out", dir.Combine("whole"), "--jobs", "2").Exit);

        string killed = dir.Combine("killed");
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, WorkingDirectory = Repo.Root };
        // A killed .NET process leaves its diagnostics socket in the temp directory; the launcher turns the server off, so here too.
        start.Environment["DOTNET_EnableDiagnostics"] = "0";
        foreach (string a in new[] { Path.Combine(AppContext.BaseDirectory, "hvsim.dll"), "batch", scenario, "--out", killed, "--jobs", "2" })
            start.ArgumentList.Add(a);
        using (var process = Process.Start(start)!)
        {
            // Kill as soon as the first run is committed; the assertion below holds wherever the kill lands.
            string runs = Path.Combine(killed, "runs");
            var waited = Stopwatch.StartNew();
            while (!process.HasExited && waited.Elapsed < TimeSpan.FromMinutes(2)
                   && !(Directory.Exists(runs) && Directory.EnumerateDirectories(runs).Any(d => !Path.GetFileName(d).StartsWith('.'))))
                Thread.Sleep(20);
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
        var resumed = Hvsim.Run("batch", scenario, "--out", killed, "--jobs", "2");
        Assert.True(resumed.Exit == 0, resumed.ToString());
        Assert.Equal(ResultsTests.Snapshot(dir.Combine("whole"), skipManifest: true), ResultsTests.Snapshot(killed, skipManifest: true));
    }

    [Fact]
    public void BenchModelHelpListsEveryCsvColumn()
    {
        var csv = Hvsim.Run("bench", "model", "--workload", "boot", "--quick", "--csv");
        Assert.True(csv.Exit == 0, csv.ToString());
        var help = Hvsim.Run("bench", "model", "--help");
        // The header the CSV has, as --help names it: a reader of the help finds every column there.
        string header = csv.Out.Split('\n')[0].Trim();
        Assert.Contains($"Print CSV ({header})", help.Out.ReplaceLineEndings(" ").Replace("  ", " "));
    }
}
