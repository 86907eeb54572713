using HvSim.Model.Config;
using HvSim.Model.Guest;
using HvSim.Model.Hv;
using HvSim.Model.Mm;
using static HvSim.Model.Tests.Model.ScriptedWorkload;

namespace HvSim.Model.Tests.Model;

/// <summary>
/// The guest's bolted linear map (guests.linear_map), hand-worked from Linux 3.4: guest side
/// arch/powerpc/mm/hash_utils_64.c (htab_initialize, htab_bolt_mapping) and mmu-hash64.h (get_kernel_vsid, hpt_hash);
/// host side arch/powerpc/kvm/book3s_hv_rm_mmu.c (kvmppc_h_enter) and book3s_64_mmu_hv.c (kvm_unmap_rmapp,
/// kvm_age_rmapp, kvmppc_book3s_hv_page_fault).
/// </summary>
public class BoltedLinearMapTests
{
    private const long Rm = 1_000, Exit = 10_000, Tlbie = 2_000, ZeroFill = 6_000;

    [Fact]
    public void BootEntersOneAbsentBoltedHptePerGuestPageInItsPrimaryLinearGroup()
    {
        // htab_initialize -> htab_bolt_mapping: one hpte_insert (H_ENTER, HPTE_V_BOLTED) per 64 KiB of the 16 MiB guest,
        // 256 in all, each into hpteg = (hash & htab_hash_mask) * 8 only. kvmppc_h_enter: QEMU never touched the
        // memory, so lookup_linux_pte finds no PTE, pa = 0, and the HPTE is written HPTE_V_ABSENT, linked on no rmap.
        var rig = new Rig(linearMap: LinearMap.Bolted);
        var hpt = rig.Vm.Hpt;
        Assert.Equal(256, rig.Vm.Counters.HEnterCalls);
        Assert.True(rig.Vm.LinearMapBolted);
        for (int gp = 0; gp < 256; gp++)
        {
            int slot = hpt.LinearSlot(gp);
            Assert.InRange(slot, hpt.LinearGroup(gp), hpt.LinearGroup(gp) + Hpt.PtegSlots - 1);
            Assert.Equal(HpteFlags.Bolted | HpteFlags.Absent, hpt.Entries[slot].Flags);
            Assert.Equal(-1, rig.Vm.Hpt.UserSlot(gp));
            Assert.Equal(-1, rig.Page(gp).RmapHead);
        }
        Assert.Equal(256, hpt.Entries.Count(h => !h.IsFree));
        // Guest page 5: get_kernel_vsid(0xc000000000050000) = vsid_scramble(0xc00000000, 256M)
        // = 0xc00000000 x 200730139 mod (2^36 - 1) = 0x408f92c94; hpt_hash = vsid ^ (0x50000 >> 16) = 0x408f92c91;
        // & htab_hash_mask (2^11 - 1 for 2^18 bytes) = 1169: PTEG 1169, its first slot 9352 (guest pages 0-255 are all
        // in segment 0 and XOR to 256 different PTEGs).
        Assert.Equal(9352, hpt.LinearSlot(5));
        Assert.Equal(rig.Host.FreePages, new Rig().Host.FreePages); // nothing allocated on POWER7
    }

