namespace HvSim.Model.Replacement;

/// <summary>
/// 1-bit CLOCK (libCacheSim <c>clock</c>): FIFO with reinsertion. The reference bit lives with the caller (PTE young
/// bit in the host, an internal bit in replay) and is read through the oracle, so hits cost the policy nothing.
/// </summary>
public sealed class ClockPolicy(int pageCount) : IReplacementPolicy
{
    private readonly PageLists _lists = new(pageCount, 1);

    public string Name => "clock";
    public int Count => _lists.Count(0);
    public bool ObservesAccesses => false;
    public bool Contains(int page) => _lists.ListOf(page) >= 0;
    public void Insert(int page) => _lists.AddHead(0, page);
    public void Hit(int page) { }
    public void Remove(int page) => _lists.Remove(page);
    public bool UsesReferenceBits => true;

    /// <summary>rotate_reclaimable_page: under the hand.</summary>
    public void RotateReclaimable(int page)
    {
        _lists.Remove(page);
        _lists.AddTail(0, page);
    }

    /// <summary>The hand at the oldest page: referenced -> clear and give a second chance at the newest end, else evict.</summary>
    public int IsolateVictim(IReferenceOracle refs, ref int scanBudget)
    {
        while (scanBudget > 0)
        {
            int page = _lists.Tail(0);
            if (page < 0) return -1;
            scanBudget--;
            if (refs.PageReferenced(page))
            {
                _lists.MoveToHead(0, page);
                continue;
            }
            _lists.Remove(page);
            return page;
        }
        return -1;
    }
}
