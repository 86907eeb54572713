using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace HvSim.Model.Hv;

/// <summary>
/// The guest hashed page table (2^order bytes of 16-byte HPTEs in PTEGs of 8) and its revmap array, owned by the host
/// (kernel-model.md §1). A translation lives in its primary PTEG or, failing that, its secondary PTEG.
/// </summary>
public sealed class Hpt
{
    public const int HpteBytes = 16;
    public const int PtegSlots = 8;
    public const int MinOrder = 18;
    /// <summary>
    /// The largest order whose HPTE indices the host page's rmap word holds (<see cref="Mm.HostPage.RmapIndexBits"/>):
    /// 2^26 bytes, 2^22 HPTEs, four times 3.4's fixed HPT_ORDER 24.
    /// </summary>
    public const int MaxOrder = Mm.HostPage.RmapIndexBits + 3;
    /// <summary>Bytes of a segment (256 MiB), the unit the VSID hash works on.</summary>
    private const long SegmentBytes = 256L << 20;

    public readonly Hpte[] Entries;
    public readonly RevmapEntry[] Revmap;
    private readonly int _groupMask;
    private readonly int _pagesPerSegmentShift;
    private readonly int _pageInSegmentMask;
    /// <summary>The VSID of each 256 MiB segment of the guest, as the processor reads it from the segment's SLB entry.</summary>
    private readonly uint[] _vsid;
    private readonly LinearHash _linear;

    /// <param name="guestPages">The guest's pages: its segments get a VSID each.</param>
    /// <param name="tables">The run's lease its arrays come from (<see cref="TablePool"/>); fresh arrays without one.</param>
    public Hpt(int order, int guestPageBytes, int guestPages, TablePool.Lease? tables = null)
    {
        if (order < MinOrder || order > MaxOrder)
            throw new ArgumentOutOfRangeException(nameof(order), order, $"HPT order must be in [{MinOrder}, {MaxOrder}]");
        int n = 1 << (order - 4);
        // Every slot free (GuestPage -1): written once, so the array needs no zeroing first.
        Entries = tables?.Rent<Hpte>(n, zeroed: false) ?? HugePages.NewArray<Hpte>(n, zeroed: false);
        Entries.AsSpan().Fill(new Hpte { GuestPage = -1 });
        Revmap = tables?.Rent<RevmapEntry>(n) ?? HugePages.NewArray<RevmapEntry>(n);
        _groupMask = n / PtegSlots - 1;
        _pagesPerSegmentShift = PagesPerSegmentShift(guestPageBytes);
        _pageInSegmentMask = (1 << _pagesPerSegmentShift) - 1;
        _vsid = new uint[(int)(((long)guestPages + _pageInSegmentMask) >> _pagesPerSegmentShift) + 1];
        for (uint segment = 0; segment < _vsid.Length; segment++)
            _vsid[segment] = segment * 0x9E3779B1u ^ (segment >> 7) * 0x85EBCA6Bu; // proto-VSID scramble
        _linear = new LinearHash(order, guestPageBytes, guestPages);
    }

    public int Count => Entries.Length;

    /// <summary>Primary hash of a guest page: VSID of its 256 MiB segment XOR the page index within the segment.</summary>
    /// <remarks>Inlined: every HPT lookup hashes, and a call costs as much as the hash (docs/benchmarks.md, 2026-12-07 09:00).</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Hash(int guestPage) => (int)_vsid[guestPage >> _pagesPerSegmentShift] ^ (guestPage & _pageInSegmentMask);

    /// <summary>First HPTE index of the primary PTEG.</summary>
    public int PrimaryGroup(int guestPage) => (Hash(guestPage) & _groupMask) * PtegSlots;

    /// <summary>First HPTE index of the secondary PTEG (hash XOR all-ones, masked).</summary>
    public int SecondaryGroup(int guestPage) => (~Hash(guestPage) & _groupMask) * PtegSlots;

    /// <summary>PTEG of the guest kernel's bolted linear-map HPTE for a guest page (<see cref="LinearHash"/>).</summary>
    public int LinearGroup(int guestPage) => _linear.Group(guestPage);

