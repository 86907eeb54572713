using HvSim.Model.Config;

namespace HvSim.Analysis.Planning;

/// <summary>One guest profile of a plan and its share of the guests.</summary>
public sealed record GuestShare(GuestConfig Profile, double Proportion);

/// <summary>The guest profiles a plan places on the host, in proportions; builds the guest list for any count.</summary>
public sealed class GuestMix
{
    public IReadOnlyList<GuestShare> Shares { get; }

    public GuestMix(IReadOnlyList<GuestShare> shares)
    {
        if (shares.Count == 0) throw new ArgumentException("a guest mix needs at least one profile", nameof(shares));
        if (shares.Any(s => !(s.Proportion > 0))) throw new ArgumentException("every proportion must be > 0", nameof(shares));
        Shares = shares;
    }

    /// <summary>
    /// How many guests of each profile make up <paramref name="count"/> guests: largest remainder (Hamilton)
    /// apportionment of the proportions, ties to the earlier profile, so the counts always add up exactly.
    /// </summary>
    public int[] Apportion(int count)
    {
        double total = Shares.Sum(s => s.Proportion);
        var quotas = Shares.Select(s => count * s.Proportion / total).ToArray();
        var counts = quotas.Select(q => (int)Math.Floor(q)).ToArray();
        int left = count - counts.Sum();
        foreach (int i in Enumerable.Range(0, quotas.Length).OrderByDescending(i => quotas[i] - counts[i]).ThenBy(i => i).Take(left))
            counts[i]++;
        return counts;
    }

    /// <summary><paramref name="count"/> guests, profiles in order, named as scenario files name them: PROFILE0, PROFILE1, … (PROFILE alone when one).</summary>
    public List<GuestConfig> Guests(int count)
    {
        var counts = Apportion(count);
        var guests = new List<GuestConfig>(count);
        for (int p = 0; p < Shares.Count; p++)
            for (int k = 0; k < counts[p]; k++)
                guests.Add(Shares[p].Profile with { Name = counts[p] == 1 ? Shares[p].Profile.Name : $"{Shares[p].Profile.Name}{k}" });
        return guests;
    }
}
