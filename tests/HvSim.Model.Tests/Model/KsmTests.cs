using HvSim.Model.Config;
using HvSim.Model.Hv;
using HvSim.Model.Mm;
using HvSim.Model.Replacement;
using static HvSim.Model.Tests.Model.ScriptedWorkload;

namespace HvSim.Model.Tests.Model;

/// <summary>Kernel samepage merging (host.ksm), worked by hand from 3.4 mm/ksm.c and book3s_64_mmu_hv.c.</summary>
public class KsmTests
{
    [Fact]
    public void KsmdMergesExactlyTheDuplicatePagesItScannedAndAStoreBreaksOne()
    {
        // Guests g and h of 256 host pages each, half of them duplicates (pages 0..127 of g equal pages 0..127 of h).
        // Each has pages 0..7 (duplicates) and 200..203 (unique) resident and mapped by one HPTE. pages_to_scan 260:
        // the first ksm_do_scan walks g's slots 0..255 (pages 0..7 enter the unstable tree, 200..203 match nothing)
        // and h's slots 0..3, which meet g's pages 0..3: try_to_merge_two_pages makes 4 KSM pages of 8 pages.
        var rig = new Rig(policy: n => new TwoListPolicy(n), script: [[]], host: h => h with { Ksm = new KsmConfig { Run = true, PagesToScan = 260 } },
            guest: c => c with { DuplicateFraction = 0.5 },
            moreGuests: new GuestConfig { Name = "h", MemoryBytes = 16 * ModelKit.Mib, HptOrder = 18, DuplicateFraction = 0.5, Workload = new ScriptedWorkload([[Write(0)]]) });
        var (g, h) = (rig.Host.Vms[0], rig.Host.Vms[1]);
        foreach (var vm in new[] { g, h })
            foreach (int p in new[] { 0, 1, 2, 3, 4, 5, 6, 7, 200, 201, 202, 203 })
            {
                rig.MakeResident(vm.HostBase + p);
                Hcalls.HEnter(vm, rig.Host, p, 0, out _);
            }
        long free = rig.Host.FreePages;
        var ksm = rig.Host.Ksm!;
        ksm.KsmDoScan(0);
        Assert.Equal((4L, 8L), (ksm.PagesShared, ksm.PagesMerged));
        for (int p = 0; p < 8; p++) Assert.Equal(p < 4, ksm.IsMerged(g.HostBase + p) && ksm.IsMerged(h.HostBase + p));
        Assert.Equal(free + 4, rig.Host.FreePages); // 8 pages gave up their memory, 4 became KSM pages
        // write_protect_page (g's page, kept as the KSM page) is one change_pte; h's page also gets replace_page's:
        // kvm_set_spte_hva bumps mmu_notifier_seq each time and unmaps, one tlbie for the one HPTE.
        Assert.Equal((4L, 8L), (g.Notifier.Seq, h.Notifier.Seq));
        Assert.Equal((4L, 4L), (g.Counters.Tlbies, h.Counters.Tlbies));
        // Scanned: the present pages among the 260 slots: g's 12 and h's 4, 20 us of ksmd CPU each.
        Assert.Equal((16L, 16 * 20_000L), (rig.Host.Counters.KsmPagesScanned, rig.Host.Counters.KsmCpuNs));

        // The next 260 slots: h's 4..255 (pages 4..7 meet g's in the unstable tree of this round), then g's 0..7 of a
        // new round, already merged.
        ksm.KsmDoScan(0);
        Assert.Equal((8L, 16L), (ksm.PagesShared, ksm.PagesMerged));
        Assert.Equal(free + 8, rig.Host.FreePages);

        // h stores to page 0: the HPTE is absent (HDSI), get_user_pages for write finds a KSM page, and do_wp_page
        // copies it into a new page. g still maps the KSM page, which stays.
        rig.StartVcpus();
        rig.Sim.Run();
        Assert.Equal(1, h.Counters.KsmCowFaults);
        Assert.False(ksm.IsMerged(h.HostBase));
        Assert.True(ksm.IsMerged(g.HostBase));
        Assert.Equal((8L, 15L), (ksm.PagesShared, ksm.PagesMerged));
        Assert.Equal(free + 7, rig.Host.FreePages);
        Assert.True(rig.Page(h.HostBase).Has(HostPageFlags.Writable));
        Assert.True(rig.Host.LruvecOf(h.HostBase).Contains(h.HostBase));
    }
}