    [Theory]
    [InlineData(18, 64 << 10, 4096 * 3 + 17)] // three segments and a partial fourth of 64 KiB pages
    [InlineData(24, 4 << 10, (1 << 16) * 2 + 5)] // 4 KiB pages: 65536 per segment
    [InlineData(20, 16 << 20, 40)] // 16 MiB pages: 16 per segment
    public void TheLinearMapHashIsTheKernelsVsidScrambleOfEachPagesSegment(int order, int pageBytes, int pages)
    {
        // mmu-hash64.h (Linux 3.4): get_kernel_vsid(ea) = vsid_scramble((ea >> SID_SHIFT), 256M)
        // = protovsid * VSID_MULTIPLIER_256M % VSID_MODULUS_256M, and hpt_hash(va, shift) = vsid ^ ((ea & 0x0fffffff) >> shift),
        // masked by htab_hash_mask (2^(order-7) - 1 PTEGs), times 8 HPTEs per PTEG: computed here page by page.
        const ulong multiplier = 200730139, modulus = (1UL << 36) - 1;
        var linear = new Hpt.LinearHash(order, pageBytes, pages);
        var hpt = new Hpt(order, pageBytes, pages);
        int shift = System.Numerics.BitOperations.Log2((uint)pageBytes);
        for (int gp = 0; gp < pages; gp++)
        {
            ulong ea = 0xC000000000000000UL + ((ulong)gp << shift);
            ulong vsid = (ea >> 28) * multiplier % modulus;
            int expected = (int)((vsid ^ ((ea & 0x0fffffff) >> shift)) & (ulong)((1 << (order - 7)) - 1)) * Hpt.PtegSlots;
            Assert.Equal(expected, linear.Group(gp));
            Assert.Equal(expected, hpt.LinearGroup(gp));
        }
        Assert.All(hpt.Entries, h => Assert.Equal(new Hpte { GuestPage = -1 }, h)); // every slot free, nothing else set
    }

    [Fact]
    public void AGuestWithoutALinearMapBootsWithAnEmptyHpt()
    {
        var rig = new Rig(linearMap: LinearMap.None);
        Assert.Equal(0, rig.Vm.Counters.HEnterCalls);
        Assert.False(rig.Vm.LinearMapBolted);
        Assert.All(rig.Vm.Hpt.Entries, h => Assert.True(h.IsFree));
    }

    [Fact]
    public void ARunCountsTheBootHEntersOfEveryGuestAndNoneWithoutTheMap()
    {
        // Two 24 MiB guests of 4 KiB pages, nothing to run: 6144 boot H_ENTERs each (SimulationRunner boots every guest).
        var cfg = ModelKit.Small(guestMib: 24, guestPageBytes: 4096, durationMs: 1, workload: new ScriptedWorkload([]));
        Assert.All(SimulationRunner.Run(cfg).Guests, g => Assert.Equal(6144, g.HEnterCalls));
        var none = cfg with { Guests = cfg.Guests.Select(g => g with { LinearMap = LinearMap.None }).ToList() };
        Assert.All(SimulationRunner.Run(none).Guests, g => Assert.Equal(0, g.HEnterCalls));
    }

    [Fact]
    public void Ppc970BootPinsAllGuestRamThroughTheLinearMap()
    {
        // kvmppc_h_enter without slot_phys[gfn] returns H_TOO_HARD; kvmppc_virtmode_h_enter -> kvmppc_get_guest_page pins
        // the host page and enters the HPTE VALID. 16 MiB of 4 KiB guest pages = 4096 H_ENTERs over 256 host pages of
        // 64 KiB; the first 64 are the RMA's (pinned from boot), so 192 pages take an exit and a zero-filled pin each,
        // and every host page ends with its 16 bolted HPTEs on its rmap chain.
        var none = new Rig(platform: Platform.Ppc970, guestPageBytes: 4096);
        var rig = new Rig(platform: Platform.Ppc970, guestPageBytes: 4096, linearMap: LinearMap.Bolted);
        var c = rig.Vm.Counters;
        Assert.Equal(4096, c.HEnterCalls);
        Assert.Equal(192, c.Exits);
        Assert.Equal(192, c.PinnedPages);
        Assert.Equal(192, c.MinorFaults);
        Assert.Equal(none.Host.FreePages - 192, rig.Host.FreePages);
        for (int p = 0; p < 256; p++)
        {
            Assert.True(rig.Page(p).Has(HostPageFlags.Pinned));
            Assert.Equal(16, Rmap.Length(rig.Vm.Hpt, rig.Page(p)));
        }
        Assert.All(rig.Vm.Hpt.Entries.Where(h => !h.IsFree), h => Assert.Equal(HpteFlags.Bolted | HpteFlags.Valid, h.Flags));
    }

