using HvSim.Model.Config;

namespace HvSim.Model.Mm;

/// <summary>
/// The hugetlbfs huge page pool (mm/hugetlb.c): vm.nr_hugepages pages of 16 MiB, the ppc64 default huge page size on
/// POWER7 (HPAGE_SHIFT 24), taken out of the buddy allocator at boot (hugetlb_init / hugetlb_hstate_alloc_pages) and
/// out of all other use. A guest whose QEMU backs its RAM with hugetlbfs (-mem-path) reserves its huge pages when it
/// maps them (hugetlb_reserve_pages: QEMU fails with ENOMEM when the pool has too few free) and its pages are never on
/// an LRU: reclaim and swap cannot touch them (hugetlb pages are not LRU pages in any kernel).
/// </summary>
public readonly record struct HugetlbPool(long Count, long PagesEach)
{
    /// <summary>16 MiB: the POWER7 huge page (MMU_PAGE_16M).</summary>
    public const long HugePageBytes = 16L << 20;

    /// <summary>The pool the host booted with: host.hugepages, or with hugepages auto exactly what the admitted hugetlbfs guests use.</summary>
    public static HugetlbPool AtBoot(HostConfig host, long usedByAdmitted) =>
        new(host.HugePages ?? usedByAdmitted, HugePageBytes / host.PageSizeBytes);

    /// <summary>Huge pages a guest's RAM takes (hugetlbfs rounds the mapping up to whole huge pages); 0 for anonymous RAM.</summary>
    public static long HugePagesFor(GuestConfig guest) =>
        guest.Backing == MemoryBacking.Hugetlbfs ? (guest.MemoryBytes + HugePageBytes - 1) / HugePageBytes : 0;

    /// <summary>Host pages the pool takes at boot.</summary>
    public long TotalPages => Count * PagesEach;
}
