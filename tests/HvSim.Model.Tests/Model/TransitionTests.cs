using HvSim.Model.Config;
using HvSim.Model.Hv;
using HvSim.Model.Mm;
using static HvSim.Model.Tests.Model.ScriptedWorkload;

namespace HvSim.Model.Tests.Model;

/// <summary>Hand-worked kernel-model.md §2 transitions with costs summed by hand from the default CostConfig.</summary>
public class TransitionTests
{
    private const long Rm = 1_000, Exit = 10_000, Tlbie = 2_000, Gup = 300, ZeroFill = 6_000, SwapCacheHit = 2_000;

    [Fact]
    public void HEnterOnAPresentPageIsValidLinkedAndCostsOneRealModeHcall()
    {
        var rig = new Rig();
        rig.MakeResident(5);
        Hcalls.HEnter(rig.Vm, rig.Host, 5, 1_000, out long end);
        int slot = rig.Vm.Hpt.UserSlot(5);
        Assert.Equal(1_000 + Rm, end);
        Assert.True(rig.Vm.Hpt.Entries[slot].IsValid);
        Assert.False(rig.Vm.Hpt.Entries[slot].IsAbsent);
        Assert.Equal(slot, rig.Page(5).RmapHead);
        Assert.True(rig.Page(5).Has(HostPageFlags.RmapReferenced));
        Assert.Equal(1, rig.Vm.Counters.HEnterCalls);
        Assert.Equal(0, rig.Vm.Counters.Tlbies);
    }

    [Fact]
    public void HEnterOnAPageNotPresentInsertsAbsentAndLinksNothing()
    {
        var rig = new Rig();
        Hcalls.HEnter(rig.Vm, rig.Host, 7, 0, out long end);
        var h = rig.Vm.Hpt.Entries[rig.Vm.Hpt.UserSlot(7)];
        Assert.Equal(Rm, end);
        Assert.True(h.IsAbsent);
        Assert.False(h.IsValid);
        Assert.Equal(-1, rig.Page(7).RmapHead);
    }

    [Fact]
    public void HEnterRacingAnInvalidationInsertsAbsent()
    {
        var rig = new Rig();
        rig.MakeResident(3);
        rig.Vm.Notifier.InvalidateRangeStart(10, 1, 0); // mmu_notifier_count != 0 while H_ENTER runs
        Hcalls.HEnter(rig.Vm, rig.Host, 3, 0, out _);
        Assert.True(rig.Vm.Hpt.Entries[rig.Vm.Hpt.UserSlot(3)].IsAbsent);
        Assert.Equal(-1, rig.Page(3).RmapHead);
        rig.Vm.Notifier.InvalidateRangeEnd();
        Assert.Equal(0, rig.Vm.Notifier.Count);
        Assert.Equal(1, rig.Vm.Notifier.Seq);
    }

    [Fact]
    public void UnmapHvaOnAChainOfThreeHptesCostsThreeTlbiesAndHarvestsRc()
    {
        // 4 KiB guest pages on a 64 KiB host page: guest pages 16, 17, 18 all live in host page 1.
        var rig = new Rig(guestPageBytes: 4096);
        rig.MakeResident(1);
        foreach (int gp in new[] { 16, 17, 18 }) Hcalls.HEnter(rig.Vm, rig.Host, gp, 0, out _);
        Assert.Equal(3, Rmap.Length(rig.Vm.Hpt, rig.Page(1)));
        var e = rig.Vm.Hpt.Entries;
        e[rig.Vm.Hpt.UserSlot(17)].Flags |= HpteFlags.Referenced | HpteFlags.Changed; // the guest stored through 17
        rig.Page(1).Flags &= ~(HostPageFlags.RmapReferenced | HostPageFlags.RmapChanged);

        long end = rig.Vm.Notifier.InvalidatePage(1, 100_000);

        Assert.Equal(100_000 + 3 * Tlbie, end);
        Assert.Equal(3, rig.Vm.Counters.Tlbies);
        Assert.Equal(3, rig.Vm.Counters.HptesInvalidated);
        Assert.Equal(1, rig.Vm.Counters.UnmapHvaCalls);
        Assert.Equal(1, rig.Vm.Notifier.Seq);
        Assert.Equal(-1, rig.Page(1).RmapHead);
        foreach (int gp in new[] { 16, 17, 18 })
        {
            var h = e[rig.Vm.Hpt.UserSlot(gp)];
            Assert.True(h.IsAbsent && !h.IsValid);
            Assert.Equal(HpteFlags.None, h.Flags & (HpteFlags.Referenced | HpteFlags.Changed));
        }
        Assert.True(rig.Page(1).Has(HostPageFlags.RmapReferenced | HostPageFlags.RmapChanged));
        Assert.Equal(HpteFlags.Referenced | HpteFlags.Changed, rig.Vm.Hpt.Revmap[rig.Vm.Hpt.UserSlot(17)].GuestRc);
        Assert.Equal(HpteFlags.None, rig.Vm.Hpt.Revmap[rig.Vm.Hpt.UserSlot(16)].GuestRc);
    }

