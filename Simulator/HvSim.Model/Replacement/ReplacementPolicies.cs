namespace HvSim.Model.Replacement;

/// <summary>What a policy is built for: its page-id space, the pages the cache holds (SLRU sizes its segments from it), the page size and the zone (two-list inactive ratio).</summary>
public readonly record struct PolicySize(int PageCount, int Capacity, long PageSizeBytes = 64 * 1024, long ZoneBytes = 0);

/// <summary>One replacement policy: its name (the policy's own <see cref="IReplacementPolicy.Name"/>), its docs line and its factory.</summary>
public sealed record ReplacementPolicy(string Name, string Doc, Func<PolicySize, IReplacementPolicy> Create);

/// <summary>
/// Every replacement policy, by the names `host.policy`, <c>hvsim replay --policy</c> and manifest.json use. Adding a
/// policy is its class and one line here.
/// </summary>
public static class ReplacementPolicies
{
    public static readonly IReadOnlyList<ReplacementPolicy> All =
    [
        Entry(s => new LruPolicy(s.PageCount), "exact LRU"),
        Entry(s => new FifoPolicy(s.PageCount), "first in, first out"),
        Entry(s => new ClockPolicy(s.PageCount), "1-bit CLOCK (FIFO with reinsertion)"),
        Entry(s => new SlruPolicy(s.PageCount, s.Capacity), "segmented LRU, an idealised comparison that observes every guest access"),
        Entry(s => new TwoListPolicy(s.PageCount, s.PageSizeBytes, s.ZoneBytes), "the 3.x active/inactive anon LRU (shrink_active_list / shrink_page_list)"),
    ];

    public static readonly IReadOnlyList<string> Names = All.Select(p => p.Name).ToList();

    /// <summary>The policy the host reclaims with unless a scenario says otherwise: what 3.4 does.</summary>
    public const string Default = "twolist";

    public static ReplacementPolicy? Find(string name) => All.FirstOrDefault(p => p.Name == name);

    /// <param name="name">One of <see cref="Names"/>.</param>
    /// <param name="pageCount">Size of the page-id space.</param>
    /// <param name="capacity">Pages the cache holds (SLRU sizes its segments from it).</param>
    /// <param name="pageSizeBytes">Bytes per page (two-list inactive ratio).</param>
    public static IReplacementPolicy Create(string name, int pageCount, int capacity, long pageSizeBytes = 64 * 1024) =>
        (Find(name) ?? throw new ArgumentException($"unknown replacement policy '{name}' (allowed: {string.Join(", ", Names)})", nameof(name)))
        .Create(new PolicySize(pageCount, capacity, pageSizeBytes));

    /// <summary>A registry line: the name is the one the policy gives itself.</summary>
    private static ReplacementPolicy Entry(Func<PolicySize, IReplacementPolicy> create, string doc) => new(create(new PolicySize(2, 2)).Name, doc, create);
}
