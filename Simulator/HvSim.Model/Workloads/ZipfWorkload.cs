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

    public override IAccessSource Create(int guestPages, int vcpu, int vcpuCount, RngStream rng) =>
        new SyntheticSource<Choice>(this, new Choice(ZipfSampler.For(GuestPages.Check(guestPages), Alpha), new PagePermutation(guestPages, LayoutSeed)), rng);

    public override IEnumerable<WorkloadTable> Tables(int guestPages) => [ZipfSampler.Table(guestPages, Alpha)];

    /// <summary>An alias-table draw (<see cref="ZipfSampler.Draw"/>), resolved to a rank by its column and scattered by the layout.</summary>
    private readonly struct Choice(ZipfSampler sampler, PagePermutation layout) : IPageChoice
    {
        public bool LooksAhead => true;
        public bool Pure => true;
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public PageDraw Draw(ref RngState rng, long now) => sampler.Draw(ref rng);
        public void Prefetch(in PageDraw draw) => sampler.PrefetchColumn(draw);
        public int Resolve(in PageDraw draw) => layout.Map(sampler.Rank(draw));
    }
}
