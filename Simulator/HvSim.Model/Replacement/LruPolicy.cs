namespace HvSim.Model.Replacement;

/// <summary>Exact LRU (libCacheSim <c>lru</c>): a hit moves the page to the MRU end, the victim is the LRU page.</summary>
public sealed class LruPolicy(int pageCount) : SingleListPolicy(pageCount)
{
    public override string Name => "lru";
    public override bool ObservesAccesses => true;
    /// <summary>A hit moves the page to the MRU end; a page a reclaimer has isolated is on no list and stays off it.</summary>
    public override void Hit(int page)
    {
        if (Contains(page)) Lists.MoveToHead(0, page);
    }
}
