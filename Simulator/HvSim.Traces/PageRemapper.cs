using System.Runtime.InteropServices;

namespace HvSim.Traces;

/// <summary>
/// Gives trace pages dense ids 0, 1, 2, … in order of first appearance, so that everything downstream indexes arrays
/// by page instead of hashing 64-bit ids.
/// </summary>
public sealed class PageRemapper
{
    private readonly Dictionary<ulong, int> _dense = [];

    public int UniquePages => _dense.Count;

    /// <summary>
    /// Bytes the map keeps: per slot of its capacity a dictionary entry (hash, next, 8-byte key, value: 24 B with
    /// padding) and a bucket (4 B).
    /// </summary>
    public long Bytes => (long)_dense.EnsureCapacity(0) * 28;

    public int Dense(ulong rawPage)
    {
        ref int id = ref CollectionsMarshal.GetValueRefOrAddDefault(_dense, rawPage, out bool existed);
        if (!existed) id = _dense.Count - 1;
        return id;
    }

    /// <summary>The dense id of a page seen before, or -1.</summary>
    public int Find(ulong rawPage) => _dense.TryGetValue(rawPage, out int id) ? id : -1;
}
