namespace HvSim.Model.Replacement;

/// <summary>
/// A few doubly-linked lists of dense page ids threaded through shared int arrays, like the <c>list_head</c> the
/// kernel embeds in <c>struct page</c>: a page is on at most one list, and nothing is allocated after construction.
/// The head is the most recently added end (<c>list_add</c>), the tail the oldest (where reclaim looks).
/// </summary>
public sealed class PageLists
{
    /// <summary>Links; indices at or above the page count are the lists' sentinels, so links never branch on empty.</summary>
    private readonly int[] _next;
    private readonly int[] _prev;
    private readonly sbyte[] _listOf;
    private readonly int[] _count;
    private readonly int _pageCount;

    public PageLists(int pageCount, int listCount)
    {
        if (pageCount < 0) throw new ArgumentOutOfRangeException(nameof(pageCount), pageCount, "page count must be >= 0");
        if (listCount is < 1 or > sbyte.MaxValue) throw new ArgumentOutOfRangeException(nameof(listCount), listCount, "1..127 lists");
        _pageCount = pageCount;
        _next = new int[pageCount + listCount];
        _prev = new int[pageCount + listCount];
        _listOf = new sbyte[pageCount];
        Array.Fill(_listOf, (sbyte)-1);
        _count = new int[listCount];
        for (int list = 0; list < listCount; list++)
        {
            int sentinel = pageCount + list;
            _next[sentinel] = sentinel;
            _prev[sentinel] = sentinel;
        }
    }

    /// <summary>Size of the page-id space [0, PageCount).</summary>
    public int PageCount => _pageCount;

    public int Count(int list) => _count[list];

    /// <summary>The list the page is on, or -1.</summary>
    public int ListOf(int page) => _listOf[page];

    /// <summary>Most recently added page of the list, or -1 when empty.</summary>
    public int Head(int list)
    {
        int page = _next[_pageCount + list];
        return page >= _pageCount ? -1 : page;
    }

    /// <summary>Oldest page of the list, or -1 when empty.</summary>
    public int Tail(int list)
    {
        int page = _prev[_pageCount + list];
        return page >= _pageCount ? -1 : page;
    }

    /// <summary>list_add: put a page that is on no list at the head.</summary>
    public void AddHead(int list, int page) => LinkAfter(_pageCount + list, list, page);

    /// <summary>list_add_tail: put a page that is on no list at the tail.</summary>
    public void AddTail(int list, int page) => LinkAfter(_prev[_pageCount + list], list, page);

    /// <summary>list_del: take a page off its list.</summary>
    public void Remove(int page)
    {
        int list = _listOf[page];
        if (list < 0) throw new InvalidOperationException($"page {page} is on no list");
        int next = _next[page], prev = _prev[page];
        _next[prev] = next;
        _prev[next] = prev;
        _listOf[page] = -1;
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
        if (_listOf[page] >= 0) throw new InvalidOperationException($"page {page} is already on list {_listOf[page]}");
        int next = _next[at];
        _next[page] = next;
        _prev[page] = at;
        _next[at] = page;
        _prev[next] = page;
        _listOf[page] = (sbyte)list;
        _count[list]++;
    }
}
