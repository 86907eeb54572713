using HvSim.Engine;

namespace HvSim.Model.Workloads;

/// <summary>
/// Independent references where <see cref="HotAccessFraction"/> of accesses go, uniformly, to a hot set of
/// <see cref="HotPageFraction"/> of the guest's pages and the rest to the other pages. The hot set is scattered by a
/// permutation seeded with <see cref="LayoutSeed"/>, shared by every vCPU of the guest.
/// </summary>
public sealed record HotColdWorkload : WorkloadSpec
{
    public double HotAccessFraction
    {
        get;
        init => field = value is >= 0 and <= 1 ? value
            : throw new ArgumentException($"hot access fraction must be between 0 and 1, got {value}", nameof(HotAccessFraction));
    } = 0.9;

    public double HotPageFraction
    {
        get;
        init => field = value is > 0 and <= 1 ? value
            : throw new ArgumentException($"hot page fraction must be > 0 and <= 1, got {value}", nameof(HotPageFraction));
    } = 0.1;

    /// <summary>Seed of the scattering of hot pages over the guest.</summary>
    public ulong LayoutSeed { get; init; } = 1;

    public override WorkloadSpec WithLayoutOffset(ulong offset) => this with { LayoutSeed = unchecked(LayoutSeed + offset) };

    /// <summary>Pages in the hot set of a guest of <paramref name="guestPages"/> pages: the fraction rounded up, at least 1.</summary>
    public int HotPages(int guestPages) => (int)Math.Clamp(Math.Ceiling(HotPageFraction * guestPages), 1, guestPages);

    public override IAccessSource Create(int guestPages, int vcpu, int vcpuCount, RngStream rng) =>
        new Source(this, GuestPages.Check(guestPages), HotPages(guestPages), new PagePermutation(guestPages, LayoutSeed), rng);

    private sealed class Source(HotColdWorkload spec, int pages, int hotPages, PagePermutation layout, RngStream rng)
        : SyntheticSource(spec, rng)
    {
        private readonly double _hotAccessFraction = spec.HotAccessFraction;

        protected override int NextPage(long now)
        {
            int coldPages = pages - hotPages;
            int slot = coldPages == 0 || Rng.NextDouble() < _hotAccessFraction
                ? (int)Rng.NextBounded((ulong)hotPages)
                : hotPages + (int)Rng.NextBounded((ulong)coldPages);
            return layout.Map(slot);
        }
    }
}
