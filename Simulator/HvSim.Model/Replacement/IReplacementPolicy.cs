namespace HvSim.Model.Replacement;

/// <summary>
/// The reference signal reclaim sees: models page_referenced(), a test-and-clear of the page's accessed state
/// (host PTE young bit OR kvm_age_hva in the host model; an internal bit in pure replay).
/// </summary>
public interface IReferenceOracle
{
    bool PageReferenced(int page);

    /// <summary>
    /// page_check_references on an inactive page reclaim examines: what to do with it. By default a referenced page is
    /// activated (3.4 for swap-backed pages), an unreferenced one reclaimed.
    /// </summary>
    PageReferences CheckReferences(int page) => PageReferenced(page) ? PageReferences.Activate : PageReferences.Reclaim;
}

/// <summary>page_check_references' verdict (mm/vmscan.c enum page_references / folio_references).</summary>
public enum PageReferences : byte
{
    /// <summary>PAGEREF_RECLAIM: isolate it for eviction.</summary>
    Reclaim,
    /// <summary>PAGEREF_KEEP: another trip around the inactive list (back to its head).</summary>
    Keep,
    /// <summary>PAGEREF_ACTIVATE: to the active list.</summary>
    Activate,
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

    // The host's reclaim (mm/vmscan.c) drives the lists itself, per get_scan_count; `hvsim replay` uses IsolateVictim.

    /// <summary>Pages on the list reclaim takes victims from: the inactive list (single-list policies: all pages).</summary>
    int InactiveCount => Count;
    /// <summary>Pages on the active list (0 for single-list policies).</summary>
    int ActiveCount => 0;
    /// <summary>inactive_anon_is_low: the active list should be shrunk.</summary>
    bool InactiveIsLow => false;
    /// <summary>
    /// True when the policy reads reference bits (page_referenced): then try_to_unmap_one's young re-check applies to
    /// its victims. A policy that decides without reference bits (LRU, FIFO, SLRU) evicts exactly the page it chose.
    /// </summary>
    bool UsesReferenceBits => false;
    /// <summary>shrink_active_list of <paramref name="nrToScan"/> pages from the active tail; returns the pages scanned.</summary>
    int ShrinkActiveList(IReferenceOracle refs, int nrToScan) => 0;
    /// <summary>
    /// One page of shrink_inactive_list (isolate_lru_pages + page_check_references): examine the victim end, costing one
    /// unit of <paramref name="scanBudget"/>; a page the policy keeps goes back on its list, a victim is returned removed.
    /// Unlike <see cref="IsolateVictim"/> it never shrinks the active list.
    /// </summary>
    int IsolateInactive(IReferenceOracle refs, ref int scanBudget) => IsolateVictim(refs, ref scanBudget);
    /// <summary>activate_page from mark_page_accessed: an inactive page goes to the active list (policies without one ignore it).</summary>
    void ActivatePage(int page) { }
    /// <summary>True when the page is on the active list (PageActive).</summary>
    bool IsActive(int page) => false;
    /// <summary>mark_page_accessed's test, PageLRU and not PageActive: the page is on the list reclaim takes victims from (single-list policies: on the list).</summary>
    bool OnInactiveList(int page) => Contains(page) && !IsActive(page);
    /// <summary>
    /// rotate_reclaimable_page: a page whose reclaim writeback finished moves to the victim end of the inactive list, so
    /// the next scan frees it. Pages on the active list stay.
    /// </summary>
    void RotateReclaimable(int page);
}
