using HvSim.Analysis.Tables;

namespace HvSim.Analysis.Planning;

/// <summary>
/// Fast pre-estimate of the guest count from one guest's miss-ratio curve (mrc.csv of `hvsim mrc`): with N guests
/// sharing the host's usable memory evenly, each holds usable / N bytes; the estimate is the largest N whose share
/// still keeps the guest's miss ratio at or below a target. It only picks where the search starts; the simulation decides.
/// </summary>
public static class MrcEstimate
{
    /// <summary>Miss ratio at <paramref name="capacityPages"/>: linear between the curve's points, flat beyond its ends.</summary>
    public static double MissRatio(IReadOnlyList<MrcRecord> curve, double capacityPages)
    {
        if (curve.Count == 0) throw new ArgumentException("empty miss-ratio curve", nameof(curve));
        var sorted = curve.OrderBy(p => p.Capacity).ToList();
        if (capacityPages <= sorted[0].Capacity) return sorted[0].MissRatio;
        for (int i = 1; i < sorted.Count; i++)
            if (capacityPages <= sorted[i].Capacity)
            {
                var (a, b) = (sorted[i - 1], sorted[i]);
                return a.MissRatio + (b.MissRatio - a.MissRatio) * (capacityPages - a.Capacity) / (b.Capacity - a.Capacity);
            }
        return sorted[^1].MissRatio;
    }

    /// <summary>Largest N in [1, maxGuests] with MissRatio(usable / N / page) ≤ target; 1 when none.</summary>
    public static int MaxGuests(IReadOnlyList<MrcRecord> curve, long usableBytes, long pageBytes, double missRatioTarget, int maxGuests)
    {
        int best = 1;
        for (int n = 1; n <= maxGuests; n++)
            if (MissRatio(curve, usableBytes / (double)n / pageBytes) <= missRatioTarget) best = n;
            else break;
        return best;
    }
}
