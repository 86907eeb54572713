using System.Runtime.CompilerServices;
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
        new SyntheticSource<Choice>(this, new Choice(GuestPages.Check(guestPages), HotPages(guestPages), HotAccessFraction,
            new PagePermutation(guestPages, LayoutSeed)), rng);

    /// <summary>A slot of the hot set (the first hot pages slots) or of the cold rest, scattered over the guest by the layout.</summary>
    private readonly struct Choice(int pages, int hotPages, double hotAccessFraction, PagePermutation layout) : IPageChoice
    {
        public bool LooksAhead => false;
        public bool Pure => true;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public PageDraw Draw(ref RngState rng, long now)
        {
            int coldPages = pages - hotPages;
            return new(coldPages == 0 || rng.NextDouble() < hotAccessFraction
                ? (int)rng.NextBounded((ulong)hotPages)
                : hotPages + (int)rng.NextBounded((ulong)coldPages));
        }

        public void Prefetch(in PageDraw draw) { }
        public int Resolve(in PageDraw draw) => layout.Map(draw.Slot);
    }
}
