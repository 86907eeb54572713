namespace HvSim.Model.Mm;

/// <summary>
/// 6.x VMA-based swap readahead (mm/swap_state.c, 4.14 and later, linux-6.18 mode): each VMA (here: a guest's memslot,
/// QEMU's one mapping of guest RAM) keeps swap_readahead_info, the last swap fault's address, the window it read and
/// the readahead hits since. A swap-cache miss sizes the next window from those (swap_vma_ra_win, __swapin_nr_pages):
/// hits + 2 rounded up to a power of two from 4, or 2 when the fault is next to the previous one, else 1 page, never
/// more than 2^page-cluster pages nor less than half the previous window; the window lies around the fault (ahead of
/// it on a sequential run), inside the VMA and the fault's page-table page. Page addresses are page indices in the
/// memslot, which is taken to be aligned to a page-table page (QEMU aligns guest RAM to 2 MiB).
/// </summary>
public sealed class SwapVmaReadahead
{
    /// <summary>SWAP_RA_ORDER_CEILING on 64-bit: at most 2^5 pages per window.</summary>
    private const int OrderCeiling = 5;
    /// <summary>GET_SWAP_RA_VAL's start for a VMA without history: 4 hits, to start up with a small window.</summary>
    private const int InitialHits = 4;

    private readonly long[] _prevPage;
    private readonly int[] _prevWin;
    private readonly int[] _hits;

    /// <param name="vmas">Guests (one VMA each).</param>
    /// <param name="maxPages">2^page-cluster: host.swap.readahead.</param>
    /// <param name="pageBytes">Host page size: sets SWAP_RA_HITS_MAX and the page-table page's span.</param>
    public SwapVmaReadahead(int vmas, int maxPages, int pageBytes)
    {
        _prevPage = new long[vmas];
        _prevWin = new int[vmas];
        _hits = new int[vmas];
        Array.Fill(_hits, InitialHits);
        MaxWin = Math.Min(Math.Max(1, maxPages), 1 << OrderCeiling);
        int pageShift = System.Numerics.BitOperations.Log2((uint)pageBytes);
        HitsMax = (1 << (pageShift / 2)) - 1;
        // PTRS_PER_PTE: 512 on x86-64 with 4 KiB pages; 256 on ppc64's hash MMU with 64 KiB pages (H_PTE_INDEX_SIZE 8).
        PtrsPerPte = pageBytes == 4096 ? 512 : 256;
    }

    /// <summary>max_win: 1 &lt;&lt; min(page_cluster, SWAP_RA_ORDER_CEILING).</summary>
    public int MaxWin { get; }
    /// <summary>SWAP_RA_HITS_MAX: the hits field is PAGE_SHIFT / 2 bits wide.</summary>
    public int HitsMax { get; }
    /// <summary>Pages one page-table page maps (the window stays inside the fault's PMD).</summary>
    public int PtrsPerPte { get; }

    /// <summary>__swapin_nr_pages: the window after <paramref name="hits"/> readahead hits since the last miss.</summary>
    public static int SwapinNrPages(long prevOffset, long offset, int hits, int maxPages, int prevWin)
    {
        int pages = hits + 2;
        if (pages == 2)
        {
            // No readahead hits to judge by: check for an adjacent offset instead.
            if (offset != prevOffset + 1 && offset != prevOffset - 1) pages = 1;
        }
        else
        {
            int roundup = 4;
            while (roundup < pages) roundup <<= 1;
            pages = roundup;
        }
        if (pages > maxPages) pages = maxPages;
        int lastRa = prevWin / 2; // don't shrink readahead too fast
        if (pages < lastRa) pages = lastRa;
        return pages;
    }

    /// <summary>
    /// swap_vma_ra_win for a swap-cache miss at page <paramref name="fault"/> of VMA <paramref name="vma"/> of
    /// <paramref name="vmaPages"/> pages: the window's size, and its pages [Start, End); the VMA's
    /// swap_readahead_info becomes (fault, window, 0 hits). A window of 1 reads the faulting page alone.
    /// </summary>
    public (int Win, long Start, long End) Window(int vma, long fault, long vmaPages)
    {
        if (MaxWin == 1) return (1, fault, fault + 1);
        long prev = _prevPage[vma];
        int win = SwapinNrPages(prev, fault, _hits[vma], MaxWin, _prevWin[vma]);
        _prevPage[vma] = fault;
        _prevWin[vma] = win;
        _hits[vma] = 0;
        if (win == 1) return (1, fault, fault + 1);
        long left = fault == prev + 1 ? fault : prev == fault + 1 ? fault - win + 1 : fault - (win - 1) / 2;
        long right = left + win;
        long pmd = fault - fault % PtrsPerPte;
        return (win, Math.Max(Math.Max(left, 0), pmd), Math.Min(Math.Min(right, vmaPages), pmd + PtrsPerPte));
    }

    /// <summary>
    /// swap_cache_get_folio finding page <paramref name="page"/> of VMA <paramref name="vma"/> in the swap cache: the
    /// swap_readahead_info's address becomes this page and, when the page was read ahead (PG_readahead, test-and-cleared
    /// by the caller), its hits grow by one (at most SWAP_RA_HITS_MAX).
    /// </summary>
    public void CacheHit(int vma, long page, bool readahead)
    {
        if (MaxWin == 1) return;
        _prevPage[vma] = page;
        if (readahead) _hits[vma] = Math.Min(_hits[vma] + 1, HitsMax);
    }
}
