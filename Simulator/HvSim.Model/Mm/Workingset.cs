namespace HvSim.Model.Mm;

/// <summary>
/// mm/workingset.c of 6.x (without MGLRU) for anonymous pages (5.9 and later) and page-cache pages: each lruvec's
/// nonresident_age clock ticks on every eviction and activation of its pages; a reclaimed swap-cache or page-cache
/// page leaves its eviction time as a shadow entry (workingset_eviction), and when it is read back the refault
/// distance, its lruvec's clock's advance since, is compared with the workingset the page competed with
/// (workingset_test_recent, <see cref="Host.WorkingsetSize"/>): a refault that fits is activated (workingset_refault).
/// Shadow slots: swap slots first, then the page-cache file's pages. An anon page's shadow lives where the kernel keeps
/// it, in the swap cache's entry for the page's swap slot (6.18 swap_table.h: a slot's entry holds its folio or its
/// shadow; before 6.18 the swap address space's xarray at the slot's offset), not in anything per guest page: a page
/// keeps its slot from its eviction to its refault, and every eviction writes the slot's shadow before any refault
/// can read it, so a slot's stale shadow from an earlier owner is never read. One lruvec per guest's
/// memory cgroup when guests have their own (<see cref="Host.PerGuestMemcg"/>), else the host's one anon LRU; the
/// root's clock, which ancestors' ageing also ticks, is never read since no page is charged to the root.
/// </summary>
public sealed class Workingset(int slots, int lruvecs)
{
    /// <summary>
    /// Per shadow slot: 1 + its page's lruvec's nonresident_age at its eviction, modulo 2^32; 0 = no shadow entry. The kernel
    /// packs the eviction time into the shadow entry's spare bits the same way (pack_shadow, EVICTION_BITS) and takes
    /// the refault distance modulo them, so distances are exact below 2^32 pages.
    /// </summary>
    private readonly uint[] _shadow = new uint[slots];
    /// <summary>Per lruvec: lruvec-&gt;nonresident_age.</summary>
    private readonly long[] _nonresidentAge = new long[lruvecs];
    /// <summary>Per lruvec: WORKINGSET_ACTIVATE_ANON of its pages.</summary>
    private readonly long[] _activateAnon = new long[lruvecs];

    /// <summary>lruvec-&gt;nonresident_age of lruvec <paramref name="lruvec"/>.</summary>
    public long NonresidentAge(int lruvec) => _nonresidentAge[lruvec];
    /// <summary>WORKINGSET_REFAULT_ANON: swap-ins of pages that left a shadow entry.</summary>
    public long RefaultAnon { get; private set; }
    /// <summary>WORKINGSET_ACTIVATE_ANON: those refaults activated (the root's hierarchical count).</summary>
    public long ActivateAnon { get; private set; }
    /// <summary>WORKINGSET_REFAULT_FILE and WORKINGSET_ACTIVATE_FILE: page-cache refaults and those activated.</summary>
    public long RefaultFile { get; private set; }
    public long ActivateFile { get; private set; }
    /// <summary>WORKINGSET_ACTIVATE_ANON of one lruvec's pages.</summary>
    public long ActivateAnonOf(int lruvec) => _activateAnon[lruvec];

    /// <summary>workingset_age_nonresident: evictions and activations advance the lruvec's clock.</summary>
    public void AgeNonresident(int lruvec, long pages) => _nonresidentAge[lruvec] += pages;

    /// <summary>workingset_eviction: the shadow records the clock before this eviction ticks it.</summary>
    public void Eviction(int slot, int lruvec)
    {
        _shadow[slot] = unchecked((uint)_nonresidentAge[lruvec] + 1);
        AgeNonresident(lruvec, 1);
    }

    /// <summary>
    /// workingset_refault for a page being read back into the swap cache (__read_swap_cache_async, readahead pages
    /// included) or the page cache (<paramref name="file"/>): true when its refault distance is at most
    /// <paramref name="workingsetSize"/> (workingset_test_recent), and then the activation ticks the clock. The shadow
    /// entry is consumed either way.
    /// </summary>
    public bool Refault(int slot, int lruvec, long workingsetSize, bool file)
    {
        uint shadow = _shadow[slot];
        if (shadow == 0) return false;
        _shadow[slot] = 0;
        if (file) RefaultFile++;
        else RefaultAnon++;
        long distance = unchecked((uint)_nonresidentAge[lruvec] - (shadow - 1)); // workingset_refault: (refault - eviction) & EVICTION_MASK
        if (distance > workingsetSize) return false;
        AgeNonresident(lruvec, 1);
        if (file)
        {
            ActivateFile++;
            return true;
        }
        ActivateAnon++;
        _activateAnon[lruvec]++;
        return true;
    }
}