    [Fact]
    public void SetSpteHvaBumpsSeqAndUnmapsLikeInvalidatePage()
    {
        var rig = new Rig();
        rig.MakeResident(2);
        Hcalls.HEnter(rig.Vm, rig.Host, 2, 0, out _);
        long end = rig.Vm.Notifier.SetSpteHva(2, 0);
        Assert.Equal(Tlbie, end);
        Assert.Equal(1, rig.Vm.Notifier.Seq);
        Assert.True(rig.Vm.Hpt.Entries[rig.Vm.Hpt.UserSlot(2)].IsAbsent);
        Assert.Equal(-1, rig.Page(2).RmapHead);
    }

    [Fact]
    public void GuestEvictsOneOfItsOwnHptesWithHRemoveWhenBothPtegsAreFull()
    {
        var rig = new Rig(guestPageBytes: 4096);
        var hpt = rig.Vm.Hpt;
        int primary = hpt.PrimaryGroup(0), secondary = hpt.SecondaryGroup(0);
        // Fill both PTEGs of guest page 0 by hand with VALID translations of guest pages 100..115 (host pages 6, 7).
        rig.MakeResident(6);
        rig.MakeResident(7);
        int[] slots = [.. Enumerable.Range(primary, 8), .. Enumerable.Range(secondary, 8)];
        for (int k = 0; k < 16; k++)
        {
            int gp = 100 + k;
            hpt.Entries[slots[k]] = new Hpte { GuestPage = gp, Flags = HpteFlags.Valid };
            Rmap.Link(hpt, ref rig.Page(rig.Vm.HostPageOf(gp)), slots[k]);
        }
        Assert.Equal(-1, hpt.FreeSlot(primary));
        Assert.Equal(-1, hpt.FreeSlot(secondary));
        long removesBefore = rig.Vm.Counters.HRemoveCalls;
        Hcalls.HEnter(rig.Vm, rig.Host, 0, 0, out long end);
        Assert.Equal(removesBefore + 1, rig.Vm.Counters.HRemoveCalls);
        int slot = rig.Vm.Hpt.UserSlot(0);
        Assert.True(slot >= 0 && (slot / 8 * 8 == primary || slot / 8 * 8 == secondary));
        // H_ENTER + H_REMOVE (real mode) + a tlbiel for the VALID victim (one vCPU).
        Assert.Equal(Rm + Rm + Tlbie, end);
        Assert.Equal(15, slots.Count(s => hpt.Entries[s].GuestPage >= 100)); // exactly one victim
        Assert.Equal(15, Rmap.Length(hpt, rig.Page(6)) + Rmap.Length(hpt, rig.Page(7)));
    }

    [Fact]
    public void TlbiesOfOneVmAreSerialisedByTheTlbieLock()
    {
        var rig = new Rig(guestPageBytes: 4096);
        rig.MakeResident(0);
        rig.MakeResident(1);
        Hcalls.HEnter(rig.Vm, rig.Host, 0, 0, out _);
        Hcalls.HEnter(rig.Vm, rig.Host, 16, 0, out _);
        long first = rig.Vm.Notifier.UnmapHva(0, 1_000);
        long second = rig.Vm.Notifier.UnmapHva(1, 1_500); // issued while the first tlbie holds the lock
        Assert.Equal(1_000 + Tlbie, first);
        Assert.Equal(1_000 + 2 * Tlbie, second);
    }

