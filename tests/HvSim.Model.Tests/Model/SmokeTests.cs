using HvSim.Model.Config;

namespace HvSim.Model.Tests.Model;

public class SmokeTests
{
    [Fact]
    public void OvercommittedPower7PagesAndKeepsInvariants()
    {
        var r = SimulationRunner.Run(ModelKit.Small(check: true));
        Assert.All(r.Guests, g => Assert.True(g.Admitted));
        Assert.True(r.Guests.Sum(g => g.MajorFaults) > 0);
        Assert.True(r.Guests.Sum(g => g.UnmapHvaCalls) > 0);
    }
}
