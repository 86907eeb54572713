using HvSim.Model.Bench;
using HvSim.Model.Config;
using HvSim.Model.Workloads;

namespace HvSim.Model.Tests.Model;

/// <summary>
/// Issue 12's scale target: what the model holds per guest page, counted by hand from the fields of each per-page array
/// (HostPage: rmap head 4 + swap slot 4 + one 16-bit word of flags and state = 10 B per host page, the owner found from
/// the page's position; the two-list LRU's list_head: next 4 + prev 4 + list id 1 = 9 B per host page; the guest's HPTE
/// slot: 4 B per guest page).
/// </summary>
public class PerPageStateTests
{
    private const double HostPageBytes = 4 + 4 + 2;
    private const double LruBytes = 4 + 4 + 1;
    private const double HpteSlotBytes = 4;

    private static SimulationConfig Guests(int guestPageBytes) => new()
    {
        Host = new HostConfig { MemoryBytes = 1L << 30, PageSizeBytes = 64 << 10 },
        Guests = [.. Enumerable.Range(0, 2).Select(i => new GuestConfig
        {
            Name = $"g{i}", MemoryBytes = 256L << 20, PageSizeBytes = guestPageBytes, Workload = new UniformWorkload(),
        })],
    };

    [Fact]
    public void Sixteen4KiBGuestPagesShareEach64KiBHostPageState()
    {
        double perGuestPage = ModelBenchmarks.BytesPerGuestPageByPart(Guests(4 << 10)).Sum(p => p.Bytes);
        // 8,192 host pages: the LRU's two list sentinels and array headers, and the owner table's 3 chunks of 4,096 pages,
        // add well under 0.01 B per guest page.
        Assert.InRange(perGuestPage, (HostPageBytes + LruBytes) / 16 + HpteSlotBytes, (HostPageBytes + LruBytes) / 16 + HpteSlotBytes + 0.01);
        Assert.True(perGuestPage <= 16);
    }

    [Fact]
    public void OneGuestPagePerHostPageHoldsAllThreeArrays()
    {
        double perGuestPage = ModelBenchmarks.BytesPerGuestPageByPart(Guests(64 << 10)).Sum(p => p.Bytes);
        Assert.InRange(perGuestPage, HostPageBytes + LruBytes + HpteSlotBytes, HostPageBytes + LruBytes + HpteSlotBytes + 0.1);
    }

    [Fact]
    public void EveryPageFlagFitsBelowTheStateBits() => Assert.True(HvSim.Model.Mm.HostPage.FlagsFit);

    [Fact]
    public void FlagsAndStateInOneWordDoNotDisturbEachOther()
    {
        var page = new HvSim.Model.Mm.HostPage { RmapHead = -1, SwapSlot = -1 };
        foreach (var state in Enum.GetValues<HvSim.Model.Mm.HostPageState>())
            foreach (var flag in Enum.GetValues<HvSim.Model.Mm.HostPageFlags>())
            {
                page.Flags = flag | HvSim.Model.Mm.HostPageFlags.Young;
                page.State = state;
                Assert.Equal(flag | HvSim.Model.Mm.HostPageFlags.Young, page.Flags);
                page.Flags &= ~HvSim.Model.Mm.HostPageFlags.Young;
                Assert.Equal(state, page.State);
                Assert.Equal(flag & ~HvSim.Model.Mm.HostPageFlags.Young, page.Flags);
            }
    }

    /// <summary>The owner of each host page, from the chunk table, against the memslots laid end to end (guests of 3, 1.5 and 0.5 GiB).</summary>
    [Fact]
    public void TheGuestOfEveryHostPageIsTheOneWhoseMemslotHoldsIt()
    {
        var cfg = Guests(64 << 10) with
        {
            Host = new HostConfig { MemoryBytes = 8L << 30, PageSizeBytes = 64 << 10 },
            Guests = [.. new[] { 3L << 30, 3L << 29, 1L << 29 }.Select((m, i) => new GuestConfig { Name = $"g{i}", MemoryBytes = m, Workload = new UniformWorkload() })],
        };
        var host = new HvSim.Model.Mm.Host(new HvSim.Engine.Simulation(), cfg, [0, 1, 2], n => HvSim.Model.SimulationRunner.CreatePolicy(cfg.Host, n));
        int[] ends = [49_152, 49_152 + 24_576, 49_152 + 24_576 + 8_192];
        for (int p = 0; p < ends[^1]; p++)
            Assert.Equal(p < ends[0] ? 0 : p < ends[1] ? 1 : 2, host.GuestOf(p));
    }

    [Fact]
    public void ScaleRunIsATerabyteOf4KiBGuestPagesOnA512GiBHost()
    {
        var cfg = ModelBenchmarks.ScaleConfig();
        Assert.Equal(512L << 30, cfg.Host.MemoryBytes);
        Assert.Equal(1L << 40, cfg.Guests.Sum(g => g.MemoryBytes));
        Assert.Equal(1L << 28, cfg.Guests.Sum(g => g.MemoryBytes / g.PageBytesOn(cfg.Platform, cfg.Host.PageSizeBytes)));
    }
}
