using HvSim.Analysis.Planning;
using HvSim.Model.Results;

namespace HvSim.Analysis.Progress;

/// <summary>
/// Progress of a plan, weighted by each probe's expected cost (<see cref="RunCost"/> of its configuration, times the
/// replications), as `batch` weighs its runs. A search picks its next probe from the last verdict, so the work left
/// is an estimate from each search's bracket: a guest search between its largest passing and smallest failing count
/// (the cap + 1 while none failed) needs about ⌈log2 width⌉ more probes at the middle count, plus the confirmation of
/// the count below its answer; the memory search likewise over its steps. Finished replications count their whole
/// cost, running ones their simulated fraction; the ETA is the estimated cost left over the measured rate, and never
/// less than the slowest running replication still needs at its own rate (the next probe waits for this one's verdict).
/// </summary>
public sealed class PlanMeter(PlanSpec spec, Func<PlanPoint, double> replicationCost, TimeSpan window) : IProgressMeter
{
    private readonly List<Probe> _probes = [];
    private readonly Dictionary<int, (PlanPoint Point, Func<double>? Fraction)> _running = [];
    private readonly Dictionary<PlanPoint, double> _cost = [];
    private readonly Dictionary<PlanPoint, double> _finishedOf = [];
    private readonly RateWindow _rate = StartedWindow(window);
    /// <summary>Each running replication's own rate: the probe's last replication cannot go faster than that.</summary>
    private readonly Dictionary<int, RateWindow> _own = [];
    private double _finishedCost;

    private static RateWindow StartedWindow(TimeSpan window)
    {
        var rate = new RateWindow(window);
        rate.Add(TimeSpan.Zero, 0);
        return rate;
    }

    public int? Count => null;

    public string Tally
    {
        get
        {
            lock (this)
            {
                if (_probes.Count == 0) return "first probe";
                var last = _probes[^1].Point;
                return $"{_probes.Count} probe{(_probes.Count == 1 ? "" : "s")} done, last {(last.Lever is { } lever ? lever + " " : "")}{HvSim.Scenarios.Language.ScenarioKeys.PlatformName(last.Platform)} " +
                    $"{last.Guests} {PlatformPlan.GuestNoun(last.Guests)}: {(_probes[^1].MeetsSlo ? "pass" : "fail")}";
            }
        }
    }

    /// <summary>Replication <paramref name="run"/> (a display's key) of the probe at <paramref name="point"/> is about to run.</summary>
    public void Running(int run, PlanPoint point)
    {
        lock (this) _running[run] = (point, null);
    }

    public void Started(int run, RunProgress live) => Started(run, () => live.Read().Fraction);

    /// <summary>Replication <paramref name="run"/> started; <paramref name="fraction"/> says how far it has got (0 to 1).</summary>
    internal void Started(int run, Func<double> fraction)
    {
        lock (this)
            if (_running.TryGetValue(run, out var r))
            {
                _running[run] = (r.Point, fraction);
                _own[run] = new RateWindow(window);
            }
    }

    public void Finished(int run)
    {
        lock (this)
            if (_running.Remove(run, out var r))
            {
                _own.Remove(run);
                _finishedCost += CostOf(r.Point);
                _finishedOf[r.Point] = _finishedOf.GetValueOrDefault(r.Point) + CostOf(r.Point);
            }
    }

    public void ProbeDone(Probe probe)
    {
        lock (this) _probes.Add(probe);
    }

