using System.Numerics;
using System.Runtime.CompilerServices;
using FsCheck;
using FsCheck.Fluent;
using HvSim.Model.Bench;
using HvSim.Model.Config;
using HvSim.Model.Mm;
using HvSim.Model.Replacement;
using HvSim.Model.Workloads;

namespace HvSim.Model.Tests.Model;

/// <summary>
/// Issue 12's scale target: what the model holds per guest page, counted by hand from the fields of each per-page array.
/// HostPage, one 64-bit word as struct page's flags word: 14 flag bits + 2 state bits + a 25-bit swap entry + a 23-bit
/// rmap index = 64 bits = 8 B per host page (the owner found from the page's position). The LRU's list_head: next 28 +
/// prev 28 bits + the list in 8 bits = 8 B per host page. The guest's HPTE slot: nothing, found by the PTEG search as the
/// processor finds it. So 16 B per guest page when guest and host pages are both 64 KiB, 1 B with 4 KiB guest pages.
/// </summary>
public class PerPageStateTests
{
    private const int HostPageBits = 14 + 2 + 25 + 23;
    private const int LruBits = 28 + 28 + 8;
    private const double HostPageBytes = HostPageBits / 8.0;
    private const double LruBytes = LruBits / 8.0;

    private static SimulationConfig Guests(int guestPageBytes, HostKernel? kernel = null) => new()
    {
        Host = new HostConfig { MemoryBytes = 1L << 30, PageSizeBytes = 64 << 10, Kernel = kernel ?? HostKernel.Linux34 },
        Guests = [.. Enumerable.Range(0, 2).Select(i => new GuestConfig
        {
            Name = $"g{i}", MemoryBytes = 256L << 20, PageSizeBytes = guestPageBytes, Workload = new UniformWorkload(),
        })],
    };

    /// <summary>The owner table's share: one byte per chunk of 4,096 host pages (two 256 MiB guests), plus one.</summary>
    private static double OwnerBytes(int guestPages) => (8_192 / 4_096 + 1) / (double)guestPages;

    [Fact]
    public void TheStructsAreTheSizeTheHandCountSays()
    {
        Assert.Equal(HostPageBytes, Unsafe.SizeOf<HostPage>());
        // Each field of the hand count against the model's own width: 14 flag bits (the highest HostPageFlags bit is
        // bit 13), 2 state bits for the 4 states, a 25-bit swap entry, a 23-bit rmap index; the LRU word's two 28-bit
        // links and a list number (-1 .. MaxLists - 1) that fits its 8 bits.
        Assert.Equal(14, 64 - BitOperations.LeadingZeroCount(Enum.GetValues<HostPageFlags>().Aggregate(0UL, (all, f) => all | (ulong)f)));
        Assert.Equal(1 << 2, Enum.GetValues<HostPageState>().Length);
        Assert.Equal((25, 23), (HostPage.SwapSlotBits, HostPage.RmapIndexBits));
        Assert.Equal(28, PageLists.LinkBits);
        Assert.InRange(PageLists.MaxLists + 1, 1, 1 << 8);
    }

    [Fact]
    public void Sixteen4KiBGuestPagesShareEach64KiBHostPageState()
    {
        double perGuestPage = ModelBenchmarks.BytesPerGuestPageByPart(Guests(4 << 10)).Sum(p => p.Bytes);
        Assert.Equal((HostPageBytes + LruBytes) / 16 + OwnerBytes(131_072), perGuestPage, 9);
        Assert.Equal(1.0, (HostPageBytes + LruBytes) / 16);
    }

    [Fact]
    public void OneGuestPagePerHostPageIsSixteenBytes()
    {
        var parts = ModelBenchmarks.BytesPerGuestPageByPart(Guests(64 << 10));
        Assert.Equal(HostPageBytes + LruBytes + OwnerBytes(8_192), parts.Sum(p => p.Bytes), 9);
        Assert.Equal(16.0, HostPageBytes + LruBytes);
        Assert.DoesNotContain(parts, p => p.Part.Contains("HPTE"));
    }

    /// <summary>linux-6.18 adds nothing per guest page: its shadow entries are per swap slot, as the 6.18 swap table keeps them.</summary>
    [Fact]
    public void TheWorkingsetShadowIsNotPerGuestPage()
    {
        var parts = ModelBenchmarks.BytesPerGuestPageByPart(Guests(64 << 10, HostKernel.Linux618));
        Assert.Equal(HostPageBytes + LruBytes + OwnerBytes(8_192), parts.Sum(p => p.Bytes), 9);
    }

    [Fact]
    public void EveryPageFlagFitsBelowTheStateBits() => Assert.True(HostPage.FlagsFit);

    /// <summary>A field's values, its two ends and their neighbours first (where a packing mistake shows), then any.</summary>
    private static Gen<int> Field(int min, int max) =>
        Gen.OneOf(Gen.Elements(min, min + 1, max - 1, max, (min + max) / 2), Gen.Choose(min, max));

