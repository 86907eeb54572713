using HvSim.Analysis.Planning;
using HvSim.Model.Config;

namespace HvSim.Analysis.Tests;

public class GuestMixTests
{
    private static GuestConfig Profile(string name) => new() { Name = name, Workload = null! };

    [Theory]
    // 7 guests at 1:1:1 -> quotas 2.33 each: floors 2,2,2, the one left goes to the first (ties to the earlier profile).
    [InlineData(7, new[] { 1.0, 1.0, 1.0 }, new[] { 3, 2, 2 })]
    // 10 guests at 0.7:0.3 -> 7, 3 exactly.
    [InlineData(10, new[] { 0.7, 0.3 }, new[] { 7, 3 })]
    // 5 guests at 0.5:0.3:0.2 -> quotas 2.5, 1.5, 1.0: floors 2,1,1, remainders .5,.5,0 -> first gets it.
    [InlineData(5, new[] { 0.5, 0.3, 0.2 }, new[] { 3, 1, 1 })]
    // 1 guest at 1:3 -> quotas .25, .75: the larger remainder wins.
    [InlineData(1, new[] { 1.0, 3.0 }, new[] { 0, 1 })]
    public void ApportionsByLargestRemainder(int count, double[] proportions, int[] expected)
    {
        var mix = new GuestMix(proportions.Select((p, i) => new GuestShare(Profile($"p{i}"), p)).ToList());
        Assert.Equal(expected, mix.Apportion(count));
        var guests = mix.Guests(count);
        Assert.Equal(count, guests.Count);
        Assert.Equal(guests.Count, guests.Select(g => g.Name).Distinct().Count());
    }
}
