using HvSim.Engine;
using HvSim.Model.Bench;
using HvSim.Model.Config;
using HvSim.Model.Guest;
using HvSim.Model.Hv;
using HvSim.Model.Mm;
using HvSim.Model.Replacement;
using HvSim.Model.Workloads;

namespace HvSim.Model.Tests.Model;

/// <summary>What 3.4 KVM takes per guest and allows per host (audit rows 34, 37, 38, 39), worked by hand from the source.</summary>
public class KvmGuestLimitsTests
{
    private static GuestConfig Guest(long bytes, int hptOrder = 24, int? page = null) =>
        new() { Name = "g", MemoryBytes = bytes, HptOrder = hptOrder, PageSizeBytes = page, Workload = new UniformWorkload() };

    [Theory]
    // 3.4 book3s_64_mmu_hv.c kvmppc_alloc_hpt: HPT = __get_free_pages(order HPT_ORDER - PAGE_SHIFT) = 2^24 B; revmap =
    // vmalloc(sizeof(struct revmap_entry) x HPT_NPTE) = 16 B x 2^20. kvm_main.c __kvm_set_memory_region: rmap = vzalloc(npages
    // x 8) with npages = memory_size >> PAGE_SHIFT; book3s_hv.c kvmppc_core_prepare_memory_region: slot_phys likewise, only
    // when !using_mmu_notifiers.
    // 3 GiB, 64 KiB host pages: 49152 pages x 8 B = 384 KiB = 6 pages each; HPT and revmap 256 pages each.
    [InlineData(Platform.Power7, 3L << 30, 65536, 24, null, 256, 256, 6, 0)]
    [InlineData(Platform.Ppc970, 3L << 30, 65536, 24, null, 256, 256, 6, 6)]
    // The memslot counts host pages: 4 KiB guest pages on a 64 KiB host need no bigger rmap.
    [InlineData(Platform.Power7, 3L << 30, 65536, 24, 4096, 256, 256, 6, 0)]
    // 3 GiB on a 4 KiB host: 786432 pages x 8 B = 6 MiB = 1536 pages each; HPT and revmap 4096 pages each.
    [InlineData(Platform.Ppc970, 3L << 30, 4096, 24, null, 4096, 4096, 1536, 1536)]
    // hpt_order 18 (a what-if: 3.4 fixes 24): 256 KiB each; 16 MiB guest = 256 pages x 8 B = 2 KiB, one 64 KiB page.
    [InlineData(Platform.Ppc970, 16L << 20, 65536, 18, null, 4, 4, 1, 1)]
    public void KvmMemoryPerGuestIsHptRevmapRmapAndSlotPhys(Platform platform, long memory, int hostPage, int order, int? guestPage,
        long hpt, long revmap, long rmap, long slotPhys)
    {
        var m = KvmGuestMemory.For(Guest(memory, order, guestPage), platform, hostPage);
        Assert.Equal(new KvmGuestMemory(hpt, revmap, rmap, slotPhys), m);
    }

    [Fact]
    public void KvmMemoryOfAdmittedGuestsLeavesHostFreeMemory()
    {
        // The quickstart on POWER7: 131072 pages - 8192 reserved - 4 guests x (256 HPT + 256 revmap + 6 rmap).
        var cfg = ModelBenchmarks.QuickstartConfig(Platform.Power7);
        var host = new Host(new Simulation(1), cfg, [0, 1, 2, 3], n => new FifoPolicy(n));
        Assert.Equal(4 * 518, host.KvmPages);
        Assert.Equal(131072 - 8192 - 4 * 518, host.FreePages);
    }

    [Fact]
    public void ARefusedPpc970GuestHoldsNoRma()
    {
        // With rma_count auto the pool holds one RMA per admitted guest: the quickstart's two admitted PPC970 guests
        // leave a pool of 2 x 64 MiB, not one per guest asked for.
        var cfg = ModelBenchmarks.QuickstartConfig(Platform.Ppc970);
        Assert.Equal([true, true, false, false], Admission.Decide(cfg).Select(r => r == null));
        var host = new Host(new Simulation(1), cfg, [0, 1], n => new FifoPolicy(n));
        Assert.Equal(2 * 1024, host.RmaPages);
    }

