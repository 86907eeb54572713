namespace HvSim.Model.Replacement;

/// <summary>Exact LRU (libCacheSim <c>lru</c>): a hit moves the page to the MRU end, the victim is the LRU page.</summary>
public sealed class LruPolicy(int pageCount) : SingleListPolicy(pageCount)
{
    public override string Name => "lru";
    public override bool ObservesAccesses => true;
    public override void Hit(int page) => Lists.MoveToHead(0, page);
}
