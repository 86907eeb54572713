namespace HvSim.Model.Replacement;

/// <summary>
/// Segmented LRU with two segments, exactly libCacheSim's <c>slru</c> (count-based): segment 0 (probation) and
/// segment 1 (protected) each get floor(capacity / 2) pages.
/// </summary>
/// <remarks>
/// A hit in probation can evict (libCacheSim's cooling): when capacity is odd, probation may hold one page over its
/// share, and the demotion a promotion causes pushes that page out. <see cref="Contains"/> reflects it at once.
/// </remarks>
public sealed class SlruPolicy : IReplacementPolicy
{
    private const int Probation = 0;
    private const int Protected = 1;

    private readonly PageLists _lists;
    private readonly int _share;

    public SlruPolicy(int pageCount, int capacity)
    {
        if (capacity < 1) throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "SLRU capacity must be >= 1 page");
        _lists = new PageLists(pageCount, 2);
        _share = capacity / 2;
    }

    public string Name => "slru";
    public int Count => _lists.Count(Probation) + _lists.Count(Protected);
    public bool ObservesAccesses => true;
    /// <summary>Pages each segment may hold (probation may exceed it by one page when the capacity is odd).</summary>
    public int SegmentShare => _share;
    public int ProbationCount => _lists.Count(Probation);
    public int ProtectedCount => _lists.Count(Protected);
    public bool Contains(int page) => _lists.ListOf(page) >= 0;

    /// <summary>The lowest segment with room under its share takes the page; probation when none has room.</summary>
    public void Insert(int page)
    {
        int segment = _lists.Count(Probation) < _share ? Probation
            : _lists.Count(Protected) < _share ? Protected
            : Probation;
        _lists.AddHead(segment, page);
    }

    /// <summary>A hit promotes the page; a page a reclaimer has isolated is on no list and stays off it.</summary>
    public void Hit(int page)
    {
        if (_lists.ListOf(page) < 0) return;
        if (_lists.ListOf(page) == Protected)
        {
            _lists.MoveToHead(Protected, page);
            return;
        }
        _lists.MoveToHead(Protected, page);
        while (_lists.Count(Protected) > _share)
            _lists.MoveToHead(Probation, _lists.Tail(Protected));
        while (_lists.Count(Probation) > _share)
            _lists.Remove(_lists.Tail(Probation));
    }

    public void Remove(int page) => _lists.Remove(page);

    /// <summary>rotate_reclaimable_page: a probation page moves to the probation tail (the next victim); protected pages stay.</summary>
    public void RotateReclaimable(int page)
    {
        if (_lists.ListOf(page) != Probation) return;
        _lists.Remove(page);
        _lists.AddTail(Probation, page);
    }

    /// <summary>Evict the LRU page of the lowest non-empty segment.</summary>
    public int IsolateVictim(IReferenceOracle refs, ref int scanBudget)
    {
        int victim = _lists.Tail(Probation);
        if (victim < 0) victim = _lists.Tail(Protected);
        if (victim < 0 || scanBudget <= 0) return -1;
        scanBudget--;
        _lists.Remove(victim);
        return victim;
    }
}
