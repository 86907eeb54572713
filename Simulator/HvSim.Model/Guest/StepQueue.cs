namespace HvSim.Model.Guest;

/// <summary>
/// The guest steps waiting in <see cref="GuestExecution"/>: a binary min-heap of (time, scheduling order, vcore slot)
/// in one array of plain structs (no references, so moving an entry needs no GC write barrier). Orders are unique, so
/// the heap gives up its entries in one total order whatever its layout: time, then scheduling order. The head can be
/// re-keyed in place (<see cref="ReplaceHead"/>: one sift instead of a removal and an insertion), which is what a vcore
/// that ran its turn and stays in the guest needs.
/// </summary>
internal sealed class StepQueue
{
    /// <summary>A waiting step: its time, then its scheduling order and the vcore's slot packed in one word (the order above <see cref="SlotBits"/>).</summary>
    private struct Entry
    {
        public long At;
        public long OrderSlot;
    }

    /// <summary>Bits of the vcore slot in <see cref="Entry.OrderSlot"/>: 2^20 vcores, 2^43 steps scheduled per run.</summary>
    private const int SlotBits = 20;
    private const long SlotMask = (1L << SlotBits) - 1;
    /// <summary>The largest vcore slot an entry holds.</summary>
    internal const int MaxSlot = (int)SlotMask;
    /// <summary>The largest scheduling order an entry holds.</summary>
    internal const long MaxOrder = long.MaxValue >> SlotBits;
    private Entry[] _heap = new Entry[8];

    public int Count { get; private set; }

    /// <summary>Time of the earliest waiting step; long.MaxValue when none waits.</summary>
    public long HeadAt => Count > 0 ? _heap[0].At : long.MaxValue;

    /// <summary>Slot of the vcore whose step is the earliest (the queue must not be empty).</summary>
    public int HeadSlot => (int)(_heap[0].OrderSlot & SlotMask);

    /// <summary>Time of the earliest waiting step after the head (a child of the root); long.MaxValue if none.</summary>
    public long SecondAt => Count switch
    {
        < 2 => long.MaxValue,
        2 => _heap[1].At,
        _ => Math.Min(_heap[1].At, _heap[2].At),
    };

    /// <summary>Add vcore <paramref name="slot"/>'s step at <paramref name="at"/>, scheduled as <paramref name="order"/> (larger than every order before).</summary>
    public void Enqueue(int slot, long at, long order)
    {
        if (Count == _heap.Length) Array.Resize(ref _heap, Count * 2);
        var e = new Entry { At = at, OrderSlot = order << SlotBits | (uint)slot };
        int i = Count++;
        while (i > 0)
        {
            int parent = (i - 1) >> 1;
            if (!Less(e, _heap[parent])) break;
            _heap[i] = _heap[parent];
            i = parent;
        }
        _heap[i] = e;
    }

    /// <summary>The head's vcore has its next step at <paramref name="at"/>, scheduled as <paramref name="order"/>: it waits again.</summary>
    public void ReplaceHead(long at, long order) =>
        SiftDown(new Entry { At = at, OrderSlot = order << SlotBits | (_heap[0].OrderSlot & SlotMask) });

    /// <summary>Remove the head (the queue must not be empty).</summary>
    public void RemoveHead()
    {
        int last = --Count;
        if (last > 0) SiftDown(_heap[last]);
    }

    /// <summary>Put <paramref name="e"/> at the root and move it down to its place among the <see cref="Count"/> entries.</summary>
    private void SiftDown(Entry e)
    {
        var heap = _heap;
        int n = Count, i = 0;
        while (true)
        {
            int child = 2 * i + 1;
            if (child >= n) break;
            if (child + 1 < n && Less(heap[child + 1], heap[child])) child++;
            if (!Less(heap[child], e)) break;
            heap[i] = heap[child];
            i = child;
        }
        heap[i] = e;
    }

    private static bool Less(in Entry a, in Entry b) => a.At < b.At || (a.At == b.At && a.OrderSlot < b.OrderSlot);
}
