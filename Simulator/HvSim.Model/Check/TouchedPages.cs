namespace HvSim.Model.Check;

/// <summary>
/// The host pages events changed since the last invariant check (fault, unmap, reclaim, swap I/O): a stamp per page
/// and a fixed ring, so recording allocates nothing. When more pages are touched than the ring holds it overflows and
/// the checker sweeps everything instead.
/// </summary>
public sealed class TouchedPages(int pageCount, int capacity = 1 << 14)
{
    private readonly int[] _stamp = new int[pageCount];
    private readonly int[] _ring = new int[capacity];
    private int _epoch = 1;

    public int Count { get; private set; }
    public bool Overflowed { get; private set; }
    public int this[int i] => _ring[i];

    public void Add(int hostPage)
    {
        if (_stamp[hostPage] == _epoch) return;
        _stamp[hostPage] = _epoch;
        if (Count < _ring.Length) _ring[Count++] = hostPage;
        else Overflowed = true;
    }

    public void Clear()
    {
        Count = 0;
        Overflowed = false;
        if (++_epoch == int.MaxValue)
        {
            Array.Clear(_stamp);
            _epoch = 1;
        }
    }
}
