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
            Assert.True(vm.Hpt.Entries[vm.HpteOf[gp]].IsAbsent);
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
        Assert.True(vm.Hpt.Entries[vm.HpteOf[9]].IsValid);
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

    private static IEnumerable<Command> Later(long delayNs, IEnumerable<Command> then)
    {
        yield return Command.Delay(delayNs);
        foreach (var c in then) yield return c;
    }
}
