using HvSim.Engine;

namespace HvSim.Model.Workloads;

/// <summary>One guest memory access produced by a workload.</summary>
public struct GuestAccess
{
    /// <summary>Guest page number in [0, guest pages), at the guest's page size.</summary>
    public int Page;
    public bool IsWrite;
    /// <summary>Guest compute time before this access, in ns.</summary>
    public long ThinkNs;
}

/// <summary>A per-vCPU stream of guest accesses. Implementations allocate nothing per access.</summary>
public interface IAccessSource
{
    /// <summary>Produce the next access at simulated time <paramref name="now"/>; false when the stream has ended.</summary>
    bool Next(long now, ref GuestAccess access);

    /// <summary>
    /// Puts the stream's next accesses at <paramref name="now"/> into <paramref name="window"/> (see <see cref="AccessWindow"/>);
    /// false when the stream has ended. Unless a stream can draw ahead, one access, as <see cref="Next"/> makes it.
    /// </summary>
    bool Fill(long now, AccessWindow window) => window.FillOne(this, now);
}

/// <summary>A workload description from a scenario; creates one access source per vCPU.</summary>
public abstract record WorkloadSpec
{
    /// <summary>Fraction of accesses that are stores (they dirty the page, which changes writeback).</summary>
    public double WriteFraction
    {
        get;
        init => field = value is >= 0 and <= 1 ? value
            : throw new ArgumentException($"write fraction must be between 0 and 1, got {value}", nameof(WriteFraction));
    } = 0.3;
    /// <summary>Mean guest compute time between accesses, ns (exponentially distributed; 0 = back to back).</summary>
    public long ThinkNs
    {
        get;
        init => field = value >= 0 ? value : throw new ArgumentException($"think time must be >= 0 ns, got {value}", nameof(ThinkNs));
    }

    public abstract IAccessSource Create(int guestPages, int vcpu, int vcpuCount, RngStream rng);

    /// <summary>
    /// This workload for guest i of a profile (`count:`), its page layout seeded layout_seed + i, so identical guests do
    /// not all put their hot pages at the same guest addresses; workloads without a layout are the same for every guest.
    /// </summary>
    public virtual WorkloadSpec WithLayoutOffset(ulong offset) => this;

    /// <summary>The workloads nested in this one, in order (a phased workload's phases, a mix's streams).</summary>
    public virtual IEnumerable<WorkloadSpec> Nested => [];

    /// <summary>
    /// One source per <see cref="Nested"/> workload for this vCPU, in order, each with its own random stream seeded
    /// from <paramref name="rng"/> and named <paramref name="streamName"/> and its position ("phase0", "mix1").
    /// </summary>
    protected IAccessSource[] CreateNested(int guestPages, int vcpu, int vcpuCount, RngStream rng, string streamName) =>
        Nested.Select((w, i) => w.Create(guestPages, vcpu, vcpuCount, new RngStream(rng.NextUInt64(), streamName + i))).ToArray();

    /// <summary>Mean think time over the whole stream, ns (a mix or phased workload averages its parts).</summary>
    public virtual long MeanThinkNs => ThinkNs;

    /// <summary>
    /// The lookup tables <see cref="Create"/> builds for a guest of <paramref name="guestPages"/> pages, for the
    /// memory estimate: tables with equal keys are one table shared by every stream that uses it.
    /// </summary>
    public virtual IEnumerable<WorkloadTable> Tables(int guestPages) => [];
}

/// <summary>
/// One table a workload keeps in memory while it runs: a key (equal keys are one shared table), the bytes it keeps, and
/// the bytes it needs only while it is built (tables are built one at a time, so only the largest such peak adds up).
/// </summary>
public readonly record struct WorkloadTable(object Key, long Bytes, long BuildBytes = 0);
