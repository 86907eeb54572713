using System.Runtime.CompilerServices;
using HvSim.Engine;

namespace HvSim.Model.Workloads;

/// <summary>Independent references, every guest page equally likely.</summary>
public sealed record UniformWorkload : WorkloadSpec
{
    public override IAccessSource Create(int guestPages, int vcpu, int vcpuCount, RngStream rng) =>
        new SyntheticSource<Choice>(this, new Choice(GuestPages.Check(guestPages)), rng);

    private readonly struct Choice(int pages) : IPageChoice
    {
        public bool LooksAhead => false;
        public bool Pure => true;
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public PageDraw Draw(ref RngState rng, long now) => new((int)rng.NextBounded((ulong)pages));
        public void Prefetch(in PageDraw draw) { }
        public int Resolve(in PageDraw draw) => draw.Slot;
    }
}
