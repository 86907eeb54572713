using HvSim.Engine;

namespace HvSim.Model.Workloads;

/// <summary>
/// What every synthetic stream shares: a page choice from the subclass, then a load/store draw with the spec's write
/// fraction and an exponential think time with the spec's mean.
/// </summary>
internal abstract class SyntheticSource(WorkloadSpec spec, RngStream rng) : IAccessSource
{
    protected readonly RngStream Rng = rng;
    private readonly double _writeFraction = spec.WriteFraction;
    private readonly double _thinkNs = spec.ThinkNs;

    public bool Next(long now, ref GuestAccess access)
    {
        int page = NextPage(now);
        if (page < 0) return false;
        access.Page = page;
        access.IsWrite = _writeFraction > 0 && Rng.NextDouble() < _writeFraction;
        access.ThinkNs = _thinkNs > 0 ? (long)Math.Round(Rng.NextExponential(_thinkNs)) : 0;
        return true;
    }

    /// <summary>The next guest page, or -1 when the stream has ended.</summary>
    protected abstract int NextPage(long now);
}
