using HvSim.Model.Config;
using HvSim.Model.Guest;

namespace HvSim.Model.Hv;

/// <summary>
/// Host kernel memory KVM allocates for one guest, in host pages, none of it reclaimable (3.4 sources):
/// the HPT (kvmppc_alloc_hpt: __get_free_pages of order HPT_ORDER - PAGE_SHIFT, 2^hpt_order bytes), its revmap
/// (vmalloc of sizeof(struct revmap_entry) = 16 B per HPTE), the memslot rmap (__kvm_set_memory_region: vzalloc of 8 B
/// per memslot page, on both platforms) and, on PPC970 only, slot_phys (kvmppc_core_prepare_memory_region: vzalloc of
/// 8 B per memslot page). Memslot pages are host pages (memory_size &gt;&gt; PAGE_SHIFT), whatever the guest page size.
/// vmalloc rounds each array up to whole pages; the page tables that map them are left out (a few pages per GiB).
/// </summary>
public readonly record struct KvmGuestMemory(long HptPages, long RevmapPages, long RmapPages, long SlotPhysPages)
{
    /// <summary>sizeof(struct revmap_entry): guest_rpte (8 B) plus forw and back (4 B each).</summary>
    public const int RevmapEntryBytes = 16;
    /// <summary>One HPTE: two doublewords.</summary>
    public const int HpteBytes = 16;
    /// <summary>One memslot->rmap word, and one slot_phys word (unsigned long).</summary>
    public const int RmapEntryBytes = 8;

    /// <summary>kvmppc_core_init_vm (HPT, revmap), __kvm_set_memory_region (rmap) and kvmppc_core_prepare_memory_region (slot_phys) for one guest.</summary>
    public static KvmGuestMemory For(GuestConfig guest, Platform platform, int hostPageBytes)
    {
        long hpt = 1L << guest.HptOrder;
        long revmap = hpt / HpteBytes * RevmapEntryBytes;
        long slotPages = guest.MemoryBytes / hostPageBytes;
        long perPage = Pages(slotPages * RmapEntryBytes, hostPageBytes);
        return new KvmGuestMemory(Pages(hpt, hostPageBytes), Pages(revmap, hostPageBytes), perPage,
            platform.UsesMmuNotifiers() ? 0 : perPage);
    }

    public long TotalPages => HptPages + RevmapPages + RmapPages + SlotPhysPages;

    /// <summary>The parts in MiB, as the admission arithmetic prints them.</summary>
    public string Describe(int hostPageBytes)
    {
        string s = $"HPT {Mib(HptPages, hostPageBytes)} + revmap {Mib(RevmapPages, hostPageBytes)} + rmap {Mib(RmapPages, hostPageBytes)}";
        return SlotPhysPages > 0 ? s + $" + slot_phys {Mib(SlotPhysPages, hostPageBytes)} MiB" : s + " MiB";
    }

    private static long Pages(long bytes, int pageBytes) => (bytes + pageBytes - 1) / pageBytes;

    private static string Mib(long pages, int pageBytes) =>
        (pages * pageBytes / (double)(1 << 20)).ToString("0.##", System.Globalization.CultureInfo.InvariantCulture);
}
