using System.Runtime.CompilerServices;

namespace HvSim.Model.Mm;

/// <summary>
/// Swap space and the swap cache's slot bookkeeping (swap_map, add_to_swap, delete_from_swap_cache): slots are
/// allocated next-fit like scan_swap_map, so pages evicted together sit together and the cluster readahead of aligned
/// slots (<see cref="SwapClusterReadahead"/>) brings their neighbours back.
/// </summary>
public sealed class SwapCache
{
    private readonly int[] _owner;
    private int _next;

    public SwapCache(long capacityBytes, int pageBytes)
    {
        _owner = new int[checked((int)(capacityBytes / pageBytes))];
        Array.Fill(_owner, -1);
    }

    public int Slots => _owner.Length;
    public int UsedSlots { get; private set; }
    public int FreeSlots => _owner.Length - UsedSlots;

    /// <summary>vm_swap_full: more than half of swap in use.</summary>
    public bool IsFull
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)] // do_swap_page asks on every swap-cache read fault
        get => UsedSlots * 2 > _owner.Length;
    }

    /// <summary>Host page owning <paramref name="slot"/>, -1 when free.</summary>
    public int OwnerOf(int slot) => _owner[slot];

    /// <summary>add_to_swap: give the page a slot; false when swap space is exhausted.</summary>
    public bool AddToSwap(ref HostPage page, int hostPage)
    {
        if (UsedSlots == _owner.Length) return false;
        while (_owner[_next] >= 0) _next = _next + 1 == _owner.Length ? 0 : _next + 1;
        _owner[_next] = hostPage;
        page.SwapSlot = _next;
        UsedSlots++;
        _next = _next + 1 == _owner.Length ? 0 : _next + 1;
        return true;
    }

    /// <summary>
    /// Told of each slot freed (swap_entry_free): zram's swap_slot_free_notify, or zswap_invalidate. null for a plain device.
    /// </summary>
    public Action<int>? SlotFreeNotify { get; set; }

    /// <summary>delete_from_swap_cache / swap_free: the swap copy is dropped (page redirtied, or vm_swap_full).</summary>
    public void Free(ref HostPage page)
    {
        SlotFreeNotify?.Invoke(page.SwapSlot);
        _owner[page.SwapSlot] = -1;
        page.SwapSlot = -1;
        UsedSlots--;
    }
}
