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
    public void Ppc970_admits_in_order_what_fits_pinned_beside_its_rma()
    {
        // §2.9: 8192 - 512 reserved - 4 x 64 RMA pool (one per guest) - 11.3125 min watermark (int_sqrt(16 x 8 GiB in KiB)
        // = 11585 KiB = 181 pages of 64 KiB) = 7412.69 MiB pinnable. Each 3 GiB guest's RMA backs 64 MiB of it, so it pins
        // 3008 MiB: two fit (6016), 1396.69 MiB remain.
        var reasons = Admission.Decide(Quick(Platform.Ppc970, 3, 3, 3, 1));
        Assert.Null(reasons[0]);
        Assert.Null(reasons[1]);
        Assert.Contains("needs 3008 MiB besides the 64 MiB its RMA backs", reasons[2]);
        Assert.Contains("only 1396.69 MiB remain", reasons[2]);
        Assert.Contains("RMA pool 256 MiB (4 x 64 MiB) - min watermark 11.31 MiB - 6016 MiB pinned", reasons[2]);
        Assert.Null(reasons[3]); // 1024 - 64 = 960 <= 1396.69, and an RMA is still free: a later smaller guest fits
    }

    [Fact]
    public void Ppc970_guest_pins_its_memory_and_no_more_so_one_as_large_as_the_host_fits()
    {
        // QA F24: a guest pins exactly its memory (RMA included), so the largest guest is 8192 - 512 MiB less the min
        // watermark's 181 pages of 64 KiB.
        var exact = Quick(Platform.Ppc970) with
        {
            Guests = [new GuestConfig { Name = "g", MemoryBytes = (7680L << 20) - 181 * 65536, Workload = new UniformWorkload() }],
        };
        Assert.Null(Admission.Decide(exact)[0]);
        var over = exact with { Guests = [exact.Guests[0] with { MemoryBytes = exact.Guests[0].MemoryBytes + (64 << 10) }] };
        Assert.NotNull(Admission.Decide(over)[0]);
        Assert.All(Admission.Decide(Quick(Platform.Power7, 3, 3, 3, 3, 3)), Assert.Null);
    }

    [Fact]
    public void Ppc970_guest_that_finds_the_rma_pool_empty_is_refused()
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
        Assert.Equal(131072 - 8192 - 4096, host.FreePages); // 8 GiB - 512 MiB reserved - the pool
        Assert.Equal(1024, host.Vms[0].RmaPages);
    }

    [Fact]
    public void Refused_guests_are_reported_not_shrunk()
    {
        var cfg = ModelKit.Small(Platform.Ppc970, hostMib: 64, guestMib: 24, guests: 3, durationMs: 20);
        // 64 - 8 reserved - 3 x 4 RMA pool - 1 min watermark (int_sqrt(16 x 65536) KiB) = 43 MiB pinnable; each guest
        // pins 24 - 4 = 20: two fit, 3 MiB remain.
        var r = SimulationRunner.Run(cfg);
        Assert.Equal([true, true, false], r.Guests.Select(g => g.Admitted));
        Assert.Equal(24 * ModelKit.Mib, r.Guests[2].GuestMemoryBytes);
        Assert.Equal(0, r.Guests[2].Accesses);
        Assert.Contains("needs 20 MiB besides the 4 MiB its RMA backs, but only 3 MiB remain", r.Guests[2].RefusalReason);
    }

    [Fact]
    public void Ppc970_pins_down_to_the_min_watermark_and_no_further()
    {
        // One guest: 64 - 8 reserved - 4 RMA - 1 min watermark = 51 MiB pinnable, so a 55 MiB guest (51 MiB beyond its
        // RMA) fits exactly and one more 64 KiB page does not. Before, a 56 MiB guest was admitted and left 0 pages free.
        var fits = ModelKit.Small(Platform.Ppc970, hostMib: 64, guestMib: 55, guests: 1, vcpus: 1, durationMs: 100,
            workload: new UniformWorkload { ThinkNs = 200 }, check: true);
        var tooBig = fits with { Guests = [fits.Guests[0] with { MemoryBytes = 55 * ModelKit.Mib + ModelKit.K64 }] };
        Assert.Contains("min watermark 1 MiB", Admission.Decide(tooBig)[0]);
        Assert.NotNull(Admission.Decide(fits with { Guests = [fits.Guests[0] with { MemoryBytes = 56 * ModelKit.Mib }] })[0]);

        var r = SimulationRunner.Run(fits);
        Assert.True(r.Guests[0].Admitted);
        Assert.Equal(51 * 16, r.Guests[0].PinnedPages); // every page beyond the RMA touched and pinned
        var wm = Watermarks.For(fits.Host);
        Assert.Equal(16, wm.Min);
        Assert.All(r.HostSeries, s => Assert.True(s.FreeBytes >= wm.Min * ModelKit.K64, $"free {s.FreeBytes} B at {s.TimeNs} ns"));
        Assert.Equal(wm.Min * ModelKit.K64, r.HostSeries[^1].FreeBytes);
        // The last pins find free at or below low (20 pages): they wake kswapd, which finds nothing it can free.
        Assert.True(r.Host.KswapdWakeups > 0);
        Assert.Equal(0, r.Host.DirectReclaims);
    }

    [Theory]
    [InlineData(ReclaimPolicyKind.Slru)]
    [InlineData(ReclaimPolicyKind.TwoList)]
    [InlineData(ReclaimPolicyKind.Clock)]
    public void A_ppc970_host_that_refuses_every_guest_still_runs(ReclaimPolicyKind policy)
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
    public void Watermarks_follow_the_3x_formula(long memory, int page, long minKb, long min, long low, long high)
    {
        Assert.Equal(minKb, Watermarks.DefaultMinFreeKbytes(memory));
        Assert.Equal(new Watermarks(min, low, high), Watermarks.For(new HostConfig { MemoryBytes = memory, PageSizeBytes = page }));
    }

    [Fact]
    public void Running_out_of_swap_is_counted_and_does_not_crash()
    {
        var cfg = ModelKit.Small(hostMib: 40, guestMib: 32, guests: 2, durationMs: 100, workload: new UniformWorkload { ThinkNs = 200 },
            swap: SwapDeviceConfig.Ssd with { CapacityBytes = 1 * ModelKit.Mib }, check: true) with { InvariantCheckEveryEvents = 50 };
        var r = SimulationRunner.Run(cfg);
        Assert.True(r.Host.SwapFullEvents > 0);
        Assert.True(r.HostSeries.All(s => s.SwapUsedBytes <= 1 * ModelKit.Mib));
    }
}
