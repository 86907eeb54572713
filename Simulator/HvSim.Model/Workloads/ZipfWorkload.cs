using System.Runtime.CompilerServices;
using HvSim.Engine;

namespace HvSim.Model.Workloads;

/// <summary>
/// Independent references with Zipf(<see cref="Alpha"/>) popularity over the guest's pages. Ranks are scattered over
/// pages by a permutation seeded with <see cref="LayoutSeed"/> (the same for every vCPU of a guest, so they share one
/// hot set).
/// </summary>
public sealed record ZipfWorkload : WorkloadSpec
{
    public double Alpha
    {
        get;
        init => field = value >= 0 && !double.IsInfinity(value) ? value
            : throw new ArgumentException($"Zipf alpha must be finite and >= 0, got {value}", nameof(Alpha));
    } = 0.9;

    /// <summary>Seed of the rank-to-page scattering.</summary>
    public ulong LayoutSeed { get; init; } = 1;

    public override WorkloadSpec WithLayoutOffset(ulong offset) => this with { LayoutSeed = unchecked(LayoutSeed + offset) };

    /// <summary>
    /// How many of the most popular ranks have their pages worked out once per stream (<see cref="PagePermutation.MapFirst"/>,
    /// 16 KiB): most draws land on one of them (about 96 % at alpha 1.3 over 49,152 pages, a third at alpha 0.9 over
    /// 4 M pages), and a lookup there replaces the permutation's four Feistel rounds.
    /// </summary>
    private const int HotRanks = 4096;

    public override IAccessSource Create(int guestPages, int vcpu, int vcpuCount, RngStream rng)
    {
        var sampler = ZipfSampler.For(GuestPages.Check(guestPages), Alpha);
        var layout = new PagePermutation(guestPages, LayoutSeed);
        return new SyntheticSource<Choice>(this, new Choice(sampler, layout, layout.MapFirst(Math.Min(guestPages, HotRanks))), rng);
    }

    public override IEnumerable<WorkloadTable> Tables(int guestPages) => [ZipfSampler.Table(guestPages, Alpha)];

    /// <summary>
    /// An alias-table draw (<see cref="ZipfSampler.Draw"/>), resolved to a rank by its column and scattered by the layout:
    /// looked up in <paramref name="hotPages"/> (the pages of the first ranks) where the rank has one, else mapped.
    /// </summary>
    private readonly struct Choice(ZipfSampler sampler, PagePermutation layout, int[] hotPages) : IPageChoice
    {
        public bool LooksAhead => true;
        public bool Pure => true;
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public PageDraw Draw(ref RngState rng, long now) => sampler.Draw(ref rng);
        public void Prefetch(in PageDraw draw) => sampler.PrefetchColumn(draw);
        public int Resolve(in PageDraw draw)
        {
            int rank = sampler.Rank(draw);
            return (uint)rank < (uint)hotPages.Length ? hotPages[rank] : layout.Map(rank);
        }
    }
}