    [Fact]
    public void AgeHvaV1UnmapsAReferencedPageAndV2OnlyClearsRBits()
    {
        foreach (var aging in new[] { AgingVariant.Unmap, AgingVariant.RBit })
        {
            var rig = new Rig(aging: aging, guestPageBytes: 4096);
            rig.MakeResident(1);
            Hcalls.HEnter(rig.Vm, rig.Host, 16, 0, out _);
            Hcalls.HEnter(rig.Vm, rig.Host, 17, 0, out _);
            var e = rig.Vm.Hpt.Entries;
            e[rig.Vm.Hpt.UserSlot(16)].Flags |= HpteFlags.Referenced; // only 16 was accessed
            long t = 0;
            Assert.True(rig.Vm.Notifier.TestAgeHva(1));
            Assert.True(rig.Vm.Notifier.AgeHva(1, ref t));
            if (aging == AgingVariant.Unmap)
            {
                Assert.Equal(2 * Tlbie, t); // both HPTEs unmapped
                Assert.True(e[rig.Vm.Hpt.UserSlot(16)].IsAbsent && e[rig.Vm.Hpt.UserSlot(17)].IsAbsent);
                Assert.Equal(-1, rig.Page(1).RmapHead);
            }
            else
            {
                Assert.Equal(Tlbie, t); // one tlbie for the one R bit
                Assert.True(e[rig.Vm.Hpt.UserSlot(16)].IsValid && e[rig.Vm.Hpt.UserSlot(17)].IsValid);
                Assert.Equal(HpteFlags.None, e[rig.Vm.Hpt.UserSlot(16)].Flags & HpteFlags.Referenced);
                Assert.Equal(HpteFlags.Referenced, rig.Vm.Hpt.Revmap[rig.Vm.Hpt.UserSlot(16)].GuestRc);
            }
            Assert.False(rig.Vm.Notifier.TestAgeHva(1));
            long t2 = t;
            Assert.False(rig.Vm.Notifier.AgeHva(1, ref t2));
            Assert.Equal(t, t2);
            Assert.Equal(0, rig.Vm.Notifier.Seq); // ageing is not an invalidation
        }
    }

    [Fact]
    public void AHitSetsROnALoadAndRAndCOnAStoreAndAStoreThroughAReadOnlyHpteTraps()
    {
        // §2.2: an access through a VALID HPTE is the hardware's alone: it sets R, and C on a store. A store through an
        // HPTE the host demoted to read-only takes an HDSI instead (§2.3 step 2c; kvmppc_hpte_hv_fault). Loads and stores
        // alternate, so the hit loop's store masks are checked both ways (it makes every one of these plain hits).
        var rig = new Rig(script: [[Read(5), Write(6), Read(8), Write(9), Read(7), Write(7)]]);
        foreach (int p in new[] { 5, 6, 7, 8, 9 })
        {
            rig.MakeResident(p);
            Hcalls.HEnter(rig.Vm, rig.Host, p, 0, out _);
            rig.Vm.Hpt.Entries[rig.Vm.Hpt.UserSlot(p)].Flags &= ~(HpteFlags.Referenced | HpteFlags.Changed);
        }
        rig.Vm.Hpt.Entries[rig.Vm.Hpt.UserSlot(7)].Flags |= HpteFlags.ReadOnly;
        rig.StartVcpus();
        rig.Sim.Run();
        HpteFlags Rc(int page) => rig.Vm.Hpt.Entries[rig.Vm.Hpt.UserSlot(page)].Flags & (HpteFlags.Referenced | HpteFlags.Changed);
        Assert.Equal(HpteFlags.Referenced, Rc(5));
        Assert.Equal(HpteFlags.Referenced | HpteFlags.Changed, Rc(6));
        Assert.Equal(HpteFlags.Referenced, Rc(8));
        Assert.Equal(HpteFlags.Referenced | HpteFlags.Changed, Rc(9));
        var c = rig.Vm.Counters;
        Assert.Equal(1, c.ProtectionFaults); // the store to 7, after its load hit
        Assert.Equal(5, c.HpteHits);
        Assert.Equal(6, c.Accesses);
    }

