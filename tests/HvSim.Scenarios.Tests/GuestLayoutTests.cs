using HvSim.Model.Workloads;

namespace HvSim.Scenarios.Tests;

/// <summary>Guests of one `count:` profile get layout_seed + i (docs/scenarios.md, "Guests of one profile").</summary>
public class GuestLayoutTests
{
    private static IReadOnlyList<HvSim.Model.Config.GuestConfig> Guests(string text)
    {
        using var dir = new TempDir();
        return ScenarioLoader.Load(dir.File("s.yaml", text)).Points.Single().Template.Guests;
    }

    [Fact]
    public void ZipfGuestsOfOneProfileGetConsecutiveLayoutSeeds()
    {
        var guests = Guests("guests: {count: 3, workload: {kind: zipf, alpha: 1.3, layout_seed: 7}}\n");
        Assert.Equal([7UL, 8UL, 9UL], guests.Select(g => ((ZipfWorkload)g.Workload).LayoutSeed));
        Assert.All(guests, g => Assert.Equal(1.3, ((ZipfWorkload)g.Workload).Alpha));
    }

    [Fact]
    public void DefaultSeedGivesGuestIndexPlusOne()
    {
        var guests = Guests("guests: {count: 4, workload: {kind: hotcold}}\n");
        Assert.Equal([1UL, 2UL, 3UL, 4UL], guests.Select(g => ((HotColdWorkload)g.Workload).LayoutSeed));
    }

    [Fact]
    public void EachProfileCountsFromItsOwnSeedAndASingleGuestKeepsItsSeed()
    {
        var guests = Guests("""
            guests:
              - {name: a, count: 2, workload: {kind: zipf, layout_seed: 10}}
              - {name: b, workload: {kind: zipf, layout_seed: 10}}
            """);
        Assert.Equal(["a0", "a1", "b"], guests.Select(g => g.Name));
        Assert.Equal([10UL, 11UL, 10UL], guests.Select(g => ((ZipfWorkload)g.Workload).LayoutSeed));
    }

    [Fact]
    public void NestedWorkloadsAreOffsetToo()
    {
        var guests = Guests("""
            guests:
              count: 2
              workload:
                kind: phased
                phases:
                  - {duration: 1s, workload: {kind: zipf, layout_seed: 5}}
                  - {duration: 1s, workload: {kind: mix, streams: [{weight: 1, workload: {kind: hotcold, layout_seed: 20}}, {weight: 1, workload: {kind: uniform}}]}}
            """);
        var second = (PhasedWorkload)guests[1].Workload;
        Assert.Equal(6UL, ((ZipfWorkload)second.Phases[0].Workload).LayoutSeed);
        var mix = (MixWorkload)second.Phases[1].Workload;
        Assert.Equal(21UL, ((HotColdWorkload)mix.Streams[0].Workload).LayoutSeed);
        Assert.Equal(new UniformWorkload(), mix.Streams[1].Workload);
        Assert.Equal(5UL, ((ZipfWorkload)((PhasedWorkload)guests[0].Workload).Phases[0].Workload).LayoutSeed);
    }
}
