namespace HvSim.Model.Replacement;

/// <summary>
/// A few doubly-linked lists of dense page ids threaded through one 64-bit word per page, like the <c>list_head</c> the
/// kernel embeds in <c>struct page</c>: a page is on at most one list, and nothing is allocated after construction.
/// The head is the most recently added end (<c>list_add</c>), the tail the oldest (where reclaim looks). A page's word
/// holds next (bits 0-27), prev (bits 28-55) and its list + 1 (bits 56-63, 0 on no list): the kernel finds the list
/// from the page's flags instead (page_lru: PG_active, PG_unevictable) and needs no such byte, but the lists here serve
/// policies that have no page flags (FIFO, CLOCK, SLRU, the replay cache). Links are <see cref="LinkBits"/> bits, so
/// pages plus lists are at most 2^28 (<see cref="MaxPages"/>).
/// </summary>
public sealed class PageLists
{
    /// <summary>What one page costs: its word of links and list (the memory guard counts it per host page of guest RAM).</summary>
    public const int BytesPerPage = sizeof(ulong);
    /// <summary>Bits of a link: page ids and the lists' sentinels below 2^28.</summary>
    public const int LinkBits = 28;
    /// <summary>The most lists one set holds (list + 1 in the word's top byte, below 2^7 as before).</summary>
    public const int MaxLists = sbyte.MaxValue;
    /// <summary>The most pages one set holds: every page id and sentinel fits a link.</summary>
    public const int MaxPages = (1 << LinkBits) - MaxLists;

    private const ulong LinkMask = (1UL << LinkBits) - 1;
    private const int PrevShift = LinkBits;
    private const int ListShift = 2 * LinkBits;

    /// <summary>Per page, then per list its sentinel (indices at or above the page count), so links never branch on empty.</summary>
    private readonly ulong[] _links;
    private readonly int[] _count;
    private readonly int _pageCount;

    public PageLists(int pageCount, int listCount)
    {
        if (pageCount is < 0 or > MaxPages) throw new ArgumentOutOfRangeException(nameof(pageCount), pageCount, $"page count must be in [0, {MaxPages}]");
        if (listCount is < 1 or > MaxLists) throw new ArgumentOutOfRangeException(nameof(listCount), listCount, $"1..{MaxLists} lists");
        _pageCount = pageCount;
        _links = HugePages.NewArray<ulong>(pageCount + listCount);
        _count = new int[listCount];
        for (int list = 0; list < listCount; list++)
        {
            int sentinel = pageCount + list;
            SetNext(sentinel, sentinel);
            SetPrev(sentinel, sentinel);
        }
    }

    /// <summary>Size of the page-id space [0, PageCount).</summary>
    public int PageCount => _pageCount;

    public int Count(int list) => _count[list];

    /// <summary>The list the page is on, or -1.</summary>
    public int ListOf(int page) => ListOfWord(_links[page]);

    /// <summary>Most recently added page of the list, or -1 when empty.</summary>
    public int Head(int list)
    {
        int page = Next(_pageCount + list);
        return page >= _pageCount ? -1 : page;
    }

    /// <summary>Oldest page of the list, or -1 when empty.</summary>
    public int Tail(int list)
    {
        int page = Prev(_pageCount + list);
        return page >= _pageCount ? -1 : page;
    }

    /// <summary>list_add: put a page that is on no list at the head.</summary>
    public void AddHead(int list, int page) => LinkAfter(_pageCount + list, list, page);

    /// <summary>list_add_tail: put a page that is on no list at the tail.</summary>
    public void AddTail(int list, int page) => LinkAfter(Prev(_pageCount + list), list, page);

    /// <summary>list_del: take a page off its list.</summary>
    public void Remove(int page)
    {
        ulong word = _links[page];
        int list = ListOfWord(word);
        if (list < 0) throw new InvalidOperationException($"page {page} is on no list");
        int next = NextOf(word), prev = PrevOf(word);
        SetNext(prev, next);
        SetPrev(next, prev);
        _links[page] = 0;
        _count[list]--;
    }

    /// <summary>list_move: take a page off its list and put it at the head of <paramref name="list"/>.</summary>
    public void MoveToHead(int list, int page)
    {
        Remove(page);
        AddHead(list, page);
    }

    private void LinkAfter(int at, int list, int page)
    {
        if (ListOf(page) >= 0) throw new InvalidOperationException($"page {page} is already on list {ListOf(page)}");
        int next = Next(at);
        _links[page] = Word(next, at, list);
        SetNext(at, page);
        SetPrev(next, page);
        _count[list]++;
    }

    private int Next(int i) => NextOf(_links[i]);
    private int Prev(int i) => PrevOf(_links[i]);
    private void SetNext(int i, int next) => _links[i] = (_links[i] & ~LinkMask) | (uint)next;
    private void SetPrev(int i, int prev) => _links[i] = (_links[i] & ~(LinkMask << PrevShift)) | (ulong)(uint)prev << PrevShift;

    /// <summary>The word of a page on <paramref name="list"/> (-1: none) between <paramref name="prev"/> and <paramref name="next"/>.</summary>
    internal static ulong Word(int next, int prev, int list) =>
        (ulong)(uint)next | (ulong)(uint)prev << PrevShift | (ulong)(uint)(list + 1) << ListShift;
    internal static int NextOf(ulong word) => (int)(word & LinkMask);
    internal static int PrevOf(ulong word) => (int)((word >> PrevShift) & LinkMask);
    internal static int ListOfWord(ulong word) => (int)(word >> ListShift) - 1;
}
