namespace HvSim.Model.Replacement;

/// <summary>
/// The reference signal reclaim sees: models page_referenced(), a test-and-clear of the page's accessed state
/// (host PTE young bit OR kvm_age_hva in the host model; an internal bit in pure replay).
/// </summary>
public interface IReferenceOracle
{
    bool PageReferenced(int page);
}

/// <summary>
/// A page-replacement policy over dense page ids [0, capacityHint). Shared by the host's reclaim and by
/// `hvsim replay`, so both run the same code.
/// </summary>
public interface IReplacementPolicy
{
    string Name { get; }
    /// <summary>Pages currently tracked (resident and not isolated).</summary>
    int Count { get; }
    /// <summary>True when the policy needs <see cref="Hit"/> on every access (exact LRU, SLRU).
    /// Reference-bit policies (CLOCK, two-list) learn of accesses only through the oracle.</summary>
    bool ObservesAccesses { get; }
    bool Contains(int page);
    /// <summary>A page becomes resident (lru_cache_add) or is put back after a failed reclaim attempt (putback).</summary>
    void Insert(int page);
    /// <summary>
    /// lru_cache_add_anon: a page that enters without a known reference (swap-in, readahead); policies without an
    /// inactive list treat it as <see cref="Insert"/>.
    /// </summary>
    /// <remarks>LRU, FIFO and CLOCK keep one list and SLRU already admits new pages to probation, so Insert is their only entry.</remarks>
    void InsertInactive(int page) => Insert(page);
    /// <summary>An access the policy observes directly (mark_page_accessed).</summary>
    void Hit(int page);
    /// <summary>The page leaves outside reclaim (freed, guest exit).</summary>
    void Remove(int page);
    /// <summary>
    /// Models one step of shrink_*_list: examine pages (each costs one unit of <paramref name="scanBudget"/>),
    /// and isolate and return the next page to evict, removing it from the policy; -1 when the budget ran out or no
    /// page is left.
    /// </summary>
    int IsolateVictim(IReferenceOracle refs, ref int scanBudget);
}
