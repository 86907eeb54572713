namespace HvSim.Model.Replacement;

/// <summary>Policies by the names <c>hvsim replay --policy</c> and scenarios use.</summary>
public static class ReplacementPolicies
{
    public static readonly IReadOnlyList<string> Names = ["lru", "fifo", "clock", "slru", "twolist"];

    /// <param name="name">One of <see cref="Names"/>.</param>
    /// <param name="pageCount">Size of the page-id space.</param>
    /// <param name="capacity">Pages the cache holds (SLRU sizes its segments from it).</param>
    /// <param name="pageSizeBytes">Bytes per page (two-list inactive ratio).</param>
    public static IReplacementPolicy Create(string name, int pageCount, int capacity, long pageSizeBytes = 64 * 1024) => name switch
    {
        "lru" => new LruPolicy(pageCount),
        "fifo" => new FifoPolicy(pageCount),
        "clock" => new ClockPolicy(pageCount),
        "slru" => new SlruPolicy(pageCount, capacity),
        "twolist" => new TwoListPolicy(pageCount, pageSizeBytes),
        _ => throw new ArgumentException($"unknown replacement policy '{name}' (allowed: {string.Join(", ", Names)})", nameof(name)),
    };
}