    [Fact]
    public void FirstTouchCostsHEnterThenAnHdsiWithZeroFill()
    {
        var rig = new Rig(script: [[Read(2)]]);
        var vcpu = rig.StartVcpus()[0];
        rig.Sim.Run();
        var c = rig.Vm.Counters;
        Assert.Equal(1, c.HEnterCalls);
        Assert.Equal(1, c.HdsiFaults);
        Assert.Equal(1, c.MinorFaults);
        Assert.Equal(Rm + Exit + ZeroFill, (long)c.FaultLatency.Sum);
        Assert.Equal(0, c.HpteHits);
        // H_ENTER + HDSI + the access itself.
        Assert.Equal(Rm + Rm + Exit + ZeroFill + Rig.Costs.AccessNs, vcpu.Clock);
        Assert.True(rig.Vm.Hpt.Entries[rig.Vm.Hpt.UserSlot(2)].IsValid);
    }

    [Fact]
    public void HdsiOnASwapCachePageIsAMinorFault()
    {
        var rig = new Rig(script: [[Read(4, thinkNs: 50_000)]]);
        rig.MakeResident(4);
        Hcalls.HEnter(rig.Vm, rig.Host, 4, 0, out _);
        UnmapToSwapCache(rig, 4);
        rig.StartVcpus();
        rig.Sim.Run();
        var c = rig.Vm.Counters;
        Assert.Equal(1, c.HdsiFaults);
        Assert.Equal(1, c.MinorFaults);
        Assert.Equal(0, c.MajorFaults);
        Assert.Equal(Rm + Exit + SwapCacheHit, (long)c.FaultLatency.Sum);
        Assert.Equal(HostPageState.Resident, rig.Page(4).State);
        Assert.False(rig.Page(4).Has(HostPageFlags.Writable)); // read fault: mapped read-only, swap copy kept
        Assert.True(rig.Vm.Hpt.Entries[rig.Vm.Hpt.UserSlot(4)].Flags.HasFlag(HpteFlags.ReadOnly));
    }

    [Fact]
    public void MajorFaultThenAStoreTakesTheSecondProtectionExit()
    {
        // Swap device: constant 100 us, one slot, no bandwidth limit.
        var rig = new Rig(script: [[Read(4, thinkNs: 50_000), Write(4)]]);
        rig.MakeResident(4);
        Hcalls.HEnter(rig.Vm, rig.Host, 4, 0, out _);
        UnmapToSwapCache(rig, 4);
        rig.Host.FreePage(4); // clean swap copy: the page now lives on swap only
        rig.StartVcpus();
        rig.Sim.Run();
        var c = rig.Vm.Counters;
        Assert.Equal(2, c.HdsiFaults);
        Assert.Equal(1, c.MajorFaults);
        Assert.Equal(1, c.ProtectionFaults);
        Assert.Equal(1, c.MinorFaults); // the write-protect fault
        var lat = c.FaultLatency.Buckets().ToList();
        Assert.Equal(Rm + Exit + 100_000 + (Rm + Exit + SwapCacheHit + Tlbie), (long)c.FaultLatency.Sum);
        Assert.Equal(Rm + Exit + SwapCacheHit + Tlbie, c.FaultLatency.Min);
        Assert.True(rig.Page(4).Has(HostPageFlags.Writable | HostPageFlags.Dirty));
        Assert.Equal(-1, rig.Page(4).SwapSlot); // reuse_swap_page dropped the stale swap copy
    }

