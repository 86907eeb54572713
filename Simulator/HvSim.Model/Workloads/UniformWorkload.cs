using HvSim.Engine;

namespace HvSim.Model.Workloads;

/// <summary>Independent references, every guest page equally likely.</summary>
public sealed record UniformWorkload : WorkloadSpec
{
    public override IAccessSource Create(int guestPages, int vcpu, int vcpuCount, RngStream rng) =>
        new Source(this, GuestPages.Check(guestPages), rng);

    private sealed class Source(UniformWorkload spec, int pages, RngStream rng) : SyntheticSource(spec, rng)
    {
        protected override int NextPage(long now) => (int)Rng.NextBounded((ulong)pages);
    }
}