    [Fact]
    public void AskingForMorePpc970GuestsNeverAdmitsFewer()
    {
        // Decisions are made in config order from what the guests before hold, so the first n guests of n + 1 fare as
        // they do alone. Before, rma_count auto set aside one RMA per guest asked for: 2 guests of 3830 MiB fitted an
        // 8 GiB host (2 x 3766 pinned <= 7680 - 11.31 - 128) but 3 did not admit even 2 (7532 > 7680 - 11.31 - 192).
        foreach (long hostGib in new long[] { 8, 16 })
            foreach (long guestMib in new long[] { 512, 1000, 2048, 3000, 3830, 4096, 5000 })
            {
                int previous = 0;
                for (int n = 1; n <= 10; n++)
                {
                    var cfg = new SimulationConfig
                    {
                        Platform = Platform.Ppc970,
                        Host = new HostConfig { MemoryBytes = hostGib << 30 },
                        Guests = Enumerable.Range(0, n).Select(i => Guest(guestMib << 20) with { Name = $"g{i}" }).ToList(),
                    };
                    int admitted = Admission.Decide(cfg).Count(r => r == null);
                    Assert.True(admitted >= previous, $"{hostGib} GiB host, {guestMib} MiB guests: {n} asked, {admitted} admitted, {n - 1} asked, {previous} admitted");
                    previous = admitted;
                }
            }
    }

    [Fact]
    public void Ppc970RunsAtMost62GuestsForIts6BitLpids()
    {
        // 3.4 book3s_64_mmu_hv.c kvmppc_mmu_hv_init: on PPC970 LPID 0 is the host's and MAX_LPID_970 = 63 is reserved for
        // partition switching; HID4 holds 6 LPID bits (book3s_hv.c kvmppc_core_init_vm). 63 tiny guests, each backed
        // wholly by its 64 MiB RMA (HPT of order 19: the bolted linear map's 16384 HPTEs of 4 KiB would fill all of an
        // order-18 one), fit a 16 GiB host many times over: LPIDs refuse the 63rd.
        var cfg = new SimulationConfig
        {
            Platform = Platform.Ppc970,
            Host = new HostConfig { MemoryBytes = 16L << 30 },
            Guests = Enumerable.Range(0, 63).Select(i => Guest(64L << 20, hptOrder: 19) with { Name = $"g{i}" }).ToList(),
        };
        var reasons = Admission.Decide(cfg);
        Assert.All(reasons.Take(62), Assert.Null);
        Assert.Contains("no LPID left: PPC970 LPIDs have 6 bits", reasons[62]);
        Assert.All(Admission.Decide(cfg with { Platform = Platform.Power7 }), Assert.Null); // 1022 on POWER7
    }

    [Fact]
    public void Ppc970Refuses64KiBGuestPagesAndDefaultsTo4KiB()
    {
        // 3.4 kvm_book3s_64.h hpte_page_size: a 64 KiB HPTE (LARGE, LP 0x1000) is recognised only with
        // CPU_FTR_ARCH_206; on PPC970 it yields 0 and kvmppc_h_enter returns H_PARAMETER.
        var cfg = ModelBenchmarks.QuickstartConfig(Platform.Ppc970);
        var explicit64 = cfg with { Guests = cfg.Guests.Select(g => g with { PageSizeBytes = 65536 }).ToList() };
        var e = Assert.Throws<ArgumentException>(() => ModelConfigValidator.Validate(explicit64));
        Assert.Contains("H_PARAMETER", e.Message);
        ModelConfigValidator.Validate(explicit64 with { Platform = Platform.Power7 });
        Assert.Equal(4096, cfg.Guests[0].PageBytesOn(Platform.Ppc970, 65536));
        Assert.Equal(65536, cfg.Guests[0].PageBytesOn(Platform.Power7, 65536));
        Assert.Equal(4096, cfg.Guests[0].PageBytesOn(Platform.Power7, 4096)); // QEMU offers no page above the backing page
        var host = new Host(new Simulation(1), cfg, [0], n => new FifoPolicy(n));
        Assert.Equal((3L << 30) / 4096, host.Vms[0].GuestPageCount);
    }
}
