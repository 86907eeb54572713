using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace HvSim.Engine.Kernel;

/// <summary>
/// Future events in a 16-way radix heap keyed by (time, class). Keys are read as 16 hex digits; bucket
/// (level l, digit v) holds entries whose key agrees with the reference key above digit l and has digit v there
/// (v above the reference's digit); bucket 0 holds, sorted, the entries at or below the reference key (the
/// minimum found by the last refill, or the largest key of a small bucket sorted in one go). Buckets in (level,
/// digit) order are in key order, so the minimum is in the lowest non-empty bucket; taking it moves that bucket's
/// entries to lower levels, so an entry moves a few times at most, along arrays read and written sequentially:
/// far fewer cache misses and mispredicted branches than a comparison heap.
/// </summary>
/// <remarks>
/// Entries with equal keys come out in the order they went in (FIFO), which is the scheduling sequence order,
/// so the queue needs no stored sequence number. Why: entries with equal keys are always in the same bucket
/// (a bucket is a function of key and reference key); pushes append; a refill empties one bucket into buckets
/// that are all empty (every lower bucket is), appending in order, or sorts a small bucket stably into bucket 0;
/// and a push at or below the reference key is inserted after every entry with the same key. Growing never
/// renumbers anything.
/// </remarks>
internal sealed class RadixQueue
{
    private const int DigitBits = 4;
    private const int Digits = 1 << DigitBits;
    private const int Buckets = 1 + 64 / DigitBits * Digits;   // bucket 0, then (level, digit)
    private const int SortBelow = 128;   // buckets this small go to bucket 0 sorted, in one step
    private const int InsertionSortBelow = 8;   // ...by a plain insertion sort when smaller still
    private const int MaxSortBits = 8;   // widest digit of the counting sort of a small bucket
    private const int TradeAbove = 256;    // smaller bucket arrays are each bucket's own (at most 1 MB in all)

    private readonly EventEntry[][] _buckets = new EventEntry[Buckets][];
    private readonly int[] _counts = new int[Buckets];
    private readonly long[] _mins = new long[Buckets];   // minimum key in each bucket 1.., kept at push
    private readonly int[] _minAt = new int[Buckets];   // index of the first entry with that key in its bucket
    private readonly int[] _sortStarts = new int[(1 << MaxSortBits) + 1];
    private readonly ulong[] _nonEmpty = new ulong[(Buckets - 1) / 64];   // bit b-1 set when bucket b is non-empty
    private int _head;              // next entry of bucket 0
    private long _last;             // key that the buckets are relative to
    private int _count;
    // A lone entry waits here, outside the buckets: a queue that holds one event at a time (a single busy
    // process) then costs a store and a load per event instead of a bucket round trip.
    private EventEntry _solo;
    private bool _hasSolo;
    // A queue that never holds more than SmallCapacity events (a queueing model's next arrival and service end)
    // keeps them here, sorted, once a second comes beside the lone one: a push is a few compares and a pop a load,
    // instead of a bucket round trip and a refill per event. The first push past SmallCapacity moves them all into
    // the buckets, and the queue stays there until it is empty again.
    private const int SmallCapacity = 4;
    private readonly EventEntry[] _small = new EventEntry[SmallCapacity];   // by key, largest first; equal keys latest pushed first, so the next pop is the last
    private bool _inSmall;  // every entry is in _small (the buckets are empty)

    public RadixQueue()
    {
        // Arrays come on first use: most of the 257 buckets of a small simulation are never touched.
        _buckets.AsSpan().Fill([]);
        _mins.AsSpan().Fill(long.MaxValue);
    }

    public int Count => _count;

    /// <summary>
    /// Key of the minimum entry (Count must be positive), without moving anything: refilling bucket 0 early
    /// would raise the reference key above the clock, and later pushes below it would need the slow insert.
    /// </summary>
    public long MinKey => _hasSolo ? _solo.Key : _inSmall ? _small[_count - 1].Key : _head < _counts[0] ? _buckets[0][_head].Key : _mins[LowestNonEmpty()];

    /// <summary>
    /// The entry <see cref="Pop"/> would return (Count must be positive), found without moving anything (see
    /// <see cref="MinKey"/>): the first entry with the minimum key in the lowest bucket, which pushes keep track of.
    /// </summary>
    public ref readonly EventEntry Peek()
    {
        if (_hasSolo) return ref _solo;
        if (_inSmall) return ref _small[_count - 1];
        if (_head < _counts[0]) return ref _buckets[0][_head];
        int b = LowestNonEmpty();
        return ref _buckets[b][_minAt[b]];
    }

