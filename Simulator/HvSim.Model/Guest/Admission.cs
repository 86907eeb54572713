using HvSim.Model.Config;
using HvSim.Model.Hv;
using HvSim.Model.Mm;

namespace HvSim.Model.Guest;

/// <summary>
/// Which guests can start, in config order; a guest's fate depends only on the guests before it, so asking for more
/// guests never admits fewer. Every guest first needs what KVM_CREATE_VM and its memslot allocate in the host kernel
/// (<see cref="KvmGuestMemory"/>: HPT, revmap, rmap, slot_phys) and an LPID (<see cref="PlatformExtensions.GuestLpids"/>).
/// POWER7 guest memory is pageable, so that is all a POWER7 guest needs. A PPC970 guest also needs an RMA from the
/// boot-time pool and must pin the rest of its memory (kernel-model.md §2.9): a guest that finds the pool empty, or
/// whose memory beyond its RMA and KVM memory do not fit in host memory minus the reserve, the pool, the min watermark
/// and what earlier guests hold, is refused, never shrunk, and holds no RMA. A guest backed by hugetlbfs needs its
/// huge pages from the boot-time pool (<see cref="HugetlbPool"/>): with host.hugepages set, a guest that finds too few
/// free is refused; with it auto the pool holds exactly the admitted guests' huge pages, which then count like pins.
/// </summary>
/// <remarks>
/// The pins are get_user_pages allocations, which may take free memory down to the min watermark and no further:
/// below it the allocator reclaims directly, finds only pinned pages, and the OOM killer ends a QEMU. So pinned
/// guests fit above min; between low and min each pin still wakes kswapd, which scans the pinned pages in vain.
/// </remarks>
public static class Admission
{
    /// <summary>Per guest in config order: null when admitted, else the refusal reason.</summary>
    public static string?[] Decide(SimulationConfig config)
    {
        var reasons = new string?[config.Guests.Count];
        var host = config.Host;
        int page = host.PageSizeBytes;
        bool pins = !config.Platform.UsesMmuNotifiers();
        long minWatermark = Watermarks.For(host).Min;
        long reserved = (host.ReservedBytes + page - 1) / page;
        long beforePool = host.MemoryBytes / page - reserved - minWatermark;
        int lpids = config.Platform.GuestLpids();
        long held = 0; // pinned pages and KVM memory of the guests admitted so far
        long hugeUsed = 0; // huge pages of the hugetlbfs guests admitted so far
        int admitted = 0;
        // Whether a guest boots depends only on its linear map's geometry, which the guests of a scenario's `count:`
        // share: asked once per geometry, not once per guest (a walk over every guest page each time).
        var bootable = new Dictionary<(LinearMap, int PageBytes, long Memory, int HptOrder), string?>();
        for (int i = 0; i < config.Guests.Count; i++)
        {
            var guest = config.Guests[i];
            var geometry = (guest.LinearMap, guest.PageBytesOn(config.Platform, page), guest.MemoryBytes, guest.HptOrder);
            if (!bootable.TryGetValue(geometry, out string? panic))
                bootable[geometry] = panic = BoltedLinearMap.WhyNotBootable(guest, config.Platform, page);
            if (panic is not null)
            {
                reasons[i] = panic;
                continue;
            }
            if (admitted == lpids)
            {
                reasons[i] = $"no LPID left: {Name(config.Platform)} LPIDs have {config.Platform.LpidBits()} bits, one is the host's and one " +
                    $"is reserved for partition switching (kvmppc_mmu_hv_init), so {lpids} guests can run and the guests before this one hold them all";
                continue;
            }
            // With rma_count auto the pool has one RMA per admitted guest, this one's included.
            var pool = RmaPool.AtBoot(config, admitted + 1);
            if (pins && pool.Required && host.RmaCount is int count && admitted == count)
            {
                reasons[i] = $"PPC970 runs guest real mode in an RMA, and all {count} RMAs of the host's boot-time pool " +
                    "(host.rma_count) are taken by earlier guests";
                continue;
            }
            long huge = HugetlbPool.HugePagesFor(guest);
            if (huge > 0 && host.HugePages is long nrHugepages && hugeUsed + huge > nrHugepages)
            {
                reasons[i] = $"hugetlbfs: QEMU's mapping of {Mib(huge * HugetlbPool.HugePageBytes)} MiB needs {huge} huge pages of 16 MiB " +
                    $"(hugetlb_reserve_pages fails with ENOMEM), but the pool (host.hugepages) has {nrHugepages} and earlier guests reserved {hugeUsed}";
                continue;
            }
            var hugePool = HugetlbPool.AtBoot(host, hugeUsed + huge);
            var kvm = KvmGuestMemory.For(guest, config.Platform, page);
            long pages = guest.MemoryBytes / page;
            long backed = pins ? RmaPool.BackedPages(config, pages) : 0;
            long pinned = pins ? pages - backed : 0;
            long available = beforePool - pool.TotalPages - hugePool.TotalPages;
            if (held + pinned + kvm.TotalPages <= available)
            {
                held += pinned + kvm.TotalPages;
                hugeUsed += huge;
                admitted++;
                continue;
            }
            string remain = $"only {Mib(Math.Max(0, available - held) * page)} MiB remain (host {Mib(host.MemoryBytes)} MiB - reserved " +
                $"{Mib(host.ReservedBytes)} MiB" +
                (pool.Required ? $" - RMA pool {Mib(pool.TotalPages * page)} MiB ({pool.Count} x {Mib(pool.PagesEach * page)} MiB)" : "") +
                (hugePool.Count > 0 ? $" - hugetlbfs pool {Mib(hugePool.TotalPages * page)} MiB ({hugePool.Count} x 16 MiB{(huge > 0 && host.HugePages is null ? $", {huge} of them this guest's" : "")})" : "") +
                $" - min watermark {Mib(minWatermark * page)} MiB - {Mib(held * page)} MiB " +
                (pins ? "pinned and held by KVM for earlier guests)" : "held by KVM for earlier guests)");
            string kvmText = $"{Mib(kvm.TotalPages * page)} MiB of KVM memory ({kvm.Describe(page)})";
            reasons[i] = huge > 0 && host.HugePages is null
                ? $"hugetlbfs: the host cannot set aside the {huge} huge pages of 16 MiB the guest's RAM needs beside {kvmText}: {remain}"
                : pins
                ? $"PPC970 pins all guest memory: needs {Mib(pinned * page)} MiB" +
                    (backed > 0 ? $" besides the {Mib(backed * page)} MiB its RMA backs" : "") + $", plus {kvmText}, but {remain}"
                : $"KVM_CREATE_VM fails with ENOMEM: the guest needs {kvmText} that cannot be reclaimed, but {remain}";
        }
        return reasons;
    }

    private static string Name(Platform p) => p == Platform.Power7 ? "POWER7" : "PPC970";

    private static string Mib(long bytes) => (bytes / (double)(1 << 20)).ToString("0.##", System.Globalization.CultureInfo.InvariantCulture);
}
