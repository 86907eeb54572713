using HvSim.Engine;

namespace HvSim.Model.Workloads;

/// <summary>One stream of a <see cref="MixWorkload"/> with its relative share of accesses (<paramref name="Weight"/> &gt; 0; weights need not sum to 1).</summary>
public sealed record MixStream(WorkloadSpec Workload, double Weight)
{
    public WorkloadSpec Workload { get; init; } = Workload ?? throw new ArgumentException("a mix stream needs a workload", nameof(Workload));
    public double Weight { get; init; } = Weight > 0 && double.IsFinite(Weight) ? Weight
        : throw new ArgumentException($"mix weight must be a finite number > 0, got {Weight}", nameof(Weight));
}

/// <summary>
/// Several streams interleaved at random in proportion to their weights (a per-guest mix). Each access comes from
/// one stream with that stream's write fraction and think time; this record's own base parameters are not used.
/// A stream that ends drops out of the mix; the mix ends when all have.
/// </summary>
public sealed record MixWorkload : WorkloadSpec
{
    public required IReadOnlyList<MixStream> Streams
    {
        get;
        init => field = value is { Count: > 0 } && value.All(s => s is not null) ? [.. value]
            : throw new ArgumentException("a mix workload needs at least one stream", nameof(Streams));
    }

    public override WorkloadSpec WithLayoutOffset(ulong offset) =>
        this with { Streams = Streams.Select(s => s with { Workload = s.Workload.WithLayoutOffset(offset) }).ToList() };

    public override IEnumerable<WorkloadSpec> Nested => Streams.Select(s => s.Workload);

    public override IAccessSource Create(int guestPages, int vcpu, int vcpuCount, RngStream rng)
    {
        var sources = CreateNested(guestPages, vcpu, vcpuCount, rng, "mix");
        return new Source(sources, Streams.Select(s => s.Weight).ToArray(), rng);
    }

    public override long MeanThinkNs => (long)Math.Round(Streams.Sum(s => s.Weight * s.Workload.MeanThinkNs) / Streams.Sum(s => s.Weight));

    public override IEnumerable<WorkloadTable> Tables(int guestPages) => Streams.SelectMany(s => s.Workload.Tables(guestPages));

    private sealed class Source(IAccessSource[] streams, double[] weights, RngStream rng) : IAccessSource
    {
        private double _total = weights.Sum();

        public bool Next(long now, ref GuestAccess access)
        {
            while (_total > 0)
            {
                int pick = Pick(rng.NextDouble() * _total);
                if (streams[pick].Next(now, ref access)) return true;
                weights[pick] = 0;
                _total = weights.Sum();
            }
            return false;
        }

        private int Pick(double u)
        {
            int last = 0;
            for (int i = 0; i < weights.Length; i++)
            {
                if (weights[i] == 0) continue;
                if (u < weights[i]) return i;
                u -= weights[i];
                last = i;
            }
            // Rounding left u just above the last live stream's weight.
            return last;
        }
    }
}
