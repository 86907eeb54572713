namespace HvSim.Engine.Kernel;

/// <summary>
/// FIFO of zero-delay wake-ups at the current time (process starts, grants, signals) for one priority class.
/// Everything in it is due now and was scheduled now, so it comes after every heap entry of the same time and
/// class (those were scheduled earlier): merging ring and heap needs no sequence numbers and gives exactly the
/// order one queue would, at a fraction of the cost.
/// </summary>
internal sealed class WakeRing
{
    private ulong[] _buf = new ulong[64];
    private int _head;
    private int _count;

    public int Count => _count;

    public ulong HeadWho => _buf[_head];

    public void Push(ulong who)
    {
        if (_count == _buf.Length) Grow();
        _buf[(_head + _count) & (_buf.Length - 1)] = who;
        _count++;
    }

    public void Pop()
    {
        _head = (_head + 1) & (_buf.Length - 1);
        _count--;
    }

    private void Grow()
    {
        var bigger = new ulong[_buf.Length * 2];
        for (int i = 0; i < _count; i++) bigger[i] = _buf[(_head + i) & (_buf.Length - 1)];
        _buf = bigger;
        _head = 0;
    }
}
