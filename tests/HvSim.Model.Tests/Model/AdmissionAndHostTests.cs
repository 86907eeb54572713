using HvSim.Engine;
using HvSim.Model.Config;
using HvSim.Model.Guest;
using HvSim.Model.Mm;
using HvSim.Model.Replacement;
using HvSim.Model.Workloads;

namespace HvSim.Model.Tests.Model;

public class AdmissionAndHostTests
{
    private static SimulationConfig Quick(Platform platform, params long[] guestGib) => new()
    {
        Platform = platform,
        Host = new HostConfig { MemoryBytes = 8L << 30 }, // reserved 512 MiB, RMAs of 64 MiB, one per guest
        Guests = guestGib.Select((g, i) => new GuestConfig { Name = $"g{i}", MemoryBytes = g << 30, Workload = new UniformWorkload() }).ToList(),
    };

    [Fact]
    public void Ppc970AdmitsInOrderWhatFitsPinnedBesideItsRmaAndKvmMemory()
    {
        // §2.9 and 3.4 book3s_64_mmu_hv.c kvmppc_alloc_hpt / book3s_hv.c kvmppc_core_prepare_memory_region: each 3 GiB
        // guest needs 3008 MiB pinned beyond its 64 MiB RMA, plus KVM memory: HPT 2^24 B = 16 MiB, revmap 2^20 HPTEs x
        // 16 B = 16 MiB, rmap and slot_phys 49152 host pages x 8 B = 384 KiB each (6 pages of 64 KiB) = 32.75 MiB.
        // Available = 8192 - 512 reserved - 11.3125 min watermark (int_sqrt(16 x 8 GiB in KiB) = 11585 KiB = 181 pages)
        // - the RMA pool, one 64 MiB RMA per admitted guest. Guest2 would make the pool 3 x 64: 7476.69 MiB, of which
        // guests 0 and 1 hold 2 x 3040.75 = 6081.5, leaving 1395.19 MiB.
        var reasons = Admission.Decide(Quick(Platform.Ppc970, 3, 3, 3, 1));
        Assert.Null(reasons[0]);
        Assert.Null(reasons[1]);
        Assert.Equal("PPC970 pins all guest memory: needs 3008 MiB besides the 64 MiB its RMA backs, plus 32.75 MiB of KVM memory " +
            "(HPT 16 + revmap 16 + rmap 0.38 + slot_phys 0.38 MiB), but only 1395.19 MiB remain (host 8192 MiB - reserved 512 MiB - " +
            "RMA pool 192 MiB (3 x 64 MiB) - min watermark 11.31 MiB - 6081.5 MiB pinned and held by KVM for earlier guests)", reasons[2]);
        // 1024 - 64 + 32.25 (rmap and slot_phys of 16384 pages: 2 pages each) = 992.25 <= 1395.19, and the auto pool gets
        // a third RMA: a later smaller guest fits.
        Assert.Null(reasons[3]);
    }

    [Fact]
    public void Ppc970GuestPinsItsMemoryAndKvmMemoryAndNoMoreSoOneAsLargeAsTheHostFits()
    {
        // QA F24: a guest pins exactly its memory (RMA included) and KVM allocates its HPT (256 pages of 64 KiB), revmap
        // (256) and rmap and slot_phys (15 pages each for ~122k pages). Pinnable: 131072 - 8192 reserved - 181 min
        // watermark = 122699 pages, so the largest guest has 122699 - 542 = 122157 pages. (Without a bolted linear map:
        // its 1.95 million HPTEs of 4 KiB would not fit the 16 MiB HPT, BoltedLinearMapTests.)
        var exact = Quick(Platform.Ppc970) with
        {
            Guests = [new GuestConfig { Name = "g", MemoryBytes = 122157L * 65536, LinearMap = LinearMap.None, Workload = new UniformWorkload() }],
        };
        Assert.Null(Admission.Decide(exact)[0]);
        var over = exact with { Guests = [exact.Guests[0] with { MemoryBytes = exact.Guests[0].MemoryBytes + (64 << 10) }] };
        Assert.NotNull(Admission.Decide(over)[0]);
        Assert.All(Admission.Decide(Quick(Platform.Power7, 3, 3, 3, 3, 3)), Assert.Null);
    }

