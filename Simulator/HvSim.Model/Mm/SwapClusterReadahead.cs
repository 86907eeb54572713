namespace HvSim.Model.Mm;

/// <summary>
/// Swap-slot cluster readahead (mm/swap_state.c swap_cluster_readahead): a swap-cache miss reads the aligned cluster of
/// slots around the faulting one. 3.4's swapin_readahead always reads 2^page-cluster slots. From 3.15 (579f82901f6f,
/// swapin_nr_pages) the cluster adapts to the readahead hits counted machine-wide since the last miss, the way the VMA
/// readahead adapts per VMA (<see cref="SwapVmaReadahead.SwapinNrPages"/>); 6.x uses it instead of the VMA readahead
/// whenever a swap device is rotational (swap_use_vma_readahead: !nr_rotate_swap).
/// </summary>
public sealed class SwapClusterReadahead(int maxPages, bool adaptive)
{
    private long _prevOffset;
    private int _lastReadaheadPages;
    private int _hits;

    /// <summary>2^page-cluster: host.swap.readahead.</summary>
    public int MaxPages { get; } = Math.Max(1, maxPages);
    /// <summary>Whether the cluster adapts to hits (3.15 and later) or is always <see cref="MaxPages"/> (3.4).</summary>
    public bool Adaptive { get; } = adaptive;

    /// <summary>swapin_nr_pages: the cluster's size for a miss at <paramref name="offset"/>; swapin_readahead_hits restart at 0.</summary>
    public int SwapinNrPages(long offset)
    {
        if (!Adaptive || MaxPages <= 1) return MaxPages;
        int hits = _hits;
        _hits = 0;
        int pages = SwapVmaReadahead.SwapinNrPages(_prevOffset, offset, hits, MaxPages, _lastReadaheadPages);
        if (hits == 0) _prevOffset = offset;
        _lastReadaheadPages = pages;
        return pages;
    }

    /// <summary>
    /// swap_cluster_readahead's window for a miss at <paramref name="slot"/> of a device of <paramref name="slots"/>
    /// slots: [offset &amp; ~mask, (offset | mask) + 1) with mask = swapin_nr_pages - 1, cut at the device's end (a
    /// host.swap.readahead that is no power of two aligns to its own multiple).
    /// </summary>
    public (int First, int End) Window(int slot, int slots)
    {
        int pages = SwapinNrPages(slot);
        int first = slot - slot % pages;
        return (first, Math.Min(first + pages, slots));
    }

    /// <summary>swap_cache_get_folio finding a read-ahead folio without the VMA readahead: atomic_inc(&amp;swapin_readahead_hits).</summary>
    public void Hit() => _hits++;
}
