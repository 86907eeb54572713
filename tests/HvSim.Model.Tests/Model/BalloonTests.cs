using HvSim.Engine;
using HvSim.Model.Config;
using HvSim.Model.Guest;
using HvSim.Model.Hv;
using HvSim.Model.Mm;
using HvSim.Model.Workloads;
using static HvSim.Model.Tests.Model.ScriptedWorkload;

namespace HvSim.Model.Tests.Model;

/// <summary>
/// The virtio balloon (guests.balloon), worked by hand from 3.4 drivers/virtio/virtio_balloon.c (fill_balloon,
/// leak_balloon: 256 pfns of 4 KiB per request), QEMU 1.x hw/virtio-balloon.c (balloon_page: one madvise(MADV_DONTNEED)
/// per pfn), mm/memory.c (zap_page_range inside mmu_notifier_invalidate_range_start/end) and virt/kvm/kvm_main.c
/// (kvm_mmu_notifier_invalidate_range_start: mmu_notifier_count++ and kvm_unmap_hva; _end: mmu_notifier_seq++, count--).
/// The rig's guest is 16 MiB of 64 KiB pages on 64 KiB host pages: 256 pages, 16 pfns each.
/// </summary>
public class BalloonTests
{
    private static Rig BalloonRig(long balloonPages, GuestAccess[][]? script = null) =>
        new(script: script ?? [[]], guest: g => g with { BalloonBytes = balloonPages * 64 * 1024 });

    /// <summary>Every guest page in use and referenced in the guest's view: the balloon's clock clears them all once, then takes pages from 0 up.</summary>
    private static void GuestUsesAllItsPages(Vm vm)
    {
        for (int gp = 0; gp < vm.GuestPageCount; gp++) vm.Balloon!.Touch(gp);
    }

    /// <summary>Guest pages resident on the host, each mapped by one HPTE (H_ENTER of a present page: VALID).</summary>
    private static void Resident(Rig rig, params int[] guestPages)
    {
        foreach (int gp in guestPages)
        {
            rig.MakeResident(rig.Vm.HostPageOf(gp));
            Hcalls.HEnter(rig.Vm, rig.Host, gp, 0, out _);
        }
    }

    [Fact]
    public void InflatingEightPagesFreesExactlyEightHostPagesThroughOneInvalidateRangeEach()
    {
        // fill_balloon takes 8 pages (one request: 8 x 16 = 128 pfns <= 256). The guest uses all its pages, so its clock
        // clears every referenced bit once, then gives up pages 0..7, which are resident with one HPTE each. QEMU's
        // balloon_page madvises each 4 KiB pfn: only the 64 KiB-aligned first pfn of a page passes madvise's alignment
        // check, so each page is one zap_page_range: 8 ranges, 8 seq bumps, one kvm_unmap_hva and one tlbie each.
        var rig = BalloonRig(8);
        var vm = rig.Vm;
        GuestUsesAllItsPages(vm);
        Resident(rig, 0, 1, 2, 3, 4, 5, 6, 7, 100);
        long free = rig.Host.FreePages;
        rig.Sim.Start(vm.Balloon!.Run(), "balloon");
        rig.Sim.Run();

        Assert.Equal(8, vm.Balloon.NumPages);
        Assert.Equal(free + 8, rig.Host.FreePages);
        for (int gp = 0; gp < 8; gp++)
        {
            Assert.True(vm.Balloon.Holds(gp));
            Assert.Equal(HostPageState.NeverTouched, rig.Page(vm.HostPageOf(gp)).State);
            Assert.Equal(-1, rig.Page(vm.HostPageOf(gp)).RmapHead);
            Assert.True(vm.Hpt.Entries[vm.Hpt.UserSlot(gp)].IsAbsent);
            Assert.False(rig.Host.LruvecOf(vm.HostPageOf(gp)).Contains(vm.HostPageOf(gp)));
        }
        Assert.Equal(HostPageState.Resident, rig.Page(vm.HostPageOf(100)).State); // not given up
        Assert.Equal((8L, 0), (vm.Notifier.Seq, vm.Notifier.Count));
        Assert.Equal((8L, 8L, 8L), (vm.Counters.UnmapHvaCalls, vm.Counters.HptesInvalidated, vm.Counters.Tlbies));
        Assert.Equal((8L, 8L), (vm.Counters.BalloonInflated, vm.Counters.BalloonPagesFreed));
        // The request of 128 pfns at 262,144 pfns/s takes 488,281 ns (its 8 tlbies of 2 us fit inside).
        Assert.Equal(128L * 1_000_000_000 / 262_144, vm.Counters.BalloonCpuNs);
    }