    [Fact]
    public void FirstTouchIsTheGuestKernelsClearPageHdsiOnTheLinearHpteThenAValidUserHEnter()
    {
        // The guest's do_anonymous_page zeroes the page through the linear map before the process maps it: the store
        // hits the ABSENT bolted HPTE (HDSI; kvmppc_book3s_hv_page_fault -> get_user_pages zero-fills, the HPTE goes
        // VALID), clear_page runs, and the process's hash_page H_ENTER then finds the host PTE present: VALID at once.
        var rig = new Rig(script: [[Read(2)]], linearMap: LinearMap.Bolted);
        var vcpu = rig.StartVcpus()[0];
        rig.Sim.Run();
        var c = rig.Vm.Counters;
        Assert.Equal(256 + 1, c.HEnterCalls);
        Assert.Equal(1, c.HdsiFaults);
        Assert.Equal(1, c.MinorFaults);
        Assert.Equal(Rm + Exit + ZeroFill, (long)c.FaultLatency.Sum);
        // HDSI, clear_page (one access), H_ENTER, the access itself.
        Assert.Equal(Rm + Exit + ZeroFill + Rig.Costs.AccessNs + Rm + Rig.Costs.AccessNs, vcpu.Clock);
        Assert.True(rig.Vm.Hpt.Entries[rig.Vm.Hpt.UserSlot(2)].IsValid);
        Assert.True(rig.Vm.Hpt.Entries[rig.Vm.Hpt.LinearSlot(2)].IsValid);
        Assert.Equal(2, Rmap.Length(rig.Vm.Hpt, rig.Page(2)));
    }

    [Fact]
    public void AnUnmapAfterTheClearCostsTwoTlbiesAndLaterUnmapsOne()
    {
        // kvm_unmap_rmapp makes every HPTE on the chain ABSENT with a tlbie each: user + linear = 2. The process's next
        // access HDSIs on its own HPTE, and kvmppc_book3s_hv_page_fault re-validates only that one (the index the
        // real-mode search found), so the linear HPTE stays ABSENT and the next unmap costs 1 tlbie.
        var rig = new Rig(script: [[Write(2), Read(2, thinkNs: 1_000_000), Read(2, thinkNs: 1_000_000)]], linearMap: LinearMap.Bolted);
        rig.StartVcpus();
        long[] took = new long[2];
        long[] tlbies = new long[2];
        for (int k = 0; k < 2; k++)
        {
            int n = k;
            rig.Sim.Schedule(500_000 + n * 1_000_000, () =>
            {
                long before = rig.Vm.Counters.Tlbies;
                took[n] = rig.Vm.Notifier.InvalidatePage(2, rig.Sim.Now) - rig.Sim.Now;
                tlbies[n] = rig.Vm.Counters.Tlbies - before;
            });
        }
        rig.Sim.Run();
        Assert.Equal(new long[] { 2, 1 }, tlbies);
        Assert.Equal(new[] { 2 * Tlbie, Tlbie }, took);
        var c = rig.Vm.Counters;
        Assert.Equal(3, c.HptesInvalidated);
        Assert.Equal(3, c.HdsiFaults); // the clear's, then one per unmap on the user HPTE
        Assert.True(rig.Vm.Hpt.Entries[rig.Vm.Hpt.LinearSlot(2)].IsAbsent);
        Assert.True(rig.Vm.Hpt.Entries[rig.Vm.Hpt.UserSlot(2)].IsValid);
    }

    [Fact]
    public void WithoutTheLinearMapTheSameUnmapsCostOneTlbieEach()
    {
        var rig = new Rig(script: [[Write(2), Read(2, thinkNs: 1_000_000), Read(2, thinkNs: 1_000_000)]]);
        rig.StartVcpus();
        long[] tlbies = new long[2];
        for (int k = 0; k < 2; k++)
        {
            int n = k;
            rig.Sim.Schedule(500_000 + n * 1_000_000, () =>
            {
                long before = rig.Vm.Counters.Tlbies;
                rig.Vm.Notifier.InvalidatePage(2, rig.Sim.Now);
                tlbies[n] = rig.Vm.Counters.Tlbies - before;
            });
        }
        rig.Sim.Run();
        Assert.Equal(new long[] { 1, 1 }, tlbies);
        Assert.Equal(1, rig.Vm.Counters.HEnterCalls);
    }

