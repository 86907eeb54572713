using System.Runtime.InteropServices;

namespace HvSim.Model.Mm;

/// <summary>Where a host page of guest RAM lives (the four states of issue 3's invariant).</summary>
public enum HostPageState : byte
{
    /// <summary>The guest never touched it: no host page, no swap slot.</summary>
    NeverTouched,
    /// <summary>In RAM and mapped in QEMU's page table (host PTE present); may also hold a swap slot.</summary>
    Resident,
    /// <summary>In RAM in the swap cache only: host PTE is a swap entry (unmapped by reclaim, or read ahead).</summary>
    SwapCache,
    /// <summary>Only on the swap device.</summary>
    SwappedOut,
}

[Flags]
public enum HostPageFlags : ushort
{
    None = 0,
    /// <summary>Host PTE young (accessed) bit: set when KVM instantiates an HPTE or gup faults the page in.</summary>
    Young = 1,
    /// <summary>Host PTE writable; a read swap-in maps read-only (do_swap_page without write).</summary>
    Writable = 2,
    /// <summary>PG_dirty: contents differ from any swap copy.</summary>
    Dirty = 4,
    /// <summary>rmap host-view R (KVMPPC_RMAP_REFERENCED): set when an HPTE is linked, cleared by ageing.</summary>
    RmapReferenced = 8,
    /// <summary>rmap host-view C (KVMPPC_RMAP_CHANGED): harvested from HPTE C bits.</summary>
    RmapChanged = 16,
    /// <summary>PG_writeback: a swap write is in flight.</summary>
    Writeback = 32,
    /// <summary>PG_locked for a swap read in flight.</summary>
    Locked = 64,
    /// <summary>PPC970: get_user_pages reference kept in slot_phys (§2.9).</summary>
    Pinned = 128,
    /// <summary>PPC970: backed by the guest's RMA, preallocated at boot: resident and pinned from the start, never on the LRU.</summary>
    Rma = 256,
    /// <summary>PG_reclaim: written by reclaim; end_page_writeback rotates it to the inactive tail (rotate_reclaimable_page).</summary>
    Reclaim = 512,
    /// <summary>PG_referenced: set by mark_page_accessed (the FOLL_TOUCH gup path); a second touch on the inactive list activates.</summary>
    Referenced = 1024,
    /// <summary>Isolated from the LRU by a reclaimer (PG_lru clear): back on a list when its shrink_page_list is done with it.</summary>
    Isolated = 2048,
    /// <summary>PG_active set before the page joins the LRU (6.x workingset_refault): folio_add_lru puts it on the active list.</summary>
    Active = 4096,
    /// <summary>PG_readahead: read by swap readahead for a neighbour's fault and not looked up since (a hit when it is).</summary>
    Readahead = 8192,
}

/// <summary>
/// Per host page of guest RAM (10 bytes): the rmap word (head index + PRESENT as head &gt;= 0), the swap slot, and one
/// 16-bit word for the host PTE / struct page bits (bits 0-13) and the page's state (bits 14-15), as struct page keeps
/// its zone and node in the top bits of page->flags. The owning guest is not stored: a host page's position in the
/// array says whose memslot it is in (<see cref="Host.GuestOf"/>).
/// </summary>
[StructLayout(LayoutKind.Sequential, Pack = 2)]
public struct HostPage
{
    private const int StateShift = 14;
    private const ushort FlagBits = (1 << StateShift) - 1;

    /// <summary>rmap INDEX of the head of the circular HPTE list; -1 when PRESENT is clear.</summary>
    public int RmapHead;
    /// <summary>Swap slot holding (or reserved for) this page; -1 when none.</summary>
    public int SwapSlot;
    private ushort _flagsAndState;

    public HostPageFlags Flags
    {
        readonly get => (HostPageFlags)(_flagsAndState & FlagBits);
        set => _flagsAndState = (ushort)((_flagsAndState & ~FlagBits) | ((ushort)value & FlagBits));
    }

    public HostPageState State
    {
        readonly get => (HostPageState)(_flagsAndState >> StateShift);
        set => _flagsAndState = (ushort)((_flagsAndState & FlagBits) | ((int)value << StateShift));
    }

    /// <summary>Every flag fits below the state bits.</summary>
    public static bool FlagsFit => Enum.GetValues<HostPageFlags>().All(f => ((ushort)f & ~FlagBits) == 0);

    public readonly bool Has(HostPageFlags f) => (_flagsAndState & (ushort)f) != 0;
    public readonly bool InRam => State is HostPageState.Resident or HostPageState.SwapCache;
}
