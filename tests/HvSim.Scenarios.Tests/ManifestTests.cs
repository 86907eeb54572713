using FsCheck;
using FsCheck.Xunit;
using HvSim.Analysis.Results;
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
