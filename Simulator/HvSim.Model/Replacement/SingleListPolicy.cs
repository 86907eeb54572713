namespace HvSim.Model.Replacement;

/// <summary>
/// The part LRU and FIFO share: one list, new pages at the head, the victim is always the tail page (no second
/// chance, so the reference oracle is never asked).
/// </summary>
public abstract class SingleListPolicy : IReplacementPolicy
{
    private protected readonly PageLists Lists;

    private protected SingleListPolicy(int pageCount) => Lists = new PageLists(pageCount, 1);

    public abstract string Name { get; }
    public abstract bool ObservesAccesses { get; }
    public int Count => Lists.Count(0);
    public bool Contains(int page) => Lists.ListOf(page) >= 0;
    public void Insert(int page) => Lists.AddHead(0, page);
    public abstract void Hit(int page);
    public void Remove(int page) => Lists.Remove(page);

    /// <summary>rotate_reclaimable_page: to the victim end.</summary>
    public void RotateReclaimable(int page)
    {
        Lists.Remove(page);
        Lists.AddTail(0, page);
    }

    public int IsolateVictim(IReferenceOracle refs, ref int scanBudget)
    {
        int victim = Lists.Tail(0);
        if (victim < 0 || scanBudget <= 0) return -1;
        scanBudget--;
        Lists.Remove(victim);
        return victim;
    }
}