    [Fact]
    public void Ppc970AdmitsNeverFewerGuestsWhenAskedForMore()
    {
        // The quickstart's host and 3 GiB guests: as worked above, two fit whatever the count asked for (a refused guest
        // holds no RMA, so the auto pool does not grow with refusals and squeeze out a guest that fitted).
        for (int n = 1; n <= 8; n++)
        {
            var asked = Admission.Decide(Quick(Platform.Ppc970, Enumerable.Repeat(3L, n).ToArray()));
            Assert.Equal(Math.Min(n, 2), asked.Count(r => r is null));
            // Each guest's fate depends only on the guests before it: one more guest asked changes no earlier answer.
            Assert.Equal(Admission.Decide(Quick(Platform.Ppc970, Enumerable.Repeat(3L, n - 1).ToArray())), asked[..^1]);
        }
        // And the host a run builds sets aside one RMA per admitted guest, not per guest asked for.
        var cfg = Quick(Platform.Ppc970, 3, 3, 3, 3);
        var host = new Host(new Simulation(1), cfg, [0, 1], n => new FifoPolicy(n));
        Assert.Equal(2 * 1024, host.RmaPages);
    }

    [Fact]
    public void Ppc970GuestThatFindsTheRmaPoolEmptyIsRefused()
    {
        // kvm_rma_count = 1: the second guest gets no RMA and cannot run, however much memory is free.
        var cfg = Quick(Platform.Ppc970, 1, 1) with { Host = new HostConfig { MemoryBytes = 8L << 30, RmaCount = 1 } };
        var reasons = Admission.Decide(cfg);
        Assert.Null(reasons[0]);
        Assert.Contains("all 1 RMAs of the host's boot-time pool (host.rma_count) are taken", reasons[1]);
        // The pool is set aside at boot even when no guest takes an RMA: 4 RMAs for one guest leave 192 MiB idle.
        var big = Quick(Platform.Ppc970, 1) with { Host = new HostConfig { MemoryBytes = 8L << 30, RmaCount = 4 } };
        var host = new Host(new Simulation(1), big, [0], n => new FifoPolicy(n));
        Assert.Equal(4 * 1024, host.RmaPages); // 4 x 64 MiB in 64 KiB pages
        // KVM memory of the 1 GiB guest: HPT 256 + revmap 256 + rmap 2 + slot_phys 2 (16384 pages x 8 B = 2 pages).
        Assert.Equal(516, host.KvmPages);
        Assert.Equal(131072 - 8192 - 4096 - 516, host.FreePages); // 8 GiB - 512 MiB reserved - the pool - KVM memory
        Assert.Equal(1024, host.Vms[0].RmaPages);
    }

    [Fact]
    public void RefusedGuestsAreReportedNotShrunk()
    {
        var cfg = ModelKit.Small(Platform.Ppc970, hostMib: 64, guestMib: 24, guests: 3, durationMs: 20);
        // 64 - 8 reserved - 1 min watermark (int_sqrt(16 x 65536) KiB) - 4 MiB per admitted guest's RMA; each guest pins
        // 24 - 4 = 20 MiB and holds 0.625 MiB of KVM memory (HPT and revmap of order 18, 4 pages each; rmap and slot_phys of
        // 384 host pages, 1 page each): two fit (41.25 MiB of 47), the third would leave 43 - 41.25 = 1.75 MiB.
        var r = SimulationRunner.Run(cfg);
        Assert.Equal([true, true, false], r.Guests.Select(g => g.Admitted));
        Assert.Equal(24 * ModelKit.Mib, r.Guests[2].GuestMemoryBytes);
        Assert.Equal(0, r.Guests[2].Accesses);
        Assert.Contains("needs 20 MiB besides the 4 MiB its RMA backs", r.Guests[2].RefusalReason);
        Assert.Contains("but only 1.75 MiB remain", r.Guests[2].RefusalReason);
    }