    [Fact]
    public void TheBalloonTakesFreePagesFirstAndFreesNoHostMemoryForThem()
    {
        // alloc_page hands out free pages before the guest reclaims anything: the guest used only pages 0..9 (resident),
        // so the balloon takes 4 never-used pages from the top of its memory, which have no host page to free.
        var rig = BalloonRig(4);
        var vm = rig.Vm;
        for (int gp = 0; gp < 10; gp++) vm.Balloon!.Touch(gp);
        Resident(rig, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        long free = rig.Host.FreePages;
        rig.Sim.Start(vm.Balloon!.Run(), "balloon");
        rig.Sim.Run();

        Assert.Equal([252, 253, 254, 255], Enumerable.Range(0, 256).Where(vm.Balloon.Holds));
        Assert.Equal(free, rig.Host.FreePages);
        Assert.Equal((0L, 4L), (vm.Counters.BalloonPagesFreed, vm.Notifier.Seq));
    }

    [Fact]
    public void MadviseHoldsTheRangeOpenAcrossItsTlbiesSoAFaultThenRetriesOnCountAndAfterwardsOnSeq()
    {
        // mmu_notifier_retry (kvm_host.h): a fault that snapshotted seq retries while mmu_notifier_count != 0, and after
        // invalidate_range_end because seq moved. The range is open from kvm_unmap_hva's tlbie until zap_pte_range is done.
        var rig = BalloonRig(1);
        var vm = rig.Vm;
        Resident(rig, 3);
        long snapshot = vm.Notifier.Seq;
        using var steps = rig.Host.MadviseDontneed(vm, vm.HostPageOf(3)).GetEnumerator();
        Assert.True(steps.MoveNext()); // waiting for the tlbie
        Assert.Equal((1, snapshot), (vm.Notifier.Count, vm.Notifier.Seq));
        Assert.True(vm.Notifier.Retry(snapshot));
        Assert.Equal(HostPageState.Resident, rig.Page(vm.HostPageOf(3)).State); // not zapped before the tlbie completes
        Assert.False(steps.MoveNext());
        Assert.Equal((0, snapshot + 1), (vm.Notifier.Count, vm.Notifier.Seq));
        Assert.True(vm.Notifier.Retry(snapshot));
        Assert.False(vm.Notifier.Retry(vm.Notifier.Seq));
        Assert.Equal(HostPageState.NeverTouched, rig.Page(vm.HostPageOf(3)).State);
    }

    [Fact]
    public void APageReclaimIsolatesWhileTheRangeIsOpenIsNotZapped()
    {
        // The balloon picked resident page 3 (no one held it). While invalidate_range_start's tlbie is in flight, a reclaim
        // pass isolates the page (isolate_lru_page). 3.4's zap_pte_range would only drop the PTE and leave the page to its
        // holder; the model leaves the page as it is: still resident, not freed, and the range still closes (seq++).
        var rig = BalloonRig(1);
        var vm = rig.Vm;
        Resident(rig, 3);
        int p3 = vm.HostPageOf(3);
        long free = rig.Host.FreePages, seq = vm.Notifier.Seq;
        using var steps = rig.Host.MadviseDontneed(vm, p3).GetEnumerator();
        Assert.True(steps.MoveNext()); // waiting for the tlbie
        rig.Host.Policy.Remove(p3);
        rig.Page(p3).Flags |= HostPageFlags.Isolated;
        Assert.False(steps.MoveNext());

        Assert.Equal(HostPageState.Resident, rig.Page(p3).State);
        Assert.Equal((free, 0L), (rig.Host.FreePages, vm.Counters.BalloonPagesFreed));
        Assert.Equal((seq + 1, 0), (vm.Notifier.Seq, vm.Notifier.Count));
    }

    [Fact]
    public void AFaultWhoseSwapReadOverlapsAnInflationRetriesOnce()
    {
        // Guest page 9 is on swap; the vCPU reads it at t = 0: H_ENTER writes its HPTE absent, then HDSI, exit, get_user_pages snapshots seq and waits for the
        // 100 us read. At 50 us the balloon (target 1) gives up cold page 0: invalidate_range_end bumps the VM's seq, so
        // the fault, whose do_swap_page has mapped the page read in, retries (kvmppc_book3s_hv_page_fault ->
        // mmu_notifier_retry); the guest faults again and get_user_pages finds the page present (no second host fault).
        var rig = BalloonRig(1, [[Read(9)]]);
        var vm = rig.Vm;
        GuestUsesAllItsPages(vm);
        Resident(rig, 0);
        int p9 = vm.HostPageOf(9);
        rig.MakeResident(p9);
        rig.Page(p9).Flags &= ~HostPageFlags.Young; // unreferenced: reclaim takes it
        rig.ShrinkIsolatedPage(p9);                // add_to_swap, pageout
        rig.Sim.Run();                             // the write completes
        rig.ShrinkIsolatedPage(p9);                // a later scan frees the clean swap-cache page
        Assert.Equal(HostPageState.SwappedOut, rig.Page(vm.HostPageOf(9)).State);
        long seq = vm.Notifier.Seq;

        rig.Sim.Start(Later(50_000, vm.Balloon!.Run()), "balloon");
        rig.StartVcpus();
        rig.Sim.Run();

        Assert.Equal(seq + 1, vm.Notifier.Seq);
        Assert.True(vm.Balloon.Holds(0));
        Assert.Equal((1L, 2L), (vm.Counters.FaultRetries, vm.Counters.HdsiFaults));
        Assert.Equal((1L, 0L), (vm.Counters.MajorFaults, vm.Counters.MinorFaults));
        Assert.True(vm.Hpt.Entries[vm.Hpt.UserSlot(9)].IsValid);
    }

    [Fact]
    public void TouchingABalloonedPageDeflatesItZeroFillsItAndGivesUpTheNextColdPage()
    {
        // The balloon (target 1) holds page 0 (freed: it was resident). At 1 ms the guest reads page 0: its HPTE is
        // absent (HDSI); the guest takes the page back (leak_balloon, 16 pfns) and gives up the next page its clock finds
        // unreferenced, page 1 (fill_balloon, 16 pfns: madvised, its HPTE invalidated), then get_user_pages finds no
        // page: do_anonymous_page zero-fills one, a minor fault, and the HPTE becomes valid. No swap I/O.
        var rig = BalloonRig(1, [[Read(0, thinkNs: 1_000_000)]]);
        var vm = rig.Vm;
        GuestUsesAllItsPages(vm);
        Resident(rig, 0, 1);
        rig.Sim.Start(vm.Balloon!.Run(), "balloon");
        long free = rig.Host.FreePages;
        rig.StartVcpus();
        rig.Sim.Run();

        Assert.False(vm.Balloon.Holds(0));
        Assert.True(vm.Balloon.Holds(1));
        Assert.Equal(1, vm.Balloon.NumPages);
        Assert.Equal((2L, 1L, 2L), (vm.Counters.BalloonInflated, vm.Counters.BalloonDeflated, vm.Counters.BalloonPagesFreed));
        ref var page0 = ref rig.Page(vm.HostPageOf(0));
        Assert.Equal(HostPageState.Resident, page0.State);
        Assert.True(page0.Has(HostPageFlags.Writable | HostPageFlags.Dirty)); // a zeroed, writable, dirty page
        Assert.Equal(HostPageState.NeverTouched, rig.Page(vm.HostPageOf(1)).State);
        Assert.Equal((1L, 1L, 0L, 0L), (vm.Counters.HdsiFaults, vm.Counters.MinorFaults, vm.Counters.MajorFaults, vm.Counters.FaultRetries));
        Assert.Equal(free + 1, rig.Host.FreePages); // page 1 freed, page 0 allocated again
        // The guest waited for both requests of 16 pfns: 2 x 61,035 ns, plus the fault path.
        long request = 16L * 1_000_000_000 / 262_144;
        Assert.True(vm.Counters.StalledNs >= 2 * request, $"stalled {vm.Counters.StalledNs} ns");
        Assert.Equal(3 * request, vm.Counters.BalloonCpuNs); // the first inflate, the deflate, the exchange's inflate
    }

    // oVirt MoM's balloon policy (MoM 0.6 doc/balloon.rules: shrink_guest, grow_guest, change_big_enough), by hand, in
    // guest pages, with MoM's constants: pressure_threshold 0.20, pressure_critical 0.05, min_guest_free_percent 0.20,
    // max_balloon_change_percent 0.05, min_balloon_change_percent 0.0025.
    private static readonly BalloonPolicyConfig Mom = new() { Enabled = true };

    [Theory]
    // Normal pressure (host 10 % free): guest_free_percent = 0.20 x 0.10 / 0.20 = 0.10; balloon_min = used 600 + 100 =
    // 700; 5 % less than 1000 is 950 >= 700: 950.
    [InlineData(0.10, 1000, 400, 0, 950L)]
    // The same with 20 pages free: balloon_min = 980 + 100 = 1080 > balloon_cur: no shrink.
    [InlineData(0.10, 1000, 20, 0, null)]
    // Critical (host 2 % free <= 5 %): guest_free_percent = -0.05 + 0.02 = -0.03, balloon_min = 1000 - 30 = 970 > 950: 970.
    [InlineData(0.02, 1000, 0, 0, 970L)]
    // The guaranteed memory (balloon_min 990) is the floor.
    [InlineData(0.02, 1000, 0, 990, 990L)]
    // 998 is a change of 2 pages, not more than 0.25 % of 1000 (2.5): change_big_enough says no.
    [InlineData(0.02, 1000, 0, 998, null)]
    public void ShrinkGuestIsMomsRule(double hostFree, long cur, long unused, long min, long? expected) =>
        Assert.Equal(expected, MomBalloonPolicy.ShrinkGuest(Mom, hostFree, cur, unused, min));

    [Theory]
    // balloon_min = used 600 + 0.20 x 900 = 780; 5 % more than 900 is 945 >= 780: 945.
    [InlineData(900, 300, 0, 1000, 945L)]
    // No free memory: balloon_min = 900 + 180 = 1080, capped at balloon_max 1000.
    [InlineData(900, 0, 0, 1000, 1000L)]
    // At balloon_max: nothing to do.
    [InlineData(1000, 0, 0, 1000, null)]
    public void GrowGuestIsMomsRule(long cur, long unused, long min, long max, long? expected) =>
        Assert.Equal(expected, MomBalloonPolicy.GrowGuest(Mom, cur, unused, min, max));

    [Fact]
    public void UnderHostPressureOneEvaluationSetsTheShrinkTargetAndTheDriverReachesItInRequestsOf256Pfns()
        // The rig's guest: 256 pages of 64 KiB (16 pfns each), pages 0..99 used and resident, 156 free. The host has
        // 64 MiB, 48 MiB of it reserved: between 5 % and 20 % is free, so MoM shrinks with guest_free_percent = host
        // free (0.20 x free / 0.20), balloon_min = 100 + free x 256 < 193, and with max_balloon_change_percent 0.25 the
        // new memory is 256 x 0.75 = 192 pages: a balloon target of 64 pages. fill_balloon moves at most 256 pfns, 16
        // pages, per request: ceil(64 x 16 / 256) = 4 requests of 976,562 ns (256 pfns at 262,144 pfns/s), taking the
        // guest's free pages from the top (255..192), none of them resident: no host memory freed, and one
        // invalidate_range_start/end per page, 64 seq bumps.
    {
        var rig = new Rig(guest: g => g with { BalloonBytes = null },
            host: h => h with { ReservedBytes = 48 * ModelKit.Mib, BalloonPolicy = Mom with { MaxChange = 0.25 } });
        var vm = rig.Vm;
        for (int gp = 0; gp < 100; gp++) vm.Balloon!.Touch(gp);
        Resident(rig, [.. Enumerable.Range(0, 100)]);
        Assert.InRange(rig.Host.FreePages / (double)rig.Host.TotalPages, 0.05, 0.20);
        long free = rig.Host.FreePages, seq = vm.Notifier.Seq;

        new MomBalloonPolicy(rig.Host).Evaluate();
        Assert.Equal(64, vm.Balloon!.TargetPages);
        rig.Sim.Start(vm.Balloon.Run(), "balloon");
        rig.Sim.Run();

        Assert.Equal(64, vm.Balloon.NumPages);
        Assert.Equal(Enumerable.Range(192, 64), Enumerable.Range(0, 256).Where(vm.Balloon.Holds));
        Assert.Equal(4 * (256L * 1_000_000_000 / 262_144), rig.Sim.Now);
        Assert.Equal((seq + 64, free), (vm.Notifier.Seq, rig.Host.FreePages));
    }

    [Fact]
    public void WithoutHostPressureTheTargetGrowsBackAndTheBalloonLeaksItsNewestPagesFirst()
        // The guest's balloon starts at 64 pages (guests.balloon 4 MiB): the guest's free pages 255..192, inflated from
        // the top down, so vb->pages holds 192 first. Pages 0..99 are used; the 64 MiB host has no pressure. grow_guest:
        // balloon_cur 192, mem_unused 256 - 100 - 64 = 92, balloon_min = 100 + 0.20 x 192 = 138.4, 5 % more is 201.6:
        // memory 201 pages (MoM's int()), target 55. leak_balloon gives back 9 pages newest first (192..200) in one
        // request of 144 pfns; the balloon keeps 201..255.
    {
        var rig = new Rig(guest: g => g with { BalloonBytes = 64 * 64 * 1024 }, host: h => h with { BalloonPolicy = Mom });
        var vm = rig.Vm;
        for (int gp = 0; gp < 100; gp++) vm.Balloon!.Touch(gp);
        rig.Sim.Start(vm.Balloon!.Run(), "balloon");
        rig.Sim.Run();
        Assert.Equal(64, vm.Balloon.NumPages);
        long before = rig.Sim.Now;

        new MomBalloonPolicy(rig.Host).Evaluate();
        rig.Sim.Run();

        Assert.Equal((55L, 55L), (vm.Balloon.TargetPages, vm.Balloon.NumPages));
        Assert.Equal(Enumerable.Range(201, 55), Enumerable.Range(0, 256).Where(vm.Balloon.Holds));
        Assert.Equal(9, vm.Counters.BalloonLeaked);
        Assert.Equal(144L * 1_000_000_000 / 262_144, rig.Sim.Now - before);
        Assert.Equal(256 - 100 - 55, vm.Balloon.FreePages()); // the 9 pages are free in the guest again
    }

    private static IEnumerable<Command> Later(long delayNs, IEnumerable<Command> then)
    {
        yield return Command.Delay(delayNs);
        foreach (var c in then) yield return c;
    }
}
