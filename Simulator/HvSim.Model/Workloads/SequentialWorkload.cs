using HvSim.Engine;

namespace HvSim.Model.Workloads;

/// <summary>
/// A (strided) scan. The guest's pages are split into one contiguous slice per vCPU, like the threads of a parallel
/// memset; each vCPU visits its slice at offsets 0, Stride, 2·Stride, … then 1, 1 + Stride, … so that one pass touches
/// every page of the slice once.
/// </summary>
public sealed record SequentialWorkload : WorkloadSpec
{
    /// <summary>Distance in pages between consecutive accesses (1 = plain sequential scan).</summary>
    public int Stride
    {
        get;
        init => field = value >= 1 ? value : throw new ArgumentException($"stride must be >= 1 page, got {value}", nameof(Stride));
    } = 1;

    /// <summary>Passes over the slice before the stream ends; 0 = scan forever.</summary>
    public int Passes
    {
        get;
        init => field = value >= 0 ? value : throw new ArgumentException($"passes must be >= 0 (0 = forever), got {value}", nameof(Passes));
    }

    public override IAccessSource Create(int guestPages, int vcpu, int vcpuCount, RngStream rng)
    {
        GuestPages.Check(guestPages);
        if (vcpuCount < 1 || vcpu < 0 || vcpu >= vcpuCount)
            throw new ArgumentOutOfRangeException(nameof(vcpu), vcpu, $"vCPU must be in [0, {vcpuCount})");
        // Slices differ by at most one page; with more vCPUs than pages, the extra vCPUs share the last page.
        long first = (long)guestPages * vcpu / vcpuCount;
        long end = Math.Max(first + 1, (long)guestPages * (vcpu + 1) / vcpuCount);
        first = Math.Min(first, guestPages - 1);
        end = Math.Min(end, guestPages);
        return new SyntheticSource<Choice>(this, new Choice(this, (int)first, (int)(end - first)), rng);
    }

    /// <summary>The scan's position, which a page choice moves on: not a function of random draws, so nothing to predict or draw ahead.</summary>
    private struct Choice(SequentialWorkload spec, int first, int length) : IPageChoice
    {
        private readonly int _stride = Math.Min(spec.Stride, length);
        private readonly int _passes = spec.Passes;
        private int _phase;
        private int _offset;
        private int _passesDone;

        public readonly bool LooksAhead => false;
        public readonly bool Pure => false;
        public readonly void Prefetch(in PageDraw draw) { }
        public readonly int Resolve(in PageDraw draw) => draw.Slot;

        public PageDraw Draw(ref RngState rng, long now) => new(NextPage());

        private int NextPage()
        {
            if (_passes > 0 && _passesDone == _passes) return -1;
            int page = first + _offset;
            _offset += _stride;
            if (_offset >= length)
            {
                _phase++;
                if (_phase == _stride)
                {
                    _phase = 0;
                    _passesDone++;
                }
                _offset = _phase;
            }
            return page;
        }
    }
}
