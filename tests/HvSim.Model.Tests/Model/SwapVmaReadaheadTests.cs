using HvSim.Model.Mm;

namespace HvSim.Model.Tests.Model;

/// <summary>6.x VMA-based swap readahead, worked by hand from mm/swap_state.c (__swapin_nr_pages, swap_vma_ra_win, swap_cache_get_folio).</summary>
public class SwapVmaReadaheadTests
{
    [Theory]
    // __swapin_nr_pages(prev_offset, offset, hits, max_pages, prev_win): pages = hits + 2, rounded up to a power of
    // two from 4 when there were hits; with none, 2 for an adjacent offset and 1 otherwise; at most max_pages; never
    // below prev_win / 2.
    [InlineData(0, 100, 4, 8, 0, 8)]   // GET_SWAP_RA_VAL's initial 4 hits: 6 -> 8
    [InlineData(0, 100, 4, 4, 0, 4)]   // clamped to 2^page-cluster
    [InlineData(100, 300, 0, 8, 8, 4)] // random: 1, but no less than 8 / 2
    [InlineData(300, 700, 0, 8, 4, 2)]
    [InlineData(700, 900, 0, 8, 2, 1)]
    [InlineData(900, 901, 0, 8, 1, 2)] // adjacent, no hits: 2
    [InlineData(901, 900, 0, 8, 1, 2)]
    [InlineData(902, 903, 1, 8, 2, 4)] // one hit: 3 -> 4
    [InlineData(0, 50, 3, 32, 0, 8)]   // 5 -> 8
    [InlineData(0, 50, 63, 32, 0, 32)]
    public void SwapinNrPagesFollowsTheKernelHeuristic(long prev, long offset, int hits, int max, int prevWin, int expected) =>
        Assert.Equal(expected, SwapVmaReadahead.SwapinNrPages(prev, offset, hits, max, prevWin));

    [Fact]
    public void TheWindowStartsAtEightPagesAroundTheFaultAndShrinksToOneOnRandomFaults()
    {
        // page_cluster 3 (max_win 8), 4 KiB pages (PTRS_PER_PTE 512). swap_vma_ra_win: a non-adjacent fault's window
        // starts (win - 1) / 2 pages before it; a fault right after the previous one reads ahead of it.
        var ra = new SwapVmaReadahead(vmas: 1, maxPages: 8, pageBytes: 4096);
        Assert.Equal((8, 97L, 105L), ra.Window(0, 100, 16384)); // initial 4 hits: 8 pages, 3 before the fault
        Assert.Equal((4, 299L, 303L), ra.Window(0, 300, 16384)); // no hits since: max(1, 8 / 2)
        Assert.Equal((2, 700L, 702L), ra.Window(0, 700, 16384));
        Assert.Equal((1, 900L, 901L), ra.Window(0, 900, 16384)); // random access: the faulting page alone
        Assert.Equal((2, 901L, 903L), ra.Window(0, 901, 16384)); // the next page: 2, ahead of the fault
        ra.CacheHit(0, 902, readahead: true);                    // page 902 was read ahead and is now used: a hit
        Assert.Equal((4, 903L, 907L), ra.Window(0, 903, 16384)); // adjacent to 902 and 1 hit: 4 ahead
        ra.CacheHit(0, 904, readahead: true);
        ra.CacheHit(0, 905, readahead: true);
        ra.CacheHit(0, 906, readahead: true);
        Assert.Equal((8, 907L, 915L), ra.Window(0, 907, 16384)); // 3 hits: 5 -> 8
        ra.CacheHit(0, 1022, readahead: true);
        Assert.Equal((4, 1023L, 1024L), ra.Window(0, 1023, 16384)); // 1 hit: 4, cut at the end of the page table (1024)
        Assert.Equal((2, 16383L, 16384L), ra.Window(0, 16383, 16384)); // random again: max(1, 4 / 2), cut at the VMA's end
    }

    [Fact]
    public void ASwapCacheHitWithoutReadaheadMovesTheAddressButCountsNoHit()
    {
        var ra = new SwapVmaReadahead(vmas: 2, maxPages: 8, pageBytes: 4096);
        Assert.Equal(8, ra.Window(0, 10, 100).Win);
        ra.CacheHit(0, 40, readahead: false);
        Assert.Equal((4, 41L, 45L), ra.Window(0, 41, 100)); // no hits, adjacent to 40: 2, but no less than 8 / 2
        Assert.Equal((8, 16L, 24L), ra.Window(1, 19, 100)); // the other VMA has its own state
        Assert.Equal(1, new SwapVmaReadahead(1, 1, 4096).Window(0, 5, 100).Win); // page_cluster 0: never read ahead
    }
}
