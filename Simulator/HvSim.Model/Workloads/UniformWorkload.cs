using System.Numerics;
using System.Runtime.CompilerServices;
using HvSim.Engine;

namespace HvSim.Model.Workloads;

/// <summary>Independent references, every guest page equally likely.</summary>
public sealed record UniformWorkload : WorkloadSpec
{
    public override IAccessSource Create(int guestPages, int vcpu, int vcpuCount, RngStream rng)
    {
        int pages = GuestPages.Check(guestPages);
        // Guests are usually a power of two pages: the same pages from the same draws, by a shift (RngState.NextBits).
        return pages > 1 && BitOperations.IsPow2(pages)
            ? new SyntheticSource<PowerOfTwoChoice>(this, new PowerOfTwoChoice(BitOperations.Log2((uint)pages)), rng)
            : new SyntheticSource<Choice>(this, new Choice(pages), rng);
    }

    private readonly struct Choice(int pages) : IPageChoice
    {
        public bool LooksAhead => false;
        public bool Pure => true;
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public PageDraw Draw(ref RngState rng, long now) => new((int)rng.NextBounded((ulong)pages));
        public void Prefetch(in PageDraw draw) { }
        public int Resolve(in PageDraw draw) => draw.Slot;
    }

    /// <summary><see cref="Choice"/> for 2^<paramref name="bits"/> pages: NextBounded(2^bits) is NextBits(bits).</summary>
    private readonly struct PowerOfTwoChoice(int bits) : IPageChoice
    {
        public bool LooksAhead => false;
        public bool Pure => true;
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public PageDraw Draw(ref RngState rng, long now) => new((int)rng.NextBits(bits));
        public void Prefetch(in PageDraw draw) { }
        public int Resolve(in PageDraw draw) => draw.Slot;
    }
}
