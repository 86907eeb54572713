namespace HvSim.Engine.Kernel;

/// <summary>
/// FIFO of zero-delay wake-ups at the current time (process starts, grants, signals). Entries carry their order
/// key, so merging the ring with the heap reproduces exactly the order one heap alone would give, at a fraction
/// of the cost.
/// </summary>
internal sealed class WakeRing
{
    private struct Entry
    {
        public ulong Order;
        public ulong Who;
    }

    private Entry[] _buf = new Entry[64];
    private int _head;
    private int _count;

    public int Count => _count;

    public ulong HeadOrder => _buf[_head].Order;

    public ulong HeadWho => _buf[_head].Who;

    public void Push(ulong order, ulong who)
    {
        if (_count == _buf.Length) Grow();
        int tail = (_head + _count) & (_buf.Length - 1);
        _buf[tail].Order = order;
        _buf[tail].Who = who;
        _count++;
    }

    public void Pop()
    {
        _head = (_head + 1) & (_buf.Length - 1);
        _count--;
    }

    private void Grow()
    {
        var bigger = new Entry[_buf.Length * 2];
        for (int i = 0; i < _count; i++) bigger[i] = _buf[(_head + i) & (_buf.Length - 1)];
        _buf = bigger;
        _head = 0;
    }
}
