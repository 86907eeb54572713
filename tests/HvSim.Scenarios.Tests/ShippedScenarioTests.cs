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
        string[] expected = ["aging-unmap-vs-rbit", "capacity-study", "overcommit-sweep", "quickstart", "swap-hdd-vs-ssd", "trace-guest"];
        var names = Directory.EnumerateFiles(Repo.Path("Scenarios"), "*.yaml").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal);
        Assert.Equal(expected, names);
    }

    [Fact]
    public void QuickstartIsTheIssuesScenario()
    {
        var s = ScenarioLoader.Load(Repo.Path("Scenarios", "quickstart.yaml"));
        var t = Assert.Single(s.Points).Template;
        Assert.Equal(8L << 30, t.Host.MemoryBytes);
        Assert.Equal(64 << 10, t.Host.PageSizeBytes);
        Assert.Equal("ssd", t.Host.Swap.Kind);
        Assert.Equal(4, t.Guests.Count);
        Assert.All(t.Guests, g => Assert.IsType<HvSim.Model.Workloads.ZipfWorkload>(g.Workload));
        Assert.All(t.Guests, g => Assert.Equal(3L << 30, g.MemoryBytes));
        Assert.True(s.Settings.DurationNs >= 60_000_000_000);
        Assert.Equal([HvSim.Model.Config.Platform.Power7, HvSim.Model.Config.Platform.Ppc970], s.Settings.Platforms);
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
    public void SchemaNamesEveryKeyOfTheTable()
    {
        var schema = System.Text.Json.Nodes.JsonNode.Parse(SchemaGenerator.Generate())!;
        Assert.Equal(ScenarioKeys.Root.Keys.Select(k => k.Name).Concat(["host", "costs", "guests", "sweep"]).Order(),
            schema["properties"]!.AsObject().Select(p => p.Key).Order());
        Assert.Equal(ScenarioKeys.Host.Keys.Select(k => k.Name).Append("swap").Order(),
            schema["$defs"]!["host"]!["properties"]!.AsObject().Select(p => p.Key).Order());
        var kinds = schema["$defs"]!["workload"]!["oneOf"]!.AsArray().Select(k => k!["properties"]!["kind"]!["const"]!.GetValue<string>());
        Assert.Equal(WorkloadKinds.All.Select(k => k.Name), kinds);
    }
}
