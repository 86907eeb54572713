using HvSim.Model.Config;

namespace HvSim.Analysis.Planning;

/// <summary>
/// Finds the largest guest count (and optionally the smallest host memory) meeting an SLO, by galloping then
/// bisection. Assumes the SLO verdict is monotone: adding guests (or removing memory) never helps. Each
/// configuration runs all its replications once; later searches reuse finished probes.
/// </summary>
public sealed class CapacityPlanner(IPlanEvaluator evaluator, Slo slo, int replications, int maxGuests)
{
    private readonly Dictionary<PlanPoint, Probe> _probes = [];

    public int Replications { get; } = replications >= 1 ? replications : throw new ArgumentOutOfRangeException(nameof(replications), replications, "at least 1");
    public int MaxGuests { get; } = maxGuests >= 1 ? maxGuests : throw new ArgumentOutOfRangeException(nameof(maxGuests), maxGuests, "at least 1");
    public IReadOnlyCollection<Probe> Probes => _probes.Values;

    /// <summary>Replications run at once (the evaluator must then be thread-safe); results do not depend on it.</summary>
    public int Parallelism { get; init; } = 1;

    /// <summary>Called after each new probe, e.g. to print progress.</summary>
    public Action<Probe>? OnProbe { get; init; }

    /// <summary>Evaluates a configuration over all replications, or returns the finished probe.</summary>
    public Probe ProbeAt(PlanPoint point)
    {
        if (_probes.TryGetValue(point, out var done)) return done;
        var results = new ProbeMetrics[Replications];
        Parallel.For(0, Replications, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Parallelism) },
            r => results[r] = evaluator.Evaluate(point, r + 1));
        var probe = _probes[point] = Probe.Judge(point, results, slo) with { Order = _probes.Count + 1 };
        OnProbe?.Invoke(probe);
        return probe;
    }

    /// <summary>
    /// Largest count in [1, MaxGuests] meeting the SLO. From <paramref name="startHint"/> (default 1; e.g. a miss-ratio
    /// curve estimate): gallop up (doubling) while counts pass, or down (halving) while they fail, then bisect
    /// between the largest passing and the smallest failing count, and confirm the count just below the answer passes
    /// too. A good hint saves probes; with an SLO that is monotone in the count any hint gives the same answer.
    /// </summary>
    public PlatformPlan FindMaxGuests(Platform platform, long? hostMemoryBytes = null, int? startHint = null, string? lever = null)
    {
        Probe Try(int n) => ProbeAt(new PlanPoint(platform, n, hostMemoryBytes, lever));
        int start = Math.Clamp(startHint ?? 1, 1, MaxGuests);
        var first = Try(start);
        int good = 0;
        Probe? goodProbe = null, bad = null;
        if (first.MeetsSlo)
        {
            (good, goodProbe) = (start, first);
            while (good < MaxGuests)
            {
                int next = (int)Math.Min((long)good * 2, MaxGuests);
                var p = Try(next);
                if (!p.MeetsSlo) { bad = p; break; }
                (good, goodProbe) = (next, p);
            }
            if (bad is null) return Confirmed(good, goodProbe, null, true);
        }
        else
        {
            bad = first;
            for (int n = start / 2; n >= 1 && goodProbe is null; n /= 2)
            {
                var p = Try(n);
                if (p.MeetsSlo) (good, goodProbe) = (n, p);
                else bad = p;
            }
            if (goodProbe is null) return Finish(platform, hostMemoryBytes, lever, 0, null, bad, false);
        }
        while (bad.Point.Guests - good > 1)
        {
            int mid = good + (bad.Point.Guests - good) / 2;
            var p = Try(mid);
            if (p.MeetsSlo) { good = mid; goodProbe = p; }
            else bad = p;
        }
        return Confirmed(good, goodProbe, bad, false);

        // The search assumes more guests never meet the SLO better, but a bound from a few noisy runs (a p99) can fail at
        // a count below one that passes. An answer stands only when the count just below it passes too; else step down to
        // the next passing count and check again, so the answer is never a lucky count just above a failing one.
        PlatformPlan Confirmed(int answer, Probe? atLimit, Probe? failing, bool cap)
        {
            while (answer > 1)
            {
                var below = Try(answer - 1);
                if (below.MeetsSlo) break;
                (answer, atLimit, failing, cap) = (0, null, below, false);
                for (int n = below.Point.Guests - 1; n >= 1 && atLimit is null; n--)
                {
                    var p = Try(n);
                    if (p.MeetsSlo) (answer, atLimit) = (n, p);
                    else failing = p;
                }
                if (atLimit is null) break;
            }
            return Finish(platform, hostMemoryBytes, lever, answer, atLimit, failing, cap);
        }
    }

    /// <summary>
    /// Smallest host memory, a multiple of <paramref name="stepBytes"/> in [<paramref name="lowBytes"/>, <paramref name="highBytes"/>],
    /// at which <paramref name="guests"/> guests meet the SLO; null when even the highest does not.
    /// </summary>
    public long? FindMinHostMemory(Platform platform, int guests, long lowBytes, long highBytes, long stepBytes)
    {
        long lo = lowBytes / stepBytes, hi = highBytes / stepBytes; // in steps
        if (!ProbeAt(new PlanPoint(platform, guests, hi * stepBytes)).MeetsSlo) return null;
        if (ProbeAt(new PlanPoint(platform, guests, lo * stepBytes)).MeetsSlo) return lo * stepBytes;
        while (hi - lo > 1)
        {
            long mid = lo + (hi - lo) / 2;
            if (ProbeAt(new PlanPoint(platform, guests, mid * stepBytes)).MeetsSlo) hi = mid;
            else lo = mid;
        }
        return hi * stepBytes;
    }

    private PlatformPlan Finish(Platform platform, long? memory, string? lever, int max, Probe? atLimit, Probe? failing, bool cap) =>
        new(platform, max, atLimit, failing,
            _probes.Values.Where(p => p.Point.Platform == platform && p.Point.HostMemoryBytes == memory && p.Point.Lever == lever).OrderBy(p => p.Point.Guests).ToList(), cap);
}
