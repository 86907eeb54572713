using HvSim.Model.Bench;
using HvSim.Model.Config;
using HvSim.Model.Workloads;

namespace HvSim.Model.Tests.Model;

/// <summary>
/// Issue 12's scale target: what the model holds per guest page, counted by hand from the fields of each per-page array
/// (HostPage: rmap head 4 + swap slot 4 + flags 2 + state 1 + owner 1 = 12 B per host page; the two-list LRU's
/// list_head: next 4 + prev 4 + list id 1 = 9 B per host page; the guest's HPTE slot: 4 B per guest page).
/// </summary>
public class PerPageStateTests
{
    private const double HostPageBytes = 4 + 4 + 2 + 1 + 1;
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
        // 8,192 host pages: the LRU's two list sentinels and array headers add well under 0.01 B per guest page.
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
    public void ScaleRunIsATerabyteOf4KiBGuestPagesOnA512GiBHost()
    {
        var cfg = ModelBenchmarks.ScaleConfig();
        Assert.Equal(512L << 30, cfg.Host.MemoryBytes);
        Assert.Equal(1L << 40, cfg.Guests.Sum(g => g.MemoryBytes));
        Assert.Equal(1L << 28, cfg.Guests.Sum(g => g.MemoryBytes / g.PageBytesOn(cfg.Platform, cfg.Host.PageSizeBytes)));
    }
}
