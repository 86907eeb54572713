using HvSim.Scenarios.Language;

namespace HvSim.Scenarios.Tests;

[Collection(CliCollection.Name)]
public class ShippedScenarioTests
{
    private static readonly string TraceFolder = Repo.Path("..", "shared", "data", "traces");

    public static TheoryData<string> Examples()
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.EnumerateFiles(Repo.Path("Scenarios"), "*.yaml").Order(StringComparer.Ordinal)) data.Add(Path.GetFileName(f));
        return data;
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void ExampleValidatesThroughTheCli(string name)
    {
        var file = Repo.Path("Scenarios", name);
        Assert.Equal("# yaml-language-server: $schema=./schema.json", File.ReadLines(file).First());
        var (exit, output, err) = Cli.Run("validate", file);
        if (name == "trace-guest.yaml" && !Directory.Exists(TraceFolder))
        {
            // Without the shared trace folder, validation must say exactly that.
            Assert.Equal(2, exit);
            Assert.Contains("error: file not found: ", err);
            Assert.Contains("cloudPhysicsIO.oracleGeneral.bin", err);
            return;
        }
        Assert.True(exit == 0, err);
        Assert.Contains(": ok (", output);
    }

    [Fact]
    public void TheShippedExamplesCoverTheStudiesTheIssueAsksFor()
    {
        string[] expected = ["aging-unmap-vs-rbit", "capacity-study", "levers", "overcommit-sweep", "quickstart", "swap-hdd-vs-ssd", "trace-guest"];
        var names = Directory.EnumerateFiles(Repo.Path("Scenarios"), "*.yaml").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal);
        Assert.Equal(expected, names);
    }

    [Fact]
    public void LeversExampleAdmitsFewerGuestsOnlyWithHugetlbfs()
    {
        // 8 GiB host - 512 MiB reserved - min watermark sqrt(16 x 8388608 kB) = 11585 kB: 7668.7 MiB for guests. A 2 GiB
        // guest's KVM memory is HPT 16 MiB + revmap 16 MiB + rmap 32768 x 8 B = 32.25 MiB; on hugetlbfs it also takes
        // 128 huge pages (2048 MiB): three fit (6240.75 MiB), a fourth does not (8321 MiB). Anonymous guests need only
        // their KVM memory: all six fit, zram and zswap hosts too (their pools are taken from memory as they fill), and
        // with MoM's balloon policy or memory.high/low too (balloons and cgroup limits act after boot, not at admission).
        var s = ScenarioLoader.Load(Repo.Path("Scenarios", "levers.yaml"));
        var runs = Planning.RunPlanner.Plan(s).Where(r => r.Replication == 1).ToList();
        var admitted = runs.Select(r => HvSim.Model.Guest.Admission.Decide(r.Config).Count(reason => reason is null));
        // The page-cache points take no memory at admission either. The file sweeps hugetlbfs at one point (its 4th).
        var expected = runs.Select(r => r.Config.Guests.All(g => g.Backing == HvSim.Model.Config.MemoryBacking.Hugetlbfs) ? 3 : 6).ToList();
        Assert.Equal(17, expected.Count);
        Assert.Equal(1, expected.Count(n => n == 3));
        Assert.Equal(expected, admitted);
    }

    /// <summary>
    /// The first replication of each point through the real model, at the file's own duration (host memory fills up
    /// only after several seconds, so a shortened run would be a different regime).
    /// </summary>
    private static List<(Planning.PlannedRun Run, HvSim.Model.Results.RunResult Result)> RunFirstReplication(string file)
    {
        var s = ScenarioLoader.Load(Repo.Path("Scenarios", file));
        return Planning.RunPlanner.Plan(s).Where(r => r.Replication == 1).AsParallel().AsOrdered()
            .Select(r => (r, HvSim.Model.SimulationRunner.Run(r.Config)))
            .ToList();
    }

    [Fact]
    public void AgingExampleShowsMoreHdsiFaultsUnderUnmapForTheSameWork()
    {
        var runs = RunFirstReplication("aging-unmap-vs-rbit.yaml");
        var unmap = runs.Single(r => r.Run.Config.Aging == HvSim.Model.Config.AgingVariant.Unmap).Result.Guests;
        var rbit = runs.Single(r => r.Run.Config.Aging == HvSim.Model.Config.AgingVariant.RBit).Result.Guests;
        // rbit ages through the R bit and never unmaps for ageing: markedly fewer HDSI refaults for the same work
        // (per access: measured from steady state, unmap's extra refaults also cost it about a fifth of the work).
        double PerAccess(IReadOnlyList<HvSim.Model.Results.GuestResult> g) => g.Sum(x => x.HdsiFaults) / (double)g.Sum(x => x.Accesses);
        Assert.True(PerAccess(unmap) > 1.1 * PerAccess(rbit), $"unmap {PerAccess(unmap)} HDSI per access vs rbit {PerAccess(rbit)}");
        // ... and not a saturated swap device throttling both to nothing: each still does most of the other's work.
        Assert.InRange(unmap.Sum(g => g.Accesses) / (double)rbit.Sum(g => g.Accesses), 0.6, 1.1);
        // Measured from steady state (warmup: auto) the guests stall about half their time; a meltdown would be over 90 %.
        Assert.All(unmap.Concat(rbit), g => Assert.InRange(g.StallFraction, 0.02, 0.75));
        // The window is the paging regime: reclaim ran a full steady-state window before measuring began.
        Assert.All(runs, r => Assert.InRange(r.Result.Host.FirstReclaimNs, 0, r.Result.Host.WarmupNs));
    }

    [Fact]
    public void QuickstartPagesModeratelyOnPower7AndRefusesOnPpc970()
    {
        var runs = RunFirstReplication("quickstart.yaml");
        var power7 = runs.Single(r => r.Run.Platform == HvSim.Model.Config.Platform.Power7).Result.Guests;
        var ppc970 = runs.Single(r => r.Run.Platform == HvSim.Model.Config.Platform.Ppc970).Result.Guests;
        Assert.All(power7, g => Assert.True(g.Admitted));
        Assert.All(power7, g => Assert.True(g.MajorFaults > 0, "POWER7 overcommit pages guests out and back in"));
        // The regime the README promises: paging that costs something, not a swap-bound meltdown.
        Assert.All(power7, g => Assert.InRange(g.StallFraction, 0.05, 0.30));
        // Measured from steady state: POWER7's host reclaim began before the warm-up ended.
        var p7 = runs.Single(r => r.Run.Platform == HvSim.Model.Config.Platform.Power7).Result.Host;
        Assert.InRange(p7.FirstReclaimNs, 0, p7.WarmupNs);
        // 2 of the 3 GiB guests fit pinned in 8 GiB - 512 MiB reserved; the other two are refused.
        Assert.Equal(2, ppc970.Count(g => g.Admitted));
    }

    [Fact]
    public void QuickstartIsTheIssuesScenario()
    {
        var s = ScenarioLoader.Load(Repo.Path("Scenarios", "quickstart.yaml"));
        var t = Assert.Single(s.Points).Template;
        Assert.Equal(8L << 30, t.Config.Host.MemoryBytes);
        Assert.Equal(64 << 10, t.Config.Host.PageSizeBytes);
        Assert.Equal("ssd", t.Config.Host.Swap.Kind);
        Assert.Equal(4, t.Guests.Count);
        Assert.All(t.Guests, g => Assert.IsType<HvSim.Model.Workloads.ZipfWorkload>(g.Workload));
        Assert.All(t.Guests, g => Assert.Equal(3L << 30, g.MemoryBytes));
        Assert.True(s.Template.Config.DurationNs >= 60_000_000_000);
        Assert.Equal([HvSim.Model.Config.Platform.Power7, HvSim.Model.Config.Platform.Ppc970], s.Template.Platforms);
    }

    [Fact]
    public void ShippedSchemaIsWhatHvsimSchemaPrints()
    {
        var (exit, output, _) = Cli.Run("schema");
        Assert.Equal(0, exit);
        Assert.Equal(File.ReadAllText(Repo.Path("Scenarios", "schema.json")), output);
    }

    [Fact]
    public void LanguageReferenceInDocsIsGeneratedFromTheKeyTable()
    {
        var doc = File.ReadAllText(Repo.Path("docs", "scenarios.md"));
        int begin = doc.IndexOf(KeyReference.Begin, StringComparison.Ordinal);
        int end = doc.IndexOf(KeyReference.End, StringComparison.Ordinal);
        Assert.True(begin >= 0 && end > begin, "docs/scenarios.md lacks the generated key reference");
        Assert.Equal(KeyReference.Markdown(), doc[begin..(end + KeyReference.End.Length + 1)]);
    }

    [Fact]
    public void PlanLanguageReferenceInDocsIsGeneratedFromThePlanKeyTable()
    {
        var doc = File.ReadAllText(Repo.Path("docs", "analysis.md"));
        int begin = doc.IndexOf(KeyReference.PlanBegin, StringComparison.Ordinal);
        int end = doc.IndexOf(KeyReference.End, begin < 0 ? 0 : begin, StringComparison.Ordinal);
        Assert.True(begin >= 0 && end > begin, "docs/analysis.md lacks the generated plan key reference");
        Assert.Equal(KeyReference.PlanMarkdown(), doc[begin..(end + KeyReference.End.Length + 1)]);
        // Every plan key and section is in it, the levers too.
        foreach (var (path, section) in HvSim.Scenarios.Planning.PlanKeys.Root.Tree())
        {
            if (path.Length > 0) Assert.Contains($"### `{path}:`", doc);
            foreach (var key in section.KeyDefs) Assert.Contains($"| `{key.Name}` |", doc);
        }
        Assert.Contains("### `levers:`", doc);
    }

    [Fact]
    public void SchemaNamesEveryKeyOfTheTable()
    {
        var schema = System.Text.Json.Nodes.JsonNode.Parse(SchemaGenerator.Generate())!;
        Assert.Equal(ScenarioKeys.Root.Keys.Select(k => k.Name).Concat(["host", "costs", "guests", "sweep"]).Order(),
            schema["properties"]!.AsObject().Select(p => p.Key).Order());
        Assert.Equal(ScenarioKeys.Host.Keys.Select(k => k.Name).Append("swap").Append("page_cache").Append("balloon_policy").Order(),
            schema["$defs"]!["host"]!["properties"]!.AsObject().Select(p => p.Key).Order());
        var kinds = schema["$defs"]!["workload"]!["oneOf"]!.AsArray().Select(k => k!["properties"]!["kind"]!["const"]!.GetValue<string>());
        Assert.Equal(WorkloadKinds.All.Select(k => k.Name), kinds);
    }
}
