using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using HvSim.Model.Config;
using HvSim.Scenarios.Planning;

namespace HvSim.Scenarios.Tests;

public class SweepTests
{
    private static Scenario Load(string text)
    {
        using var dir = new TempDir();
        return ScenarioLoader.Load(dir.File("sweep.yaml", text));
    }

    private const string Base = "name: sw\nseed: 11\nhost: {swap: {capacity: 64GiB}}\nguests: {memory: 1GiB, workload: {kind: zipf}}\n";

    [Fact]
    public void GridIsEveryCombinationFirstKeySlowest()
    {
        var s = Load(Base + "sweep:\n  guests.count: [2, 4]\n  host.memory: [8GiB, 16GiB, 32GiB]\n");
        Assert.Equal(6, s.Points.Count);
        var expected = new[] { (2, 8L), (2, 16L), (2, 32L), (4, 8L), (4, 16L), (4, 32L) };
        for (int i = 0; i < 6; i++)
        {
            Assert.Equal(expected[i].Item1, s.Points[i].Template.Guests.Count);
            Assert.Equal(expected[i].Item2 << 30, s.Points[i].Template.Config.Host.MemoryBytes);
            Assert.Equal($"guests.count={expected[i].Item1};host.memory={expected[i].Item2 << 30}", s.Points[i].Key);
        }
    }

    [Fact]
    public void ZipPairsTheIthValues()
    {
        var s = Load(Base + "sweep:\n  mode: zip\n  guests.count: [2, 4, 6]\n  host.swap.device: [ssd, hdd, ssd]\n");
        Assert.Equal(3, s.Points.Count);
        Assert.Equal([2, 4, 6], s.Points.Select(p => p.Template.Guests.Count));
        Assert.Equal(["ssd", "hdd", "ssd"], s.Points.Select(p => p.Template.Config.Host.Swap.Kind));
        // The preset keeps the scenario's own capacity override.
        Assert.All(s.Points, p => Assert.Equal(64L << 30, p.Template.Config.Host.Swap.CapacityBytes));
    }

    [Fact]
    public void SweepReachesWorkloadsAndEveryGuestProfile()
    {
        var s = Load("""
            guests:
              - {name: a, workload: {kind: zipf}}
              - {name: b, workload: {kind: zipf, alpha: 2}}
            sweep:
              guests.workload.alpha: [0.5, 1.5]
            """);
        Assert.Equal([0.5, 0.5], s.Points[0].Template.Guests.Select(g => ((HvSim.Model.Workloads.ZipfWorkload)g.Workload).Alpha));
        Assert.Equal([1.5, 1.5], s.Points[1].Template.Guests.Select(g => ((HvSim.Model.Workloads.ZipfWorkload)g.Workload).Alpha));
    }

    [Fact]
    public void RunsArePointsTimesPlatformsTimesReplications()
    {
        var s = Load(Base.Replace("seed: 11", "seed: 11\nreplications: 3\nplatform: both") + "sweep:\n  guests.count: [1, 2]\n");
        var runs = RunPlanner.Plan(s);
        Assert.Equal(2 * 2 * 3, runs.Count);
        Assert.Equal(runs.Count, runs.Select(r => r.RunId).Distinct().Count());
        Assert.Equal("sw.p000.power7.r1", runs[0].RunId);
        // Both platforms of a point and replication share a seed (paired comparison); replications differ.
        foreach (var g in runs.GroupBy(r => (r.Point.Index, r.Replication)))
            Assert.Single(g.Select(r => r.Seed).Distinct());
        Assert.Equal(2 * 3, runs.Select(r => r.Seed).Distinct().Count());
    }

    /// <summary>The derivation documented in docs/scenarios.md, written out independently.</summary>
    private static ulong DocumentedSeed(ulong seed, string pointKey, int replication)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"hvsim-run-seed/v1\n{seed}\n{pointKey}\n{replication}"));
        return BinaryPrimitives.ReadUInt64LittleEndian(hash);
    }

    [Fact]
    public void SeedsFollowTheDocumentedHash()
    {
        var s = Load(Base.Replace("seed: 11", "seed: 11\nreplications: 2") + "sweep:\n  guests.count: [3]\n  host.memory: [8GiB]\n");
        var runs = RunPlanner.Plan(s);
        Assert.Equal(DocumentedSeed(11, "guests.count=3;host.memory=8589934592", 1), runs[0].Seed);
        Assert.Equal(DocumentedSeed(11, "guests.count=3;host.memory=8589934592", 2), runs[1].Seed);
        Assert.Equal(DocumentedSeed(99, "guests.count=3;host.memory=8589934592", 1), RunPlanner.Plan(s, seedOverride: 99)[0].Seed);
        var plain = Load(Base);
        Assert.Equal(DocumentedSeed(11, "", 1), RunPlanner.Plan(plain)[0].Seed);
    }

    [Fact]
    public void SeedsAreStableWhenPointsAreAdded()
    {
        var small = RunPlanner.Plan(Load(Base + "sweep:\n  guests.count: [2, 4]\n"));
        var large = RunPlanner.Plan(Load(Base + "sweep:\n  guests.count: [1, 2, 3, 4, 8]\n"));
        foreach (var run in small)
        {
            var same = large.Single(r => r.Point.Key == run.Point.Key && r.Replication == run.Replication && r.Platform == run.Platform);
            Assert.Equal(run.Seed, same.Seed);
            Assert.Equal(run.Config, same.Config with { }, ConfigComparer.Instance);
        }
    }

    [Fact]
    public void EquivalentUnitsGiveTheSameSeed()
    {
        var a = RunPlanner.Plan(Load(Base + "sweep:\n  host.memory: [8GiB]\n"));
        var b = RunPlanner.Plan(Load(Base + "sweep:\n  host.memory: [8192MiB]\n"));
        Assert.Equal(a[0].Seed, b[0].Seed);
    }

    private sealed class ConfigComparer : IEqualityComparer<SimulationConfig>
    {
        public static readonly ConfigComparer Instance = new();
        public bool Equals(SimulationConfig? x, SimulationConfig? y) =>
            x!.Seed == y!.Seed && x.Host == y.Host && x.Guests.SequenceEqual(y.Guests) && x.Platform == y.Platform && x.DurationNs == y.DurationNs;
        public int GetHashCode(SimulationConfig obj) => obj.Seed.GetHashCode();
    }
}