    /// <summary>Bucket of a key above the reference key: its highest differing digit, and its value there.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int BucketOf(long key, long reference)
    {
        int level = (63 - BitOperations.LeadingZeroCount((ulong)(key ^ reference))) >> 2;
        return 1 + (level << DigitBits) + (int)((ulong)key >> (level << 2) & (Digits - 1));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Push(long key, ulong who)
    {
        if (_count == 0)
        {
            _solo.Key = key;
            _solo.Who = who;
            _hasSolo = true;
            _count = 1;
            return;
        }
        if ((_hasSolo || _inSmall) && PushSmall(key, who)) return;
        _count++;
        PushToBuckets(key, who);
    }

    /// <summary>
    /// A push beside the lone entry or into <see cref="_small"/>: before every entry with a larger key, behind every
    /// one with the same key; false when <see cref="_small"/> is full, after moving its entries into the buckets in the
    /// order they pop (the push then goes there too).
    /// </summary>
    private bool PushSmall(long key, ulong who)
    {
        var small = _small;
        if (_hasSolo)
        {
            _hasSolo = false;
            _inSmall = true;
            small[0] = _solo;
        }
        int n = _count;
        if (n == SmallCapacity)
        {
            _inSmall = false;
            for (int i = n - 1; i >= 0; i--) PushToBuckets(small[i].Key, small[i].Who);
            return false;
        }
        int p = 0;
        while (p < n && small[p].Key > key) p++;
        for (int i = n; i > p; i--) small[i] = small[i - 1];
        small[p] = new EventEntry { Key = key, Who = who };
        _count = n + 1;
        return true;
    }

    /// <summary>The next entry of <see cref="_small"/>; the queue leaves it when it empties.</summary>
    private EventEntry PopSmall()
    {
        var e = _small[--_count];
        if (_count == 0) _inSmall = false;
        return e;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void PushToBuckets(long key, ulong who)
    {
        if (key > _last)
        {
            // The bucket index is always in range, so skip the bounds checks on this hot path.
            int b = BucketOf(key, _last);
            ref int n = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_counts), b);
            ref EventEntry[] arr = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_buckets), b);
            if (n == arr.Length) Grow(b, b);
            ref EventEntry slot = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(arr), n);
            slot.Key = key;
            slot.Who = who;
            ref long min = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_mins), b);
            if (key < min)
            {
                min = key;
                Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_minAt), b) = n;
            }
            n++;
            Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_nonEmpty), (b - 1) >> 6) |= 1UL << (b - 1);
        }
        else
        {
            InsertLow(key, who);
        }
    }

    public EventEntry Pop()
    {
        if (_hasSolo)
        {
            _hasSolo = false;
            _count = 0;
            return _solo;
        }
        if (_inSmall) return PopSmall();
        if (_head == _counts[0]) Refill();
        _count--;
        return _buckets[0][_head++];
    }

    private int LowestNonEmpty()
    {
        for (int w = 0; ; w++)
            if (_nonEmpty[w] != 0) return 1 + (w << 6) + BitOperations.TrailingZeroCount(_nonEmpty[w]);
    }

    /// <summary>Bucket 0 is used up: move the entries of the lowest non-empty bucket down, relative to its minimum.</summary>
    private void Refill()
    {
        _head = 0;
        ref int counts = ref MemoryMarshal.GetArrayDataReference(_counts);
        ref EventEntry[] buckets = ref MemoryMarshal.GetArrayDataReference(_buckets);
        ref long mins = ref MemoryMarshal.GetArrayDataReference(_mins);
        ref ulong nonEmpty = ref MemoryMarshal.GetArrayDataReference(_nonEmpty);
        int b = LowestNonEmpty();
        EventEntry[] src = Unsafe.Add(ref buckets, b);
        int n = Unsafe.Add(ref counts, b);
        long min = Unsafe.Add(ref mins, b);
        _last = min;
        Unsafe.Add(ref counts, b) = 0;
        Unsafe.Add(ref mins, b) = long.MaxValue;
        Unsafe.Add(ref nonEmpty, (b - 1) >> 6) &= ~(1UL << (b - 1));
        if (n <= SortBelow)
        {
            // A small bucket is sorted straight into bucket 0 (stable, so FIFO among equal keys) instead of being
            // spread over lower levels first. The reference key becomes its largest key: the other buckets are
            // still placed correctly against it, as it agrees with the old reference above this bucket's level.
            while (buckets.Length < n) Grow(0, b);
            SortSmall(src, n, (b - 1) >> DigitBits, buckets);
            counts = n;
            _last = buckets[n - 1].Key;
            return;
        }
        counts = 0;
        ref EventEntry e = ref MemoryMarshal.GetArrayDataReference(src);
        for (int i = 0; i < n; i++, e = ref Unsafe.Add(ref e, 1))
        {
            long key = e.Key;
            if (key == min)
            {
                if (counts == buckets.Length) Grow(0, b);
                Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(buckets), counts++) = e;
                continue;
            }
            int d = BucketOf(key, min);
            ref int c = ref Unsafe.Add(ref counts, d);
            ref EventEntry[] dst = ref Unsafe.Add(ref buckets, d);
            if (c == dst.Length) Grow(d, b);
            ref long m = ref Unsafe.Add(ref mins, d);
            if (key < m)
            {
                m = key;
                _minAt[d] = c;
            }
            Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(dst), c++) = e;
            Unsafe.Add(ref nonEmpty, (d - 1) >> 6) |= 1UL << (d - 1);
        }
    }

    /// <summary>
    /// Stable sort of a small bucket of level <paramref name="level"/> into <paramref name="dst"/>: its keys agree
    /// above that level, so a counting sort on the bits below it leaves runs of about one entry, which an
    /// insertion pass then finishes almost without moving anything (an insertion sort of the whole bucket would
    /// shift a quarter of it per entry).
    /// </summary>
    private void SortSmall(EventEntry[] src, int n, int level, EventEntry[] dst)
    {
        if (level == 0 || n == 1)
        {
            // Level 0: same digits down to the last one, so every key is equal and the order is already FIFO.
            src.AsSpan(0, n).CopyTo(dst);
            return;
        }
        if (n <= InsertionSortBelow)
        {
            src.AsSpan(0, n).CopyTo(dst);
            InsertionSort(dst, n);
            return;
        }
        // About two counters per entry leave runs of less than one entry on average; the bits come from just
        // below the level's own digit (keys agree above it).
        int bits = Math.Min(Math.Min(BitOperations.Log2((uint)n) + 2, MaxSortBits), level * DigitBits);
        int shift = level * DigitBits - bits;
        ulong mask = (1UL << bits) - 1;
        Span<int> start = _sortStarts.AsSpan(0, (1 << bits) + 1);
        start.Clear();
        for (int i = 0; i < n; i++) start[1 + (int)((ulong)src[i].Key >> shift & mask)]++;
        for (int d = 1; d < start.Length - 1; d++) start[d] += start[d - 1];
        for (int i = 0; i < n; i++) dst[start[(int)((ulong)src[i].Key >> shift & mask)]++] = src[i];
        InsertionSort(dst, n);
    }

    /// <summary>Stable: an entry moves only past entries with larger keys.</summary>
    private static void InsertionSort(EventEntry[] dst, int n)
    {
        for (int i = 1; i < n; i++)
        {
            EventEntry x = dst[i];
            int j = i;
            while (j > 0 && dst[j - 1].Key > x.Key)
            {
                dst[j] = dst[j - 1];
                j--;
            }
            dst[j] = x;
        }
    }

    /// <summary>
    /// A key at or below the reference key (after a small bucket was sorted into bucket 0, or stale entries were
    /// popped without moving the clock): insert into bucket 0 after every entry with a key not above it.
    /// </summary>
    private void InsertLow(long key, ulong who)
    {
        ref int n = ref _counts[0];
        if (n == _buckets[0].Length) Grow(0, 0);
        var arr = _buckets[0];
        int i = n;
        while (i > _head && arr[i - 1].Key > key)
        {
            arr[i] = arr[i - 1];
            i--;
        }
        arr[i] = new EventEntry { Key = key, Who = who };
        n++;
    }

    /// <summary>
    /// Give bucket <paramref name="d"/> a larger array: trade with the bucket holding the smallest array that is
    /// larger and whose entries fit into the current one (buckets take turns holding the bulk of the entries, so
    /// after warm-up this hardly ever allocates), else allocate. A bucket's first array is its own: trading for
    /// it would make buckets pass small arrays around. <paramref name="busy"/> is being read: keep it.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Grow(int d, int busy)
    {
        var current = _buckets[d];
        if (current.Length < TradeAbove)
        {
            var own = new EventEntry[Math.Max(8, current.Length * 2)];
            current.AsSpan(0, _counts[d]).CopyTo(own);
            _buckets[d] = own;
            return;
        }
        int best = -1;
        for (int i = 1; i < _buckets.Length; i++)
        {
            if (i == d || i == busy || _buckets[i].Length <= current.Length || _counts[i] > current.Length / 2) continue;
            if (best < 0 || _buckets[i].Length < _buckets[best].Length) best = i;
        }
        EventEntry[] bigger;
        if (best >= 0)
        {
            bigger = _buckets[best];
            int theirs = _counts[best], mine = _counts[d];
            // Swap contents via the spare room of `bigger` (at least twice as long, theirs fill at most a quarter):
            // park mine after theirs, move theirs into `current`, slide mine to the front.
            current.AsSpan(0, mine).CopyTo(bigger.AsSpan(theirs));
            bigger.AsSpan(0, theirs).CopyTo(current);
            bigger.AsSpan(theirs, mine).CopyTo(bigger);
            _buckets[best] = current;
        }
        else
        {
            bigger = new EventEntry[current.Length * 2];
            current.AsSpan(0, _counts[d]).CopyTo(bigger);
        }
        _buckets[d] = bigger;
    }
}