    [Fact]
    public void AnInvalidationDuringAMajorFaultMakesItRetryWithAnotherExit()
    {
        var rig = new Rig(script: [[Read(4, thinkNs: 50_000)]]);
        rig.MakeResident(4);
        rig.MakeResident(9);
        Hcalls.HEnter(rig.Vm, rig.Host, 4, 0, out _);
        UnmapToSwapCache(rig, 4);
        rig.Host.FreePage(4);
        rig.StartVcpus();
        // Fault starts at 50 us, swap read in flight until 50+11+100 us; reclaim unmaps another page at 100 us.
        rig.Sim.Start(InvalidateAt(rig, 9, 100_000));
        rig.Sim.Run();
        var c = rig.Vm.Counters;
        Assert.Equal(1, c.FaultRetries);
        Assert.Equal(2, c.HdsiFaults);
        Assert.Equal(1, c.MajorFaults);
        Assert.Equal(2, c.FaultLatency.Count);
        Assert.Equal(Rm + Exit + 100_000 + (Rm + Exit + Gup), (long)c.FaultLatency.Sum);
        Assert.True(rig.Vm.Hpt.Entries[rig.Vm.Hpt.UserSlot(4)].IsValid);
    }

    // The rig's 4 MiB RMA backs host pages 0-63, i.e. 4 KiB guest pages 0-1023; guest page 1024 is the first the guest pins.
    private const int PastRma = 1024;

    [Fact]
    public void Ppc970FirstHEnterPinsWithOneExitAndNeverGoesAbsent()
    {
        var rig = new Rig(platform: Platform.Ppc970, guestPageBytes: 4096, script: [[Read(PastRma + 3), Read(PastRma + 3), Read(PastRma + 20)]]);
        var vcpu = rig.StartVcpus()[0];
        rig.Sim.Run();
        var c = rig.Vm.Counters;
        Assert.Equal(2, c.HEnterCalls);
        Assert.Equal(2, c.PinnedPages); // guest pages 1027 and 1044 sit on host pages 64 and 65
        Assert.Equal(2, c.Exits);
        Assert.Equal(0, c.HdsiFaults);
        Assert.Equal(2, c.MinorFaults); // each first touch zero-fills in get_user_pages (QA F8)
        Assert.Equal(1, c.HpteHits);
        Assert.Equal(2 * (Rm + Exit + ZeroFill) + 3 * Rig.Costs.AccessNs, vcpu.Clock);
        Assert.True(rig.Page(64).Has(HostPageFlags.Pinned));
        Assert.Equal(0, rig.Vm.Notifier.InvalidatePage(64, 0)); // callbacks are no-ops
        Assert.True(rig.Vm.Hpt.Entries[rig.Vm.Hpt.UserSlot(PastRma + 3)].IsValid);
        Assert.Equal(0, rig.Vm.Counters.UnmapHvaCalls);
    }

    [Fact]
    public void Ppc970RmaPagesAreThereFromBootAndHEnterNeedsNoExit()
    {
        // §2.9: the RMA's pfns are in slot_phys before the guest runs, so real-mode H_ENTER finds them: no H_TOO_HARD,
        // no exit, no fault, no get_user_pages pin, and no free host page taken (the pool was set aside at boot).
        var rig = new Rig(platform: Platform.Ppc970, guestPageBytes: 4096, script: [[Read(3), Write(20), Read(3)]]);
        long free = rig.Host.FreePages;
        // 1024 pages - reserved 128 - RMA pool 64 - KVM memory 10 (HPT and revmap of order 18, 4 pages each; rmap and
        // slot_phys 256 x 8 B, 1 page each: book3s_64_mmu_hv.c kvmppc_alloc_hpt, book3s_hv.c kvmppc_core_prepare_memory_region)
        Assert.Equal(64 * ModelKit.Mib / ModelKit.K64 - 8 * 16 - 4 * 16 - 10, free);
        var vcpu = rig.StartVcpus()[0];
        rig.Sim.Run();
        var c = rig.Vm.Counters;
        Assert.Equal(2, c.HEnterCalls);
        Assert.Equal(0, c.Exits);
        Assert.Equal(0, c.MinorFaults);
        Assert.Equal(0, c.PinnedPages);
        Assert.Equal(1, c.HpteHits);
        Assert.Equal(2 * Rm + 3 * Rig.Costs.AccessNs, vcpu.Clock);
        Assert.Equal(free, rig.Host.FreePages);
        Assert.True(rig.Page(0).Has(HostPageFlags.Rma | HostPageFlags.Pinned));
        Assert.False(rig.Page(64).Has(HostPageFlags.Rma));
        Assert.False(rig.Host.Policy.Contains(0)); // RMA memory is not on the LRU: reclaim never even sees it
    }