    public (double Fraction, TimeSpan? Remaining) Sample(TimeSpan wall)
    {
        double done, total;
        TimeSpan? longestRunning = null;
        lock (this)
        {
            var running = _running.Where(r => r.Value.Fraction is not null)
                .Select(r => (Run: r.Key, r.Value.Point, Done: r.Value.Fraction!() * CostOf(r.Value.Point))).ToList();
            done = _finishedCost + running.Sum(r => r.Done);
            // The brackets count a probe still running at its whole cost: take off what of it is done.
            double ofUnfinishedProbes = _finishedOf.Where(f => !_probes.Any(p => p.Point == f.Key)).Sum(f => f.Value) + running.Sum(r => r.Done);
            total = done + Math.Max(0, EstimatedCostLeft() - ofUnfinishedProbes);
            // The next probe waits for this one's verdict, so the plan needs at least what its slowest running
            // replication still needs at its own rate (the workers' pooled rate says less when one is left).
            foreach (var r in running)
            {
                var own = _own[r.Run];
                own.Add(wall, r.Done);
                if (own.Remaining(CostOf(r.Point)) is { } left && (longestRunning is null || left > longestRunning)) longestRunning = left;
            }
        }
        lock (_rate)
        {
            _rate.Add(wall, done);
            var all = _rate.Remaining(total);
            return (total <= 0 ? 1 : done / total, all is { } a && longestRunning is { } l && l > a ? l : all);
        }
    }

    /// <summary>Whole cost of the probes not finished: those the searches' brackets still need, a running one included.</summary>
    internal double EstimatedCostLeft()
    {
        lock (this) return spec.Searches.Sum(s => GuestSearchLeft(s.Platform, s.Lever)) + (spec.Memory is { } q ? MemorySearchLeft(q) : 0);
    }

    private double GuestSearchLeft(HvSim.Model.Config.Platform platform, string? lever)
    {
        var done = _probes.Where(p => p.Point.Platform == platform && p.Point.Lever == lever && p.Point.HostMemoryBytes is null).ToList();
        int good = done.Where(p => p.MeetsSlo).Select(p => p.Point.Guests).DefaultIfEmpty(0).Max();
        int bad = done.Where(p => !p.MeetsSlo && p.Point.Guests > good).Select(p => p.Point.Guests).DefaultIfEmpty(spec.MaxGuests + 1).Min();
        if (bad == 1) return 0; // not even one guest meets the SLO
        int probes = good == spec.MaxGuests ? 0 : CeilLog2(bad - good);
        if (good > 1 && !done.Any(p => p.Point.Guests == good - 1)) probes++; // the confirmation
        if (probes == 0) return 0;
        int middle = Math.Clamp(good + (Math.Min(bad, spec.MaxGuests + 1) - good) / 2, 1, spec.MaxGuests);
        return probes * ProbeCost(new PlanPoint(platform, middle, null, lever));
    }

    private double MemorySearchLeft(MemoryQuestion q)
    {
        var done = _probes.Where(p => p.Point.HostMemoryBytes is not null).ToList();
        long lo = q.FromBytes / q.StepBytes, hi = q.ToBytes / q.StepBytes;
        int probes;
        if (done.Count == 0) probes = PlanRunner.MaxMemorySearchProbes(q);
        else if (done.Any(p => p.Point.HostMemoryBytes == hi * q.StepBytes && !p.MeetsSlo)
                 || done.Any(p => p.Point.HostMemoryBytes == lo * q.StepBytes && p.MeetsSlo)) probes = 0;
        else
        {
            bool loProbed = done.Any(p => p.Point.HostMemoryBytes == lo * q.StepBytes);
            long passing = done.Where(p => p.MeetsSlo).Min(p => p.Point.HostMemoryBytes!.Value / q.StepBytes);
            long failing = done.Where(p => !p.MeetsSlo).Select(p => p.Point.HostMemoryBytes!.Value / q.StepBytes).DefaultIfEmpty(lo).Max();
            probes = (loProbed ? 0 : 1) + CeilLog2(passing - failing);
        }
        return probes * ProbeCost(new PlanPoint(q.Platform, q.Guests, (lo + hi) / 2 * q.StepBytes));
    }

    private double ProbeCost(PlanPoint point) => CostOf(point) * spec.Replications;

    private double CostOf(PlanPoint point)
    {
        if (!_cost.TryGetValue(point, out double c)) _cost[point] = c = replicationCost(point);
        return c;
    }

    private static int CeilLog2(long n) => n <= 1 ? 0 : System.Numerics.BitOperations.Log2((ulong)(n - 1)) + 1;
}
