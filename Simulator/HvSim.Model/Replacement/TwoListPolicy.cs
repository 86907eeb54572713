namespace HvSim.Model.Replacement;

/// <summary>
/// The 3.x anonymous-page LRU: an active and an inactive list (split-LRU, reclaim-model.md items 4-8). New anon
/// pages start on the active list, swapped-in and read-ahead ones on the inactive list (before 5.9); reclaim keeps the inactive list at
/// active / inactive_ratio by deactivating from the active tail regardless of references (the second chance for
/// anonymous pages), and at the inactive tail activates referenced pages and reclaims the rest.
/// </summary>
public sealed class TwoListPolicy : IReplacementPolicy
{
    private const long BytesPerGb = 1L << 30;

    private readonly PageLists _lists;
    private readonly long _pageSizeBytes;
    private readonly int _fixedRatio;
    /// <summary>The lists' numbers in <see cref="_lists"/>: this lruvec's pair.</summary>
    private readonly int Active, Inactive;

    /// <param name="pageCount">Size of the page-id space.</param>
    /// <param name="pageSizeBytes">Bytes per page (64 KiB on POWER7), used to turn list sizes into GB.</param>
    /// <param name="zoneBytes">
    /// When positive, the ratio is fixed from this zone size at construction (3.x <c>calculate_zone_inactive_ratio</c>);
    /// when 0, it follows the current size of the two lists, as the memcg variant of <c>inactive_anon_is_low</c> does.
    /// </param>
    public TwoListPolicy(int pageCount, long pageSizeBytes = 64 * 1024, long zoneBytes = 0)
    {
        if (pageSizeBytes < 1) throw new ArgumentOutOfRangeException(nameof(pageSizeBytes), pageSizeBytes, "page size must be >= 1 byte");
        if (zoneBytes < 0) throw new ArgumentOutOfRangeException(nameof(zoneBytes), zoneBytes, "zone size must be >= 0 bytes");
        _lists = new PageLists(pageCount, 2);
        _pageSizeBytes = pageSizeBytes;
        _fixedRatio = zoneBytes > 0 ? InactiveRatioFor(zoneBytes) : 0;
        (Active, Inactive) = (0, 1);
    }

    /// <summary>
    /// One memory cgroup's lruvec (mem_cgroup_zone_lruvec, 3.4; mem_cgroup_lruvec, 6.x): lists <paramref name="pair"/> * 2
    /// and * 2 + 1 of <paramref name="lists"/>, shared by every cgroup's lruvec so a page costs its links once. Its
    /// inactive ratio follows its own lists' size (3.4 mem_cgroup_inactive_anon_is_low, 6.x inactive_is_low).
    /// </summary>
    public TwoListPolicy(PageLists lists, int pair, long pageSizeBytes)
    {
        _lists = lists;
        _pageSizeBytes = pageSizeBytes;
        (Active, Inactive) = (2 * pair, 2 * pair + 1);
    }

    public string Name => "twolist";
    public int Count => _lists.Count(Active) + _lists.Count(Inactive);
    public bool ObservesAccesses => false;
    public int ActiveCount => _lists.Count(Active);
    public int InactiveCount => _lists.Count(Inactive);
    public bool IsActive(int page) => _lists.ListOf(page) == Active;
    public bool OnInactiveList(int page) => _lists.ListOf(page) == Inactive;
    public bool UsesReferenceBits => true;
    public bool Contains(int page)
    {
        int list = _lists.ListOf(page);
        return list == Active || list == Inactive;
    }

    /// <summary>Target active:inactive ratio now in force.</summary>
    public int InactiveRatio => _fixedRatio > 0 ? _fixedRatio : InactiveRatioFor(Count * _pageSizeBytes);

    /// <summary>calculate_zone_inactive_ratio: int_sqrt(10 * GB), 1 below 1 GB.</summary>
    public static int InactiveRatioFor(long bytes)
    {
        long gb = bytes / BytesPerGb;
        return gb == 0 ? 1 : (int)IntSqrt(10 * gb);
    }

    /// <summary>lru_cache_add_lru(LRU_ACTIVE_ANON) of a new anon page (page_add_new_anon_rmap), also putback_lru_page of an activated page.</summary>
    public void Insert(int page) => _lists.AddHead(Active, page);