    /// <summary>
    /// The hash of the guest kernel's bolted linear map, for an HPT of 2^order bytes, without building one: a guest
    /// page's kernel address 0xc000000000000000 + gpa lies in a 256 MiB segment whose VSID is get_kernel_vsid's
    /// vsid_scramble(ea >> 28) (proto-VSID x VSID_MULTIPLIER_256M mod 2^36-1, mmu-hash64.h), hashed by hpt_hash (VSID XOR
    /// page index in the segment). htab_bolt_mapping only ever uses this primary group. Each segment's VSID is computed
    /// once (the kernel keeps it in the SLB entry), not once per page.
    /// </summary>
    public readonly struct LinearHash
    {
        private readonly ulong[] _vsid;
        private readonly int _groupMask;
        private readonly int _pagesPerSegmentShift;

        /// <param name="guestPages">The guest's pages: its segments get a VSID each.</param>
        public LinearHash(int order, int guestPageBytes, long guestPages)
        {
            const ulong kernelProtoVsid = 0xC000000000000000UL >> 28, multiplier = 200730139, modulus = (1UL << 36) - 1;
            _groupMask = (1 << (order - 7)) - 1;
            _pagesPerSegmentShift = PagesPerSegmentShift(guestPageBytes);
            _vsid = new ulong[(int)((guestPages + (1L << _pagesPerSegmentShift) - 1) >> _pagesPerSegmentShift) + 1];
            for (int segment = 0; segment < _vsid.Length; segment++)
                _vsid[segment] = (kernelProtoVsid + (ulong)segment) * multiplier % modulus;
        }

        /// <summary>First HPTE index of the linear-map PTEG of <paramref name="guestPage"/>.</summary>
        public int Group(int guestPage)
        {
            ulong hash = _vsid[guestPage >> _pagesPerSegmentShift] ^ (ulong)(guestPage & ((1 << _pagesPerSegmentShift) - 1));
            return (int)(hash & (ulong)_groupMask) * PtegSlots;
        }
    }

    private static int PagesPerSegmentShift(int guestPageBytes) => System.Numerics.BitOperations.Log2((ulong)(SegmentBytes / guestPageBytes));

    /// <summary>
    /// The slot of guest page <paramref name="guestPage"/>'s bolted linear-map HPTE, found in its PTEG (bolted HPTEs never
    /// move, so the guest needs no record of it); -1 when the guest bolted none.
    /// </summary>
    public int LinearSlot(int guestPage)
    {
        int group = LinearGroup(guestPage);
        for (int i = group; i < group + PtegSlots; i++)
            if (Entries[i].GuestPage == guestPage && (Entries[i].Flags & HpteFlags.Bolted) != 0) return i;
        return -1;
    }

    /// <summary>
    /// The slot of guest page <paramref name="guestPage"/>'s user (not bolted) HPTE, VALID or ABSENT, found as the
    /// processor's table walk finds a translation: the primary PTEG, then the secondary, compared by AVPN (here the guest
    /// page) with HPTE_V_SECONDARY saying which group it is in; -1 when the guest inserted none. The guest kernel keeps
    /// the slot in its Linux PTE (_PAGE_F_SECOND and _PAGE_F_GIX, set by hpte_insert for flush_hash_page): memory of the
    /// guest, so the host holds nothing per guest page for it. A guest page has at most one user HPTE (invariant 4).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int UserSlot(int guestPage)
    {
        int slot = UserSlotIn(Entries, PrimaryGroup(guestPage), guestPage);
        return slot >= 0 ? slot : UserSlotInSecondary(guestPage);
    }

    /// <summary>
    /// The slot of <paramref name="guestPage"/>'s user HPTE in the PTEG of <paramref name="entries"/> (an HPT's
    /// <see cref="Entries"/>) starting at <paramref name="group"/>, else -1: <see cref="UserSlot"/>'s search of one group.
    /// Static, for a loop that keeps the array in a register and its pages' groups already hashed
    /// (<see cref="PrimaryGroup"/>: hpte_insert puts a page there unless the group is full).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int UserSlotIn(Hpte[] entries, int group, int guestPage)
    {
        // One bounds check for the whole group, then its slots are read without one each.
        if ((uint)group > (uint)(entries.Length - PtegSlots)) throw new ArgumentOutOfRangeException(nameof(group));
        ref var first = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(entries), group);
        for (nint i = 0; i < PtegSlots; i++)
        {
            ref var h = ref Unsafe.Add(ref first, i);
            if (h.GuestPage == guestPage && (h.Flags & HpteFlags.Bolted) == 0) return group + (int)i;
        }
        return -1;
    }

    /// <summary>The rest of <see cref="UserSlot"/>: the secondary PTEG (HPTE_V_SECONDARY), for a page whose primary PTEG was full.</summary>
    private int UserSlotInSecondary(int guestPage) => UserSlotIn(Entries, SecondaryGroup(guestPage), guestPage);

    /// <summary>
    /// A hint that a lookup will soon search the PTEG of <paramref name="entries"/> starting at <paramref name="group"/>
    /// (<see cref="CacheHint"/>: no effect on the model; a group outside the array costs a wasted hint, never a fault).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void PrefetchGroup(Hpte[] entries, int group) => CacheHint.Prefetch(in Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(entries), group));

    /// <summary>
    /// A hint (<see cref="CacheHint"/>) for the lines of guest page <paramref name="guestPage"/>'s linear-map PTEG and
    /// its first revmap entries, which its bolting H_ENTER reads and writes. No effect on the model.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void PrefetchLinearGroup(int guestPage)
    {
        int group = LinearGroup(guestPage);
        PrefetchGroup(Entries, group);
        CacheHint.Prefetch(in Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(Revmap), group));
    }

    /// <summary>A slot of the PTEG starting at <paramref name="group"/> that is neither VALID nor ABSENT; -1 if none.</summary>
    public int FreeSlot(int group)
    {
        for (int i = group; i < group + PtegSlots; i++)
            if (Entries[i].IsFree) return i;
        return -1;
    }
}
