using HvSim.Engine;
using HvSim.Model.Config;
using HvSim.Model.Guest;
using HvSim.Model.Mm;
using HvSim.Model.Workloads;

namespace HvSim.Model.Tests.Model;

public class AdmissionAndHostTests
{
    private static SimulationConfig Quick(Platform platform, params long[] guestGib) => new()
    {
        Platform = platform,
        Host = new HostConfig { MemoryBytes = 8L << 30 }, // reserved 512 MiB, RMA 64 MiB
        Guests = guestGib.Select((g, i) => new GuestConfig { Name = $"g{i}", MemoryBytes = g << 30, Workload = new UniformWorkload() }).ToList(),
    };

    [Fact]
    public void Ppc970_admits_in_order_what_fits_pinned_with_its_rma()
    {
        // 8192 - 512 = 7680 MiB pinnable. Each 3 GiB guest pins 3072 + 64 = 3136 MiB: two fit (6272), 1408 MiB remain.
        var reasons = Admission.Decide(Quick(Platform.Ppc970, 3, 3, 3, 1));
        Assert.Null(reasons[0]);
        Assert.Null(reasons[1]);
        Assert.Contains("needs 3136 MiB", reasons[2]);
        Assert.Contains("only 1408 MiB remain", reasons[2]);
        Assert.Null(reasons[3]); // 1024 + 64 = 1088 <= 1408: a later smaller guest still fits
    }

    [Fact]
    public void Ppc970_admits_a_guest_that_fits_exactly_and_power7_admits_everything()
    {
        // 7680 MiB = 7616 MiB of guest + 64 MiB RMA.
        var exact = Quick(Platform.Ppc970) with
        {
            Guests = [new GuestConfig { Name = "g", MemoryBytes = 7616L << 20, Workload = new UniformWorkload() }],
        };
        Assert.Null(Admission.Decide(exact)[0]);
        var over = exact with { Guests = [exact.Guests[0] with { MemoryBytes = (7616L << 20) + (64 << 10) }] };
        Assert.NotNull(Admission.Decide(over)[0]);
        Assert.All(Admission.Decide(Quick(Platform.Power7, 3, 3, 3, 3, 3)), Assert.Null);
    }

    [Fact]
    public void Refused_guests_are_reported_not_shrunk()
    {
        var cfg = ModelKit.Small(Platform.Ppc970, hostMib: 64, guestMib: 24, guests: 3, durationMs: 20);
        // 64 - 8 = 56 MiB pinnable; each guest pins 24 + 4 (RMA) = 28: two fit exactly, the third is refused.
        var r = SimulationRunner.Run(cfg);
        Assert.Equal([true, true, false], r.Guests.Select(g => g.Admitted));
        Assert.Equal(24 * ModelKit.Mib, r.Guests[2].GuestMemoryBytes);
        Assert.Equal(0, r.Guests[2].Accesses);
        // The message states the numbers and that charging the RMA on top of guest memory is a conservative choice (F24).
        Assert.Contains("needs 28 MiB (memory + 4 MiB RMA, counted on top of guest memory", r.Guests[2].RefusalReason);
        Assert.Contains("only 0 MiB remain", r.Guests[2].RefusalReason);
    }

    [Theory]
    [InlineData(ReclaimPolicyKind.Slru)]
    [InlineData(ReclaimPolicyKind.TwoList)]
    [InlineData(ReclaimPolicyKind.Clock)]
    public void A_ppc970_host_that_refuses_every_guest_still_runs(ReclaimPolicyKind policy)
    {
        // Found by the invariant property: 24 - 8 = 16 MiB pinnable < 16 + 4 (RMA), so no guest page exists at all.
        var cfg = ModelKit.Small(Platform.Ppc970, hostMib: 24, guestMib: 16, guests: 1, durationMs: 6, policy: policy, check: true);
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
