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
/// Per host page of guest RAM, one 64-bit word (8 bytes) as struct page keeps its flags, zone and node in one word:
/// bits 0-13 the host PTE / struct page bits, bits 14-15 the page's state, bits 16-40 the swap entry (the slot + 1, 0 for
/// none, <see cref="SwapSlotBits"/> bits) and bits 41-63 the rmap word (the HPTE index of the chain's head + 1, 0 when
/// KVMPPC_RMAP_PRESENT is clear, <see cref="RmapIndexBits"/> bits). The kernel's rmap word keeps a 32-bit index
/// (KVMPPC_RMAP_INDEX) under its flag bits and its swp_entry_t about 50 bits of offset; the narrower fields here bound
/// the HPT (hpt_order, <see cref="MaxHpteIndex"/>) and the swap device (<see cref="MaxSwapSlots"/>), and loading refuses
/// a scenario beyond either. The owning guest is not stored: a host page's position in the array says whose memslot it
/// is in (<see cref="Host.GuestOf"/>). The all-zero word is a page never touched, with no swap slot and no rmap chain.
/// </summary>
public struct HostPage
{
    private const int StateShift = 14;
    private const ulong FlagBits = (1UL << StateShift) - 1;
    private const ulong StateBits = 3UL << StateShift;
    private const int SwapShift = 16;
    /// <summary>Bits of the swap entry: slots 0 .. 2^25 - 2 (2 TiB of swap in 64 KiB pages, 128 GiB in 4 KiB pages).</summary>
    public const int SwapSlotBits = 25;
    private const int RmapShift = SwapShift + SwapSlotBits;
    /// <summary>Bits of the rmap word's HPTE index: HPTEs 0 .. 2^23 - 2, so an HPT of at most 2^22 HPTEs (hpt_order 26).</summary>
    public const int RmapIndexBits = 64 - RmapShift;
    private const ulong SwapMask = ((1UL << SwapSlotBits) - 1) << SwapShift;
    private const ulong RmapMask = ((1UL << RmapIndexBits) - 1) << RmapShift;

    /// <summary>Swap slots a swap device may have: every slot number + 1 fits the swap entry's bits.</summary>
    public const int MaxSwapSlots = (1 << SwapSlotBits) - 1;
    /// <summary>The largest HPTE index the rmap word holds (its all-ones value + 1 would not fit).</summary>
    public const int MaxHpteIndex = (1 << RmapIndexBits) - 2;

    private ulong _word;

    /// <summary>rmap INDEX of the head of the circular HPTE list; -1 when PRESENT is clear.</summary>
    public int RmapHead
    {
        readonly get => (int)(_word >> RmapShift) - 1;
        set
        {
            System.Diagnostics.Debug.Assert(value is >= -1 and <= MaxHpteIndex);
            _word = (_word & ~RmapMask) | ((ulong)(uint)(value + 1) << RmapShift);
        }
    }

    /// <summary>Swap slot holding (or reserved for) this page; -1 when none.</summary>
    public int SwapSlot
    {
        readonly get => (int)((_word & SwapMask) >> SwapShift) - 1;
        set
        {
            System.Diagnostics.Debug.Assert(value is >= -1 and < MaxSwapSlots);
            _word = (_word & ~SwapMask) | ((ulong)(uint)(value + 1) << SwapShift);
        }
    }

    public HostPageFlags Flags
    {
        readonly get => (HostPageFlags)(_word & FlagBits);
        set => _word = (_word & ~FlagBits) | ((ulong)value & FlagBits);
    }

    public HostPageState State
    {
        readonly get => (HostPageState)((_word & StateBits) >> StateShift);
        set => _word = (_word & ~StateBits) | ((ulong)value << StateShift);
    }

    /// <summary>Every flag fits below the state bits.</summary>
    public static bool FlagsFit => Enum.GetValues<HostPageFlags>().All(f => ((ulong)f & ~FlagBits) == 0);

    public readonly bool Has(HostPageFlags f) => (_word & (ulong)f) != 0;

    /// <summary>Sets flags <paramref name="f"/> (SetPageX): one OR on the word, where <c>Flags |= f</c> rewrites every flag bit.</summary>
    public void Set(HostPageFlags f) => _word |= (ulong)f & FlagBits;

    /// <summary>Clears flags <paramref name="f"/> (ClearPageX): one AND on the word.</summary>
    public void Clear(HostPageFlags f) => _word &= ~((ulong)f & FlagBits);
    public readonly bool InRam => StateInRam(_word);

    /// <summary>The state in <paramref name="word"/> is Resident or SwapCache: consecutive states, one unsigned compare.</summary>
    private static bool StateInRam(ulong word) =>
        ((word & StateBits) >> StateShift) - (ulong)HostPageState.Resident <= HostPageState.SwapCache - HostPageState.Resident;

    /// <summary>
    /// How many of <paramref name="pages"/> are in RAM (<see cref="InRam"/>), and how many of those hold a swap slot (the
    /// swap cache's share, total_swapcache_pages), added up without a branch per page (the states are mixed, so a
    /// branch would mispredict; a condition turned into 0 or 1 compiles to a flag set).
    /// </summary>
    public static (long InRam, long SwapCached) CountInRam(ReadOnlySpan<HostPage> pages)
    {
        long inRam = 0, swapCached = 0;
        foreach (ref readonly var page in pages)
        {
            int inRamNow = StateInRam(page._word) ? 1 : 0;
            inRam += inRamNow;
            swapCached += inRamNow & (page.SwapSlot >= 0 ? 1 : 0);
        }
        return (inRam, swapCached);
    }
}
