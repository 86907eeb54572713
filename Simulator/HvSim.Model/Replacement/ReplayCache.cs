namespace HvSim.Model.Replacement;

/// <summary>
/// Demand caching over one policy with libCacheSim <c>cachesim --ignore-obj-size 1</c> semantics: every page is one
/// slot, a hit updates policy state, a miss evicts one page at a time until there is room and then inserts, no
/// warm-up. It also stands in for the PTE young bit: a hit sets the page's referenced bit, the policy's
/// page_referenced() test-and-clears it, and a newly inserted page starts with it clear.
/// </summary>
public sealed class ReplayCache : IReferenceOracle
{
    private readonly IReplacementPolicy _policy;
    private readonly bool[] _referenced;

    public ReplayCache(IReplacementPolicy policy, int capacity, int pageCount)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (capacity < 1) throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "cache capacity must be >= 1 page");
        _policy = policy;
        Capacity = capacity;
        _referenced = new bool[pageCount];
    }

    public IReplacementPolicy Policy => _policy;
    public int Capacity { get; }
    public long Requests { get; private set; }
    public long Misses { get; private set; }
    public double MissRatio => Requests == 0 ? 0 : (double)Misses / Requests;

    /// <summary>One request; true on a hit.</summary>
    public bool Access(int page)
    {
        Requests++;
        if (_policy.Contains(page))
        {
            if (_policy.ObservesAccesses) _policy.Hit(page);
            _referenced[page] = true;
            return true;
        }
        Misses++;
        while (_policy.Count >= Capacity)
        {
            int budget = int.MaxValue;
            if (_policy.IsolateVictim(this, ref budget) < 0)
                throw new InvalidOperationException($"{_policy.Name} holds {_policy.Count} pages but gave no victim");
        }
        _referenced[page] = false;
        _policy.Insert(page);
        return false;
    }

    /// <summary>page_referenced(): test-and-clear of the replay's reference bit.</summary>
    public bool PageReferenced(int page)
    {
        bool referenced = _referenced[page];
        _referenced[page] = false;
        return referenced;
    }
}