    [Fact]
    public void Ppc970PinsDownToTheMinWatermarkAndNoFurther()
    {
        // One guest: 1024 pages - 128 reserved - 64 RMA - 16 min watermark = 816 pinnable, of which KVM takes 10 (HPT and
        // revmap of order 18, 4 + 4; rmap and slot_phys 1 + 1). A guest of 870 pages (806 beyond its 64 RMA pages) fits
        // exactly and one more 64 KiB page does not.
        var small = ModelKit.Small(Platform.Ppc970, hostMib: 64, guestMib: 55, guests: 1, vcpus: 1, durationMs: 100,
            workload: new UniformWorkload { ThinkNs = 200 }, check: true);
        var fits = small with { Guests = [small.Guests[0] with { MemoryBytes = 870L * ModelKit.K64 }] };
        var tooBig = fits with { Guests = [fits.Guests[0] with { MemoryBytes = 871L * ModelKit.K64 }] };
        Assert.Null(Admission.Decide(fits)[0]);
        Assert.Contains("min watermark 1 MiB", Admission.Decide(tooBig)[0]);

        var r = SimulationRunner.Run(fits);
        Assert.True(r.Guests[0].Admitted);
        Assert.Equal(806, r.Guests[0].PinnedPages); // every page beyond the RMA touched and pinned
        var wm = Watermarks.For(fits.Host);
        Assert.Equal(16, wm.Min);
        Assert.All(r.HostSeries, s => Assert.True(s.FreeBytes >= wm.Min * ModelKit.K64, $"free {s.FreeBytes} B at {s.TimeNs} ns"));
        Assert.Equal(wm.Min * ModelKit.K64, r.HostSeries[^1].FreeBytes);
        // The last pins find free at or below low (20 pages): they wake kswapd, which finds nothing it can free.
        Assert.True(r.Host.KswapdWakeups > 0);
        Assert.Equal(0, r.Host.DirectReclaims);
    }

    [Theory]
    [InlineData("slru")]
    [InlineData("twolist")]
    [InlineData("clock")]
    public void APpc970HostThatRefusesEveryGuestStillRuns(string policy)
    {
        // Found by the invariant property: 24 - 8 reserved - 4 RMA pool = 12 MiB pinnable < 20 - 4, so no guest page exists at all.
        var cfg = ModelKit.Small(Platform.Ppc970, hostMib: 24, guestMib: 20, guests: 1, durationMs: 6, policy: policy, check: true);
        var r = SimulationRunner.Run(cfg);
        Assert.False(r.Guests[0].Admitted);
        Assert.Equal(0, r.Guests[0].Accesses);
    }

    [Theory]
    [InlineData(8L << 30, 65536, 11585, 181, 226, 271)] // int_sqrt(16 * 8388608) = 11585 KiB
    [InlineData(64L << 30, 65536, 32768, 512, 640, 768)] // 32/40/48 MiB (kernel-model.md §4)
    [InlineData(64L << 20, 4096, 1024, 256, 320, 384)]
    [InlineData(1L << 20, 4096, 128, 32, 40, 48)] // clamped up to 128 KiB
    public void WatermarksFollowThe3xFormula(long memory, int page, long minKb, long min, long low, long high)
    {
        Assert.Equal(minKb, Watermarks.DefaultMinFreeKbytes(memory));
        Assert.Equal(new Watermarks(min, low, high), Watermarks.For(new HostConfig { MemoryBytes = memory, PageSizeBytes = page }));
    }

    [Fact]
    public void RunningOutOfSwapIsCountedAndDoesNotCrash()
    {
        var cfg = ModelKit.Small(hostMib: 40, guestMib: 32, guests: 2, durationMs: 100, workload: new UniformWorkload { ThinkNs = 200 },
            swap: SwapDeviceConfig.Ssd with { CapacityBytes = 1 * ModelKit.Mib }, check: true) with { InvariantCheckEveryEvents = 50 };
        var r = SimulationRunner.Run(cfg);
        Assert.True(r.Host.SwapFullEvents > 0);
        Assert.True(r.HostSeries.All(s => s.SwapUsedBytes <= 1 * ModelKit.Mib));
    }
}