    /// <summary>
    /// Any flags, state, swap slot (-1 .. 2^25 - 2) and rmap head (-1 .. 2^23 - 2), written in any order over any earlier
    /// page, read back as written: no field's bits reach another's.
    /// </summary>
    [Fact]
    public void HostPageFieldsRoundTripAtTheirBitBoundaries()
    {
        var gen =
            from before in Gen.ArrayOf(Gen.Choose(0, int.MaxValue), 4)
            from flags in Gen.Choose(0, (1 << 14) - 1)
            from state in Gen.Choose(0, 3)
            from slot in Field(-1, HostPage.MaxSwapSlots - 1)
            from rmap in Field(-1, HostPage.MaxHpteIndex)
            from order in Gen.Shuffle(new[] { 0, 1, 2, 3 })
            select (before, flags, state, slot, rmap, order);
        Prop.ForAll(gen.ToArbitrary(), t =>
        {
            var page = new HostPage
            {
                Flags = (HostPageFlags)(t.before[0] & 0x3FFF), State = (HostPageState)(t.before[1] & 3),
                SwapSlot = t.before[2] % HostPage.MaxSwapSlots - 1, RmapHead = t.before[3] % (HostPage.MaxHpteIndex + 1) - 1,
            };
            foreach (int field in t.order)
                switch (field)
                {
                    case 0: page.Flags = (HostPageFlags)t.flags; break;
                    case 1: page.State = (HostPageState)t.state; break;
                    case 2: page.SwapSlot = t.slot; break;
                    default: page.RmapHead = t.rmap; break;
                }
            return page.Flags == (HostPageFlags)t.flags && page.State == (HostPageState)t.state && page.SwapSlot == t.slot && page.RmapHead == t.rmap;
        }).QuickCheckThrowOnFailure();
    }

    /// <summary>
    /// Set and Clear, as the kernel's SetPageX / ClearPageX on page->flags: over any page, Set(f) leaves the flags
    /// (old | f) and Clear(f) leaves (old &amp; ~f), each computed here on the flag values themselves, and neither moves the
    /// state, the swap slot or the rmap head.
    /// </summary>
    [Fact]
    public void SetAndClearChangeOnlyTheFlagsTheyName()
    {
        var gen =
            from old in Gen.Choose(0, (1 << 14) - 1)
            from f in Gen.Choose(0, (1 << 14) - 1)
            from state in Gen.Choose(0, 3)
            from slot in Field(-1, HostPage.MaxSwapSlots - 1)
            from rmap in Field(-1, HostPage.MaxHpteIndex)
            select (old, f, state, slot, rmap);
        Prop.ForAll(gen.ToArbitrary(), t =>
        {
            var page = new HostPage { Flags = (HostPageFlags)t.old, State = (HostPageState)t.state, SwapSlot = t.slot, RmapHead = t.rmap };
            var set = page;
            set.Set((HostPageFlags)t.f);
            var cleared = page;
            cleared.Clear((HostPageFlags)t.f);
            bool rest(HostPage p) => p.State == (HostPageState)t.state && p.SwapSlot == t.slot && p.RmapHead == t.rmap;
            return set.Flags == (HostPageFlags)(t.old | t.f) && cleared.Flags == (HostPageFlags)(t.old & ~t.f) && rest(set) && rest(cleared);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void AZeroHostPageIsNeverTouchedWithNoSlotAndNoRmapChain()
    {
        var page = default(HostPage);
        Assert.Equal((HostPageState.NeverTouched, HostPageFlags.None, -1, -1), (page.State, page.Flags, page.SwapSlot, page.RmapHead));
    }

    /// <summary>Any next and prev below 2^28 and any list (-1 .. 126) come back out of a PageLists word.</summary>
    [Fact]
    public void PageListsWordRoundTripsAtItsBitBoundaries()
    {
        int maxLink = (1 << PageLists.LinkBits) - 1;
        var gen =
            from next in Field(0, maxLink)
            from prev in Field(0, maxLink)
            from list in Field(-1, PageLists.MaxLists - 1)
            select (next, prev, list);
        Prop.ForAll(gen.ToArbitrary(), t =>
        {
            ulong word = PageLists.Word(t.next, t.prev, t.list);
            return PageLists.NextOf(word) == t.next && PageLists.PrevOf(word) == t.prev && PageLists.ListOfWord(word) == t.list;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void PageListsRefusesMorePagesThanItsLinksHold()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new PageLists(PageLists.MaxPages + 1, 1));
        Assert.Equal((1 << 28) - 127, PageLists.MaxPages);
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
        var host = new Host(new HvSim.Engine.Simulation(), cfg, [0, 1, 2], n => HvSim.Model.SimulationRunner.CreatePolicy(cfg.Host, n));
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
