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
        new Source(this, ZipfSampler.For(GuestPages.Check(guestPages), Alpha), new PagePermutation(guestPages, LayoutSeed), rng);

    public override IEnumerable<WorkloadTable> Tables(int guestPages) => [ZipfSampler.Table(guestPages, Alpha)];

    private sealed class Source(ZipfWorkload spec, ZipfSampler sampler, PagePermutation layout, RngStream rng) : SyntheticSource(spec, rng)
    {
        protected override int NextPage(long now) => layout.Map(sampler.Sample(Rng));
    }
}
