using HvSim.Engine;

namespace HvSim.Model.Workloads;

/// <summary>One phase of a <see cref="PhasedWorkload"/>: a workload that runs for a while (<paramref name="DurationNs"/> &gt; 0; a phase whose stream ends earlier ends then).</summary>
public sealed record WorkloadPhase(WorkloadSpec Workload, long DurationNs)
{
    public WorkloadSpec Workload { get; init; } = Workload ?? throw new ArgumentException("a phase needs a workload", nameof(Workload));
    public long DurationNs { get; init; } = DurationNs > 0 ? DurationNs : throw new ArgumentException($"phase duration must be > 0 ns, got {DurationNs}", nameof(DurationNs));
}

/// <summary>
/// Workloads one after another (e.g. boot → steady → batch job), each for its duration, optionally repeated. Each
/// phase keeps its own write fraction and think time; this record's own base parameters are not used. Each phase's
/// stream is created once and resumes where it stopped when <see cref="Loop"/> brings it back.
/// </summary>
public sealed record PhasedWorkload : WorkloadSpec
{
    public required IReadOnlyList<WorkloadPhase> Phases
    {
        get;
        init => field = value is { Count: > 0 } && value.All(p => p is not null) ? [.. value]
            : throw new ArgumentException("a phased workload needs at least one phase", nameof(Phases));
    }

    /// <summary>Start again with the first phase after the last; otherwise the stream ends after it.</summary>
    public bool Loop { get; init; }

    public override WorkloadSpec WithLayoutOffset(ulong offset) =>
        this with { Phases = Phases.Select(p => p with { Workload = p.Workload.WithLayoutOffset(offset) }).ToList() };

    public override IEnumerable<WorkloadSpec> Nested => Phases.Select(p => p.Workload);

    public override IAccessSource Create(int guestPages, int vcpu, int vcpuCount, RngStream rng)
    {
        var sources = CreateNested(guestPages, vcpu, vcpuCount, rng, "phase");
        return new Source(sources, Phases.Select(p => p.DurationNs).ToArray(), Loop);
    }

    public override long MeanThinkNs =>
        (long)Math.Round(Phases.Sum(p => (double)p.DurationNs * p.Workload.MeanThinkNs) / Phases.Sum(p => (double)p.DurationNs));

    public override IEnumerable<WorkloadTable> Tables(int guestPages) => Phases.SelectMany(p => p.Workload.Tables(guestPages));

    private sealed class Source(IAccessSource[] phases, long[] durations, bool loop) : IAccessSource
    {
        private int _current;
        private long _phaseStart = -1;
        private bool _ended;

        public bool Next(long now, ref GuestAccess access)
        {
            if (_ended) return false;
            if (_phaseStart < 0) _phaseStart = now;
            int endedEarly = 0;
            while (true)
            {
                if (now - _phaseStart >= durations[_current])
                {
                    if (!Advance(_phaseStart + durations[_current])) return false;
                    continue;
                }
                if (phases[_current].Next(now, ref access)) return true;
                // Every phase's stream has ended: nothing can produce an access any more.
                if (++endedEarly > phases.Length || !Advance(now))
                {
                    _ended = true;
                    return false;
                }
            }
        }

        private bool Advance(long phaseStart)
        {
            _phaseStart = phaseStart;
            if (++_current < phases.Length) return true;
            _current = 0;
            _ended = !loop;
            return loop;
        }
    }
}