    /// <summary>
    /// lru_cache_add_anon = __lru_cache_add(LRU_INACTIVE_ANON) from read_swap_cache_async: a swapped-in or read-ahead
    /// page earns activation only if page_referenced finds it young when it reaches the inactive tail.
    /// </summary>
    public void InsertInactive(int page) => _lists.AddHead(Inactive, page);

    /// <summary>Mapped anon pages are only seen through young bits (page_referenced), never through mark_page_accessed.</summary>
    public void Hit(int page) { }

    public void Remove(int page) => _lists.Remove(page);

    /// <summary>One page at a time of shrink_active_list (when inactive_anon_is_low) and shrink_page_list.</summary>
    public int IsolateVictim(IReferenceOracle refs, ref int scanBudget)
    {
        while (scanBudget > 0)
        {
            if (InactiveIsLow)
            {
                ShrinkActiveTail(refs);
                scanBudget--;
                continue;
            }
            if (_lists.Count(Inactive) == 0) return -1;
            scanBudget--;
            int victim = CheckInactiveTail(refs);
            if (victim >= 0) return victim;
        }
        return -1;
    }

    /// <summary>shrink_inactive_list, one page per unit of budget; the active list is left to the caller.</summary>
    public int IsolateInactive(IReferenceOracle refs, ref int scanBudget)
    {
        while (scanBudget > 0 && _lists.Count(Inactive) > 0)
        {
            scanBudget--;
            int victim = CheckInactiveTail(refs);
            if (victim >= 0) return victim;
        }
        return -1;
    }

    /// <summary>
    /// page_check_references on the inactive tail page (vmscan.c): PAGEREF_ACTIVATE moves it to the active head and
    /// PAGEREF_KEEP back to the inactive head (-1 returned for both); PAGEREF_RECLAIM isolates and returns it.
    /// </summary>
    private int CheckInactiveTail(IReferenceOracle refs)
    {
        int page = _lists.Tail(Inactive);
        switch (refs.CheckReferences(page))
        {
            case PageReferences.Activate:
                _lists.MoveToHead(Active, page);
                return -1;
            case PageReferences.Keep:
                _lists.MoveToHead(Inactive, page);
                return -1;
            default:
                _lists.Remove(page);
                return page;
        }
    }

    /// <summary>inactive_anon_is_low: inactive * inactive_ratio < active.</summary>
    public bool InactiveIsLow => (long)_lists.Count(Inactive) * InactiveRatio < _lists.Count(Active);

    /// <summary>shrink_active_list: up to <paramref name="nrToScan"/> pages from the active tail, each deactivated.</summary>
    public int ShrinkActiveList(IReferenceOracle refs, int nrToScan)
    {
        int scanned = 0;
        while (scanned < nrToScan && _lists.Count(Active) > 0)
        {
            ShrinkActiveTail(refs);
            scanned++;
        }
        return scanned;
    }

    /// <summary>activate_page: an inactive page moves to the active head.</summary>
    public void ActivatePage(int page)
    {
        if (_lists.ListOf(page) == Inactive) _lists.MoveToHead(Active, page);
    }

    /// <summary>rotate_reclaimable_page: an inactive page moves to the inactive tail; an active one stays.</summary>
    public void RotateReclaimable(int page)
    {
        if (_lists.ListOf(page) != Inactive) return;
        _lists.Remove(page);
        _lists.AddTail(Inactive, page);
    }

    /// <summary>
    /// shrink_active_list for one page: page_referenced is called for its side effect (clearing young bits, which
    /// asks KVM through the notifier), but an anon page is deactivated whatever the answer.
    /// </summary>
    private void ShrinkActiveTail(IReferenceOracle refs)
    {
        int page = _lists.Tail(Active);
        refs.PageReferenced(page);
        _lists.MoveToHead(Inactive, page);
    }

    private static long IntSqrt(long x)
    {
        long r = (long)Math.Sqrt(x);
        while (r * r > x) r--;
        while ((r + 1) * (r + 1) <= x) r++;
        return r;
    }
}