    [Fact]
    public void TheFirstAgeAfterTheClearClearsTwoRBitsAndLaterAgesOne()
    {
        // kvm_age_rmapp: every HPTE on the chain with R set gets kvmppc_clear_ref_hpte (a tlbie). clear_page set R in
        // the linear HPTE and the access in the user one; after the age only the user HPTE is referenced again.
        var rig = new Rig(script: [[Write(2), Read(2, thinkNs: 1_000_000)]], linearMap: LinearMap.Bolted);
        rig.StartVcpus();
        long[] tlbies = new long[2];
        for (int k = 0; k < 2; k++)
        {
            int n = k;
            rig.Sim.Schedule(500_000 + n * 1_000_000, () =>
            {
                long before = rig.Vm.Counters.Tlbies;
                long t = rig.Sim.Now;
                Assert.True(rig.Vm.Notifier.AgeHva(2, ref t));
                tlbies[n] = rig.Vm.Counters.Tlbies - before;
            });
        }
        rig.Sim.Run();
        Assert.Equal(new long[] { 2, 1 }, tlbies);
    }

    [Fact]
    public void ALinearMapThatOverflowsAPtegPanicsTheGuestAtBootAndOneThatFillsTheHptHangsIt()
    {
        // htab_bolt_mapping puts each page in its primary PTEG only, hpt_hash = VSID ^ page index in the segment.
        // 64 KiB pages, 2^24-byte HPT (131072 PTEGs): a 256 MiB segment's 4096 pages fill one block of 4096 PTEGs, the
        // block being bits 12-16 of the segment's VSID. vsid_scramble(0xc00000000 + s) over the 224 segments of a 56 GiB
        // guest puts 9 of them in one block (first at 222 segments): H_PTEG_FULL, and htab_initialize's BUG_ON fires.
        // 32 GiB (128 segments, at most 5 per block) boots. 4 KiB pages, 2^18 bytes (2048 PTEGs, 16384 HPTEs): the
        // 16384 pages of a 64 MiB guest XOR onto each 11-bit PTEG number 8 times, filling every PTEG and its secondary
        // alike: hash_page could place no user HPTE. None of it applies with linear_map: none.
        GuestConfig Guest(long mib, int order = 24, int page = 65536, LinearMap map = LinearMap.Bolted) =>
            new() { Name = "g", MemoryBytes = mib << 20, HptOrder = order, PageSizeBytes = page, LinearMap = map, Workload = new ScriptedWorkload([]) };
        var host = new HostConfig { MemoryBytes = 1L << 40 };
        var cfg = ModelKit.Small() with { Host = host, Guests = [Guest(56 << 10), Guest(64, 18, 4096), Guest(32 << 10), Guest(56 << 10, map: LinearMap.None)] };
        ModelConfigValidator.Validate(cfg); // each fits its HPT one HPTE per page: only the bolted map's placement fails
        var reasons = Admission.Decide(cfg);
        Assert.Contains("panics at boot: htab_bolt_mapping", reasons[0]);
        Assert.Contains("hangs at boot", reasons[1]);
        Assert.Null(reasons[2]);
        Assert.Null(reasons[3]);
        Assert.Null(BoltedLinearMap.WhyNotBootable(Guest(48 << 10), Platform.Power7, ModelKit.K64)); // 192 segments, at most 7 per block
    }

    [Fact]
    public void InvariantsHoldWithTheLinearMapUnderPagingOnBothPlatforms()
    {
        foreach (var platform in new[] { Platform.Power7, Platform.Ppc970 })
        {
            var cfg = ModelKit.Small(platform, hostMib: 48, guestMib: 24, guestPageBytes: platform == Platform.Power7 ? 4096 : null,
                durationMs: 100, check: true) with { InvariantCheckEveryEvents = 1, InvariantFullSweepEveryEvents = 512 };
            var r = SimulationRunner.Run(cfg);
            Assert.InRange(r.Guests.Sum(g => g.Accesses), 1_000, long.MaxValue);
        }
    }
}