    [Fact]
    public void ReclaimNeverFreesAPinnedPage()
    {
        var rig = new Rig(platform: Platform.Ppc970, guestPageBytes: 4096, script: [[Read(PastRma + 3), Read(PastRma + 20)]]);
        rig.StartVcpus();
        rig.Sim.Run();
        Assert.Equal(0, rig.Reclaim(32, rig.Sim.Now, out _));
        Assert.True(rig.Host.Counters.PagesScanned > 0);
        Assert.Equal(HostPageState.Resident, rig.Page(64).State);
        Assert.Equal(HostPageState.Resident, rig.Page(65).State);
    }

    [Fact]
    public void FifoReclaimUnmapsAndWritesWithoutASecondChanceAndALaterPassFreesTheWrittenPages()
    {
        var rig = new Rig(script: [[Write(1), Read(2)]]);
        rig.StartVcpus();
        rig.Sim.Run();
        long free = rig.Host.FreePages;
        long t0 = rig.Sim.Now;
        // FIFO order 1, 2, both young and dirty (first touch zero-fills a dirty page). A true FIFO skips
        // try_to_unmap_one's young re-check. Priority 1 scans 2 >> 1 = 1 page: page 1, unmapped (one tlbie) and written;
        // priority 0 scans 2: page 2 (unmap, write) and page 1 again (under writeback: kept). Nothing is freed yet:
        // nr_reclaimed counts freed pages only (3.4 shrink_page_list).
        Assert.Equal(0, rig.Reclaim(2, t0, out long end));
        Assert.Equal(t0 + 2 * Tlbie, end);
        Assert.Equal(HostPageState.SwapCache, rig.Page(1).State);
        Assert.True(rig.Page(1).Has(HostPageFlags.Writeback));
        Assert.Equal(2, rig.Vm.Counters.SwapOuts);
        Assert.Equal(2, rig.Vm.Counters.UnmapHvaCalls);
        Assert.Equal(2, rig.Host.SwapDevice.Requests); // one per shrink_zone plug
        Assert.Equal(free, rig.Host.FreePages);
        rig.Sim.Run(); // one slot, constant 100 us: page 1's write from t0 + 1 tlbie, page 2's queued behind it
        Assert.Equal(t0 + Tlbie + 2 * 100_000, rig.Sim.Now);
        Assert.Equal(free, rig.Host.FreePages); // end_page_writeback frees nothing: it rotates the pages to the tail
        Assert.Equal(2, rig.Reclaim(2, rig.Sim.Now, out _));
        Assert.Equal(free + 2, rig.Host.FreePages);
        Assert.Equal(HostPageState.SwappedOut, rig.Page(1).State);
        Assert.Equal(2, rig.Vm.Counters.PagesReclaimed);
        Assert.Equal(2, rig.Vm.Counters.SwapOuts); // freed without a second write
    }

    /// <summary>What reclaim does to an unreferenced clean-or-dirty page, without the writeback: unmap into the swap cache.</summary>
    private static void UnmapToSwapCache(Rig rig, int hostPage)
    {
        ref var page = ref rig.Page(hostPage);
        Assert.True(rig.Host.SwapCache.AddToSwap(ref page, hostPage));
        page.State = HostPageState.SwapCache;
        page.Flags &= ~(HostPageFlags.Young | HostPageFlags.Writable | HostPageFlags.Dirty);
        rig.Vm.Notifier.InvalidatePage(hostPage, 0);
    }

    private static IEnumerable<Engine.Command> InvalidateAt(Rig rig, int hostPage, long t)
    {
        yield return Engine.Command.Delay(t);
        rig.Vm.Notifier.InvalidatePage(hostPage, t);
    }
}
