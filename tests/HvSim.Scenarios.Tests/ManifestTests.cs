using FsCheck;
using FsCheck.Xunit;
using HvSim.Analysis.Results;
using HvSim.Model.Config;
using HvSim.Scenarios.Language;

namespace HvSim.Scenarios.Tests;

public class ManifestTests
{
    [Fact]
    public void ResolvedConfigNamesNestedWorkloadsWithTheirKindAndParameters()
    {
        using var dir = new TempDir();
        var s = ScenarioLoader.Load(dir.File("m.yaml", """
            aging: unmap
            host: {policy: twolist}
            guests:
              workload:
                kind: phased
                phases:
                  - duration: 1s
                    workload: {kind: zipf, alpha: 1.3}
                  - duration: 2s
                    workload:
                      kind: mix
                      streams:
                        - {weight: 2, workload: {kind: sequential, stride: 8}}
            """));
        var config = Manifest.Config(Planning.RunPlanner.Plan(s)[0].Config);
        Assert.Equal("unmap", config["aging"]!.GetValue<string>());
        Assert.Equal("twolist", config["host"]!["policy"]!.GetValue<string>());
        Assert.Equal("power7", config["platform"]!.GetValue<string>());
        var w = config["guests"]![0]!["workload"]!;
        Assert.Equal("phased", w["kind"]!.GetValue<string>());
        Assert.Equal("zipf", w["phases"]![0]!["workload"]!["kind"]!.GetValue<string>());
        Assert.Equal(1.3, w["phases"]![0]!["workload"]!["alpha"]!.GetValue<double>());
        Assert.Equal(1_000_000_000, w["phases"]![0]!["duration_ns"]!.GetValue<long>());
        var inner = w["phases"]![1]!["workload"]!["streams"]![0]!;
        Assert.Equal(2.0, inner["weight"]!.GetValue<double>());
        Assert.Equal("sequential", inner["workload"]!["kind"]!.GetValue<string>());
        Assert.Equal(8, inner["workload"]!["stride"]!.GetValue<int>());
    }

    /// <summary>
    /// Every run of every shipped scenario (and the nested workloads above) reads back from manifest.json as the
    /// configuration it ran with: written again, it is the same JSON, and its settings are the planned ones.
    /// </summary>
    [Fact]
    public void EveryShippedRunConfigurationReadsBackAsItRan()
    {
        bool traces = Directory.Exists(Repo.Path("..", "shared", "data", "traces"));   // trace-guest.yaml reads one
        var configs = Directory.GetFiles(Repo.Path("Scenarios"), "*.yaml").Order(StringComparer.Ordinal)
            .Where(f => traces || Path.GetFileName(f) != "trace-guest.yaml")
            .SelectMany(f => Planning.RunPlanner.Plan(ScenarioLoader.Load(f))).Select(r => r.Config).ToList();
        Assert.True(configs.Count > 50);
        // A measured swap service-time histogram (hvsim calibrate swap) reads back too.
        configs.Add(configs[0] with
        {
            Host = configs[0].Host with { Swap = configs[0].Host.Swap with { LatencyHistogram = new([new(1_000, 50_000, 0.9), new(50_000, 2_000_000, 0.1)]) } },
        });
        foreach (var config in configs)
        {
            var written = Manifest.Config(config);
            var back = Manifest.ReadConfig(written);
            Assert.NotNull(back);
            Assert.Equal(written.ToJsonString(), Manifest.Config(back).ToJsonString());
            Assert.Equal((config.DurationNs, config.WarmupNs, config.Costs), (back.DurationNs, back.WarmupNs, back.Costs));
            Assert.Equal(config.Host.Swap.LatencyMeanNs, back.Host.Swap.LatencyMeanNs);
            Assert.Equal(config.Host.Swap.LatencyHistogram?.Buckets, back.Host.Swap.LatencyHistogram?.Buckets);
            Assert.Equal(config.Guests.Select(g => g.Workload.GetType()), back.Guests.Select(g => g.Workload.GetType()));
        }
    }

    [Property]
    public void SizesRoundTripThroughTheirFormat(NonNegativeInt mantissa, byte unit)
    {
        long bytes = (long)mantissa.Get << (10 * (unit % 4));
        Assert.True(Units.TryParseSize(Units.FormatSize(bytes), out var back));
        Assert.Equal(bytes, back);
    }

    [Property]
    public void DurationsRoundTripThroughTheirFormat(NonNegativeInt ns, byte unit)
    {
        long[] scale = [1, 1_000, 1_000_000, 1_000_000_000];
        long value = ns.Get * scale[unit % 4];
        Assert.True(Units.TryParseDuration(Units.FormatDuration(value), out var back));
        Assert.Equal(value, back);
    }
}
