using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using HvSim.Engine;

namespace HvSim.Model.Workloads;

/// <summary>
/// Exact Zipf(alpha) over ranks [0, n) (rank r has probability proportional to 1 / (r + 1)^alpha), drawn in O(1) with
/// Vose's alias table. Tables are immutable and shared by every stream with the same (n, alpha), because one guest's
/// vCPUs all need the same one and a table costs 12 bytes per page.
/// </summary>
public sealed class ZipfSampler
{
    private static readonly Dictionary<(int, double), WeakReference<ZipfSampler>> Shared = [];

    /// <summary>
    /// One column of the alias table: its own rank's probability and the alias, side by side (12 bytes), so that a draw,
    /// which picks a column uniformly at random, reads one cache line rather than one in each of two arrays.
    /// </summary>
    [StructLayout(LayoutKind.Sequential, Pack = 4)]
    private struct Column
    {
        public double Probability;
        public int Alias;
    }

    private readonly Column[] _columns;
    private readonly double _normaliser;

    private ZipfSampler(int n, double alpha)
    {
        Count = n;
        Alpha = alpha;
        // The scratch arrays are written before they are read (weight in full, the work lists up to their counts).
        var weight = GC.AllocateUninitializedArray<double>(n);
        double sum = 0;
        // Smallest terms first, so the sum loses as little precision as possible.
        for (int r = n - 1; r >= 0; r--)
        {
            weight[r] = Math.Pow(r + 1, -alpha);
            sum += weight[r];
        }
        _normaliser = sum;
        _columns = HugePages.NewArray<Column>(n);
        var small = GC.AllocateUninitializedArray<int>(n);
        var large = GC.AllocateUninitializedArray<int>(n);
        int smallCount = 0, largeCount = 0;
        for (int r = 0; r < n; r++)
        {
            weight[r] = weight[r] * n / sum;
            if (weight[r] < 1) small[smallCount++] = r;
            else large[largeCount++] = r;
        }
        while (smallCount > 0 && largeCount > 0)
        {
            int s = small[--smallCount], l = large[--largeCount];
            _columns[s] = new Column { Probability = weight[s], Alias = l };
            weight[l] = weight[l] + weight[s] - 1;
            if (weight[l] < 1) small[smallCount++] = l;
            else large[largeCount++] = l;
        }
        // Leftovers are 1 up to rounding.
        while (largeCount > 0) _columns[large[--largeCount]].Probability = 1;
        while (smallCount > 0) _columns[small[--smallCount]].Probability = 1;
    }

    public int Count { get; }
    public double Alpha { get; }

    /// <summary>The table for (n, alpha), built once and shared while anyone holds it.</summary>
    public static ZipfSampler For(int n, double alpha)
    {
        if (n < 1) throw new ArgumentOutOfRangeException(nameof(n), n, "Zipf needs at least one rank");
        if (!(alpha >= 0) || double.IsInfinity(alpha)) throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "Zipf alpha must be finite and >= 0");
        lock (Shared)
        {
            if (Shared.TryGetValue((n, alpha), out var weak) && weak.TryGetTarget(out var table)) return table;
            table = new ZipfSampler(n, alpha);
            Shared[(n, alpha)] = new WeakReference<ZipfSampler>(table);
            return table;
        }
    }

    /// <summary>Bytes the alias table keeps per rank: a probability (double) and an alias (int).</summary>
    public const int BytesPerRank = sizeof(double) + sizeof(int);

    /// <summary>Bytes per rank needed only while the table is built: the weights (double) and the small and large worklists (int each).</summary>
    public const int BuildBytesPerRank = sizeof(double) + 2 * sizeof(int);

    /// <summary>The table <see cref="For"/> keeps for (n, alpha), as the memory estimate counts it (one per distinct key).</summary>
    public static WorkloadTable Table(int n, double alpha) => new((typeof(ZipfSampler), n, alpha), (long)n * BytesPerRank, (long)n * BuildBytesPerRank);

    /// <summary>Probability of rank <paramref name="rank"/>.</summary>
    public double Pmf(int rank) => Math.Pow(rank + 1, -Alpha) / _normaliser;

    /// <summary>A rank drawn from <paramref name="rng"/>.</summary>
    public int Sample(RngStream rng) => Rank(Draw(ref rng.State));

    /// <summary>The random part of a draw: a uniform column and how far into it (the fraction that picks its rank or its alias).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal PageDraw Draw(ref RngState rng)
    {
        double u = rng.NextDouble() * Count;
        // u is in [0, Count] (the product can round up to Count), where the processor's own truncation (cvttsd2si)
        // gives what the saturating cast gives, without the cast's range checks.
        int column = Math.Min(double.ConvertToIntegerNative<int>(u), Count - 1);
        return new PageDraw(column, u - column);
    }

    /// <summary>The rank <paramref name="draw"/> lands on: its column's own rank, or the column's alias.</summary>
    internal int Rank(in PageDraw draw)
    {
        ref readonly var c = ref _columns[draw.Slot];
        return draw.Fraction < c.Probability ? draw.Slot : c.Alias;
    }

    /// <summary>A hint that <see cref="Rank"/> will soon read <paramref name="draw"/>'s column (<see cref="CacheHint"/>).</summary>
    internal void PrefetchColumn(in PageDraw draw) => CacheHint.Prefetch(in _columns[draw.Slot]);
}
