using System.Runtime.CompilerServices;

namespace HvSim.Engine.Kernel;

/// <summary>
/// Records in one array, reused through a free list: <see cref="Alloc"/> hands out an index, <see cref="Free"/> takes
/// it back. Tokens name a record by (index, version or generation): the owner moves the record's version on when it
/// frees it, so a stale token is recognised instead of searched for. The pattern of the slot table, resource requests
/// and store gets; a mutable struct held in a field, so the hot paths index <see cref="Items"/> directly.
/// </summary>
internal struct RecordPool<T> where T : struct
{
    /// <summary>The records; index with <see cref="Alloc"/>'s results (entries below <c>reserved</c> are never handed out).</summary>
    public T[] Items;
    private int[] _free;
    private int _freeCount;
    private int _used;

    /// <param name="reserved">Leading indices kept out of the pool (the slot table's slot 0).</param>
    public RecordPool(int capacity, int reserved = 0)
    {
        Items = new T[capacity];
        _free = new int[capacity];
        _used = reserved;
    }

    /// <summary>A free index: the last one freed, or a new one (the array doubles when full, up to <paramref name="limit"/> records).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Alloc(int limit = int.MaxValue)
    {
        if (_freeCount > 0) return _free[--_freeCount];
        if (_used == Items.Length) Grow(limit);
        return _used++;
    }

    /// <summary>Give <paramref name="index"/> back; the caller has reset the record and moved its version on.</summary>
    public void Free(int index)
    {
        if (_freeCount == _free.Length) Array.Resize(ref _free, _free.Length * 2);
        _free[_freeCount++] = index;
    }

    private void Grow(int limit)
    {
        if ((long)Items.Length * 2 > limit) throw new InvalidOperationException($"more than {limit} live records");
        Array.Resize(ref Items, Items.Length * 2);
    }
}
