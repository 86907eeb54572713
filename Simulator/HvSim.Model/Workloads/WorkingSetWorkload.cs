using HvSim.Engine;

namespace HvSim.Model.Workloads;

/// <summary>
/// Uniform references over a working set that grows or shrinks: the set is the first
/// <c>f(t)·guest pages</c> pages, with f moving linearly from <see cref="StartFraction"/> to
/// <see cref="EndFraction"/> over <see cref="RampNs"/> from the stream's first access, then staying there.
/// </summary>
public sealed record WorkingSetWorkload : WorkloadSpec
{
    public double StartFraction
    {
        get;
        init => field = value is > 0 and <= 1 ? value
            : throw new ArgumentException($"working-set start fraction must be > 0 and <= 1, got {value}", nameof(StartFraction));
    } = 0.25;

    public double EndFraction
    {
        get;
        init => field = value is > 0 and <= 1 ? value
            : throw new ArgumentException($"working-set end fraction must be > 0 and <= 1, got {value}", nameof(EndFraction));
    } = 1.0;

    /// <summary>Duration of the linear ramp, ns (0 = the end size from the start).</summary>
    public long RampNs
    {
        get;
        init => field = value >= 0 ? value : throw new ArgumentException($"ramp duration must be >= 0 ns, got {value}", nameof(RampNs));
    } = 30_000_000_000;

    /// <summary>Working-set size in pages <paramref name="elapsedNs"/> after the stream started (at least 1).</summary>
    public int SizeAt(long elapsedNs, int guestPages)
    {
        double progress = RampNs == 0 ? 1 : Math.Clamp((double)elapsedNs / RampNs, 0, 1);
        double fraction = StartFraction + (EndFraction - StartFraction) * progress;
        return (int)Math.Clamp(Math.Ceiling(fraction * guestPages), 1, guestPages);
    }

    public override IAccessSource Create(int guestPages, int vcpu, int vcpuCount, RngStream rng) =>
        new SyntheticSource<Choice>(this, new Choice(this, GuestPages.Check(guestPages)), rng);

    /// <summary>Uniform over the working set's size at the time of the draw (a function of time, so nothing to look ahead for or draw ahead).</summary>
    private struct Choice(WorkingSetWorkload spec, int pages) : IPageChoice
    {
        private long _start = -1;

        public readonly bool LooksAhead => false;
        public readonly bool Pure => false;

        public PageDraw Draw(ref RngState rng, long now)
        {
            if (_start < 0) _start = now;
            return new((int)rng.NextBounded((ulong)spec.SizeAt(now - _start, pages)));
        }

        public readonly void Prefetch(in PageDraw draw) { }
        public readonly int Resolve(in PageDraw draw) => draw.Slot;
    }
}
