namespace HvSim.Traces;

/// <summary>
/// The LRU miss-ratio curve of a reference sequence for every capacity at once, from stack distances (Mattson): a
/// reference hits in an LRU cache of C pages iff fewer than C distinct pages were referenced since its previous
/// reference. Distances come from a Fenwick tree over reference times that marks each page's latest reference, so
/// the whole curve costs O(n log n). <see cref="Shards"/> does the same on a spatially hashed sample (Waldspurger et al.,
/// FAST'15, fixed-rate SHARDS with the SHARDS_adj correction) for traces too large to do exactly.
/// </summary>
public sealed class MissRatioCurve
{
    /// <summary>hitsUpTo[d] = (sampled) references with stack distance &lt;= d (1-based distances).</summary>
    private readonly double[] _hitsUpTo;
    /// <summary>References the hit counts are out of: the expected sample size rate·N under SHARDS_adj.</summary>
    private readonly double _total;

    private MissRatioCurve(long[] histogram, long references, long totalReferences, long coldMisses, double rate)
    {
        // SHARDS_adj: a sample that caught more (or fewer) references than rate·N expects is usually off because of
        // one hot page's luck; the difference goes to the smallest distance, where hot pages' reuses sit.
        _total = rate == 1 ? references : rate * totalReferences;
        _hitsUpTo = new double[histogram.Length];
        double running = 0;
        for (int d = 0; d < histogram.Length; d++)
        {
            running += histogram[d];
            if (d == 1) running += _total - references;
            _hitsUpTo[d] = running;
        }
        References = references;
        ColdMisses = coldMisses;
        SamplingRate = rate;
        // Each sampled page's first reference is a cold miss, so they count the sampled pages.
        DistinctPages = (long)Math.Round(coldMisses / rate);
    }

    /// <summary>References the curve was computed from (the sampled ones under SHARDS).</summary>
    public long References { get; }
    /// <summary>First references among <see cref="References"/>: misses at any capacity.</summary>
    public long ColdMisses { get; }
    public double SamplingRate { get; }
    /// <summary>Distinct pages (estimated from the sample under SHARDS): the capacity beyond which only cold misses remain.</summary>
    public long DistinctPages { get; }

    /// <summary>LRU miss ratio of a cache of <paramref name="capacity"/> pages.</summary>
    public double MissRatio(long capacity)
    {
        if (_total <= 0) return 0;
        // A sampled distance d stands for d / rate true distinct pages, so capacities below 1 / rate are not resolved.
        double scaled = Math.Floor(capacity * SamplingRate + 1e-9);
        long maxDistance = (long)Math.Min(scaled, _hitsUpTo.Length - 1);
        double hits = maxDistance < 1 ? 0 : _hitsUpTo[maxDistance];
        return Math.Clamp((_total - hits) / _total, 0, 1);
    }

    /// <summary>Capacities 1 … <see cref="DistinctPages"/>, all of them or at most <paramref name="maxPoints"/> evenly spaced.</summary>
    public IEnumerable<long> Capacities(int maxPoints)
    {
        if (maxPoints < 2) throw new ArgumentOutOfRangeException(nameof(maxPoints), maxPoints, "need at least 2 points");
        long last = Math.Max(DistinctPages, 1);
        long previous = 0;
        for (int i = 0; i < maxPoints; i++)
        {
            long capacity = 1 + (long)Math.Round((double)(last - 1) * i / (maxPoints - 1));
            if (capacity == previous) continue;
            previous = capacity;
            yield return capacity;
        }
    }

    public static MissRatioCurve Exact(int[] pages, int pageCount) => Build(pages, pageCount, pages.Length, 1.0);

    /// <summary>
    /// Fixed-rate SHARDS over references already in memory: keep the pages whose hash falls below
    /// <paramref name="rate"/> of the hash range, compute exact stack distances among their references and scale
    /// distances by 1 / rate.
    /// </summary>
    public static MissRatioCurve Shards(int[] pages, int pageCount, double rate, ulong seed = 0)
    {
        var sampler = new SpatialSampler(rate, seed);
        var remapper = new PageRemapper();
        var sampled = new List<int>();
        foreach (int page in pages)
            if (sampler.Keeps((ulong)page))
                sampled.Add(remapper.Dense((ulong)page));
        return Build([.. sampled], remapper.UniquePages, pages.Length, rate);
    }

    /// <summary>
    /// Fixed-rate SHARDS straight from a trace file: only sampled pages are remapped and only their references kept,
    /// so memory grows with the sample, not with the trace.
    /// </summary>
    public static MissRatioCurve Shards(ITraceReader reader, PageMapping mapping, double rate, ulong seed = 0)
    {
        var sampler = new SpatialSampler(rate, seed);
        var remapper = new PageRemapper();
        var sampled = new List<int>();
        long references = 0;
        var request = new TraceRequest();
        while (reader.Read(ref request))
        {
            var (first, count) = mapping.Pages(request);
            references += count;
            for (long k = 0; k < count; k++)
                if (sampler.Keeps(first + (ulong)k))
                    sampled.Add(remapper.Dense(first + (ulong)k));
        }
        return Build([.. sampled], remapper.UniquePages, references, rate);
    }

    /// <summary>Stack distances of <paramref name="pages"/> (dense ids below <paramref name="pageCount"/>).</summary>
    private static MissRatioCurve Build(int[] pages, int pageCount, long totalReferences, double rate)
    {
        // lastTime[p] = 1-based time of p's latest reference, 0 = not seen yet.
        var lastTime = new int[pageCount];
        var fenwick = new int[pages.Length + 1];
        var histogram = new long[2];
        long cold = 0;
        int time = 0;
        foreach (int page in pages)
        {
            time++;
            int previous = lastTime[page];
            if (previous == 0) cold++;
            else
            {
                // Distinct pages referenced strictly between the two references, plus the page itself.
                int distance = Prefix(fenwick, time - 1) - Prefix(fenwick, previous) + 1;
                if (distance >= histogram.Length) Array.Resize(ref histogram, Math.Max(distance + 1, histogram.Length * 2));
                histogram[distance]++;
                Add(fenwick, previous, -1);
            }
            Add(fenwick, time, 1);
            lastTime[page] = time;
        }
        return new MissRatioCurve(histogram, pages.Length, totalReferences, cold, rate);
    }

    /// <summary>SHARDS' spatial filter: a page is in the sample iff its hash lands in the lowest <c>rate</c> of the range.</summary>
    private readonly struct SpatialSampler
    {
        private const int HashBits = 24;
        private readonly ulong _threshold;
        private readonly ulong _seed;

        public SpatialSampler(double rate, ulong seed)
        {
            if (!(rate > 0 && rate <= 1)) throw new ArgumentOutOfRangeException(nameof(rate), rate, "sampling rate must be > 0 and <= 1");
            _threshold = (ulong)Math.Round(rate * (1UL << HashBits));
            _seed = seed;
        }

        public bool Keeps(ulong page) => Hash(page ^ _seed) >> (64 - HashBits) < _threshold;
    }

    private static int Prefix(int[] tree, int i)
    {
        int sum = 0;
        for (; i > 0; i -= i & -i) sum += tree[i];
        return sum;
    }

    private static void Add(int[] tree, int i, int delta)
    {
        for (; i < tree.Length; i += i & -i) tree[i] += delta;
    }

    private static ulong Hash(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
