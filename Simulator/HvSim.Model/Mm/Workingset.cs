using HvSim.Model.Replacement;

namespace HvSim.Model.Mm;

/// <summary>
/// mm/workingset.c of 6.x (without MGLRU) for anonymous pages (5.9 and later): the lruvec's nonresident_age clock
/// ticks on every eviction and activation; a reclaimed swap-cache page leaves its eviction time as a shadow entry
/// (workingset_eviction), and when it is read back the refault distance, the clock's advance since, is compared with
/// the workingset the page competed with (workingset_test_recent: the active anon list, swap having room): a refault
/// that fits is activated (workingset_refault). One lruvec: the host's anon LRU (a guest's cgroup's own lists when it
/// is the only guest, the case memory_max allows).
/// </summary>
public sealed class Workingset(int pages)
{
    /// <summary>Per host page: 1 + nonresident_age at its eviction; 0 = no shadow entry.</summary>
    private readonly long[] _shadow = new long[pages];

    /// <summary>lruvec-&gt;nonresident_age.</summary>
    public long NonresidentAge { get; private set; }
    /// <summary>WORKINGSET_REFAULT_ANON: swap-ins of pages that left a shadow entry.</summary>
    public long RefaultAnon { get; private set; }
    /// <summary>WORKINGSET_ACTIVATE_ANON: those refaults activated.</summary>
    public long ActivateAnon { get; private set; }

    /// <summary>workingset_age_nonresident: evictions and activations advance the clock.</summary>
    public void AgeNonresident(long pages) => NonresidentAge += pages;

    /// <summary>workingset_eviction: the shadow records the clock before this eviction ticks it.</summary>
    public void Eviction(int page)
    {
        _shadow[page] = NonresidentAge + 1;
        AgeNonresident(1);
    }

    /// <summary>
    /// workingset_refault for a page being read back into the swap cache (__read_swap_cache_async, readahead pages
    /// included): true when its refault distance is at most the active anon list (workingset_test_recent), and then
    /// the activation ticks the clock. The shadow entry is consumed either way.
    /// </summary>
    public bool Refault(int page, IReplacementPolicy lru, bool swapHasRoom)
    {
        long shadow = _shadow[page];
        if (shadow == 0) return false;
        _shadow[page] = 0;
        RefaultAnon++;
        long distance = NonresidentAge - (shadow - 1);
        long workingsetSize = swapHasRoom ? lru.ActiveCount : 0;
        if (distance > workingsetSize) return false;
        AgeNonresident(1);
        ActivateAnon++;
        return true;
    }
}
