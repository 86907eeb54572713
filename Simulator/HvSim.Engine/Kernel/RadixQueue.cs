using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace HvSim.Engine.Kernel;

/// <summary>
/// Future events in a radix heap: bucket i (1..64) holds entries whose time first differs from the last minimum
/// time in bit i-1; bucket 0 holds the entries due at that minimum, sorted by (time, order). Popping the minimum
/// redistributes the lowest non-empty bucket into lower ones, so each entry moves a few times at most, along
/// arrays read and written sequentially: far fewer cache misses and mispredicted branches than a comparison heap.
/// The order key of an entry is fixed at push and is what sorts bucket 0, so the total order is exactly
/// (time, class, sequence) whatever the queue size.
/// </summary>
internal sealed class RadixQueue
{
    private readonly EventEntry[][] _buckets = new EventEntry[65][];
    private readonly int[] _counts = new int[65];
    private readonly long[] _mins = new long[65];   // minimum time in each bucket, kept at push
    private int _head;              // next entry of bucket 0
    private ulong _nonEmpty;        // bit i-1 set when bucket i (1..64) is non-empty
    private long _last;             // time that the buckets are relative to
    private int _count;

    public RadixQueue()
    {
        for (int i = 0; i < _buckets.Length; i++) _buckets[i] = new EventEntry[16];
        _mins.AsSpan().Fill(long.MaxValue);
    }

    public int Count => _count;

    /// <summary>
    /// Time of the minimum entry, without moving anything: refilling bucket 0 early would raise the reference time
    /// above the clock, and later pushes below it would need the slow sorted insert.
    /// </summary>
    public long MinTime => _head < _counts[0] ? _buckets[0][_head].Time : _mins[BitOperations.TrailingZeroCount(_nonEmpty) + 1];

    /// <summary>The minimum entry; only valid when <see cref="Count"/> is positive.</summary>
    public ref readonly EventEntry Top
    {
        get
        {
            if (_head == _counts[0]) Refill();
            return ref _buckets[0][_head];
        }
    }

    public void Push(in EventEntry e)
    {
        _count++;
        if (e.Time > _last)
        {
            // Bucket index 1..64 is always in range, so skip the bounds checks on this hot path.
            int b = 64 - BitOperations.LeadingZeroCount((ulong)(e.Time ^ _last));
            ref int n = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_counts), b);
            ref EventEntry[] arr = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_buckets), b);
            if (n == arr.Length) arr = Grow(b, b);
            Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(arr), n++) = e;
            ref long min = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_mins), b);
            if (e.Time < min) min = e.Time;
            _nonEmpty |= 1UL << (b - 1);
        }
        else
        {
            InsertSorted(e);
        }
    }

    public EventEntry Pop()
    {
        if (_head == _counts[0]) Refill();
        _count--;
        return _buckets[0][_head++];
    }

    /// <summary>Bucket 0 is empty: move the entries of the lowest non-empty bucket down, relative to its minimum.</summary>
    private void Refill()
    {
        _head = 0;
        ref int counts = ref MemoryMarshal.GetArrayDataReference(_counts);
        ref EventEntry[] buckets = ref MemoryMarshal.GetArrayDataReference(_buckets);
        ref long mins = ref MemoryMarshal.GetArrayDataReference(_mins);
        int b = BitOperations.TrailingZeroCount(_nonEmpty) + 1;
        EventEntry[] src = Unsafe.Add(ref buckets, b);
        int n = Unsafe.Add(ref counts, b);
        long min = Unsafe.Add(ref mins, b);
        _last = min;
        Unsafe.Add(ref counts, b) = 0;
        Unsafe.Add(ref mins, b) = long.MaxValue;
        _nonEmpty &= ~(1UL << (b - 1));
        if (n == 1)
        {
            buckets[0] = src[0];
            counts = 1;
            return;
        }
        counts = 0;
        ulong nonEmpty = _nonEmpty;
        ref EventEntry e = ref MemoryMarshal.GetArrayDataReference(src);
        for (int i = 0; i < n; i++, e = ref Unsafe.Add(ref e, 1))
        {
            int d = e.Time == min ? 0 : 64 - BitOperations.LeadingZeroCount((ulong)(e.Time ^ min));
            ref int c = ref Unsafe.Add(ref counts, d);
            ref EventEntry[] dst = ref Unsafe.Add(ref buckets, d);
            if (c == dst.Length) dst = Grow(d, b);
            Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(dst), c++) = e;
            ref long m = ref Unsafe.Add(ref mins, d);
            if (e.Time < m) m = e.Time;
            nonEmpty |= (1UL << (d - 1)) & (d == 0 ? 0 : ~0UL);
        }
        _nonEmpty = nonEmpty;
        if (counts > 1) buckets.AsSpan(0, counts).Sort(static (x, y) => x.Order.CompareTo(y.Order));
    }

    /// <summary>An entry due no later than the current minimum time (only after stale entries were dropped).</summary>
    private void InsertSorted(in EventEntry e)
    {
        ref int n = ref _counts[0];
        var arr = _buckets[0];
        if (n == arr.Length) _buckets[0] = arr = Grow(0, 0);
        int i = n;
        while (i > _head && EventEntry.Before(e, arr[i - 1]))
        {
            arr[i] = arr[i - 1];
            i--;
        }
        arr[i] = e;
        n++;
    }

    /// <summary>
    /// Give bucket <paramref name="d"/> a larger array: an idle one left by another empty bucket if there is one
    /// (buckets take turns holding the bulk of the entries, so after warm-up this never allocates), else a new one.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private EventEntry[] Grow(int d, int busy)
    {
        var current = _buckets[d];
        int n = _counts[d];
        EventEntry[]? bigger = null;
        for (int i = 1; i < _buckets.Length; i++)
        {
            if (i == d || i == busy || _counts[i] != 0 || _buckets[i].Length <= current.Length) continue;
            bigger = _buckets[i];
            _buckets[i] = current;
            break;
        }
        bigger ??= new EventEntry[current.Length * 2];
        current.AsSpan(0, n).CopyTo(bigger);
        _buckets[d] = bigger;
        return bigger;
    }
}
