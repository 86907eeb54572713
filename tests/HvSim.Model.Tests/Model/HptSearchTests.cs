using HvSim.Model.Hv;

namespace HvSim.Model.Tests.Model;

/// <summary>
/// The vCPU finds a guest page's HPTE as the processor's table walk does (Power ISA 2.06 "Page Table Search"; the guest
/// keeps only _PAGE_F_SECOND / _PAGE_F_GIX in its own PTE, pSeries_lpar_hpte_insert): the primary PTEG, then the
/// secondary, matching the AVPN, here the guest page, and skipping the guest kernel's bolted linear-map translation of
/// the same page. HPTEs are placed by hand in groups computed from the hash independently of the search.
/// </summary>
public class HptSearchTests
{
    private const int GuestPage = 12_345;

    private static Hpt NewHpt() => new(Hpt.MinOrder, 64 << 10, 1 << 14);

    [Theory]
    [InlineData(-8)]
    [InlineData(int.MinValue)]
    [InlineData(int.MaxValue)]
    [InlineData(1 << 20)]
    public void APrefetchHintForAGroupOutsideTheTableIsIgnored(int group)
    {
        // A hint never faults (prefetcht0 cannot trap) and changes no HPTE.
        var hpt = NewHpt();
        Hpt.PrefetchGroup(hpt.Entries, group);
        Hpt.PrefetchGroup(hpt.Entries, hpt.PrimaryGroup(GuestPage));
        Assert.All(hpt.Entries, e => Assert.Equal(-1, e.GuestPage));
    }

    [Theory]
    [InlineData(-1, false)]
    [InlineData(-8, false)]
    [InlineData(int.MinValue, false)]
    [InlineData(int.MaxValue, false)]
    [InlineData(-7, true)] // counted from the end of the table: a group whose last slots lie past it
    [InlineData(0, true)]
    public void ASearchOfAGroupNotWhollyInTheTableThrows(int group, bool fromEnd)
    {
        // UserSlotIn reads a group's slots without a bounds check each, so it checks the group as a whole.
        var hpt = NewHpt();
        if (fromEnd) group += hpt.Count;
        Assert.Throws<ArgumentOutOfRangeException>(() => Hpt.UserSlotIn(hpt.Entries, group, GuestPage));
    }

    [Fact]
    public void TheFirstAndLastGroupsAreSearched()
    {
        var hpt = NewHpt();
        int last = hpt.Count - Hpt.PtegSlots;
        hpt.Entries[last + Hpt.PtegSlots - 1] = new Hpte { GuestPage = GuestPage, Flags = HpteFlags.Valid };
        hpt.Entries[0] = new Hpte { GuestPage = GuestPage + 1, Flags = HpteFlags.Valid };
        Assert.Equal(hpt.Count - 1, Hpt.UserSlotIn(hpt.Entries, last, GuestPage));
        Assert.Equal(0, Hpt.UserSlotIn(hpt.Entries, 0, GuestPage + 1));
    }

    [Fact]
    public void APageWithNoHpteIsNotFound() => Assert.Equal(-1, NewHpt().UserSlot(GuestPage));

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(7)]
    public void TheUserHpteIsFoundInAnySlotOfThePrimaryPtegPastABoltedOneOfTheSamePage(int slot)
    {
        var hpt = NewHpt();
        int primary = hpt.PrimaryGroup(GuestPage);
        if (slot > 0) hpt.Entries[primary] = new Hpte { GuestPage = GuestPage, Flags = HpteFlags.Bolted | HpteFlags.Valid };
        hpt.Entries[primary + slot] = new Hpte { GuestPage = GuestPage, Flags = HpteFlags.Absent };
        Assert.Equal(primary + slot, hpt.UserSlot(GuestPage));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    public void TheUserHpteIsFoundInTheSecondaryPtegWhenThePrimaryHoldsOthers(int slot)
    {
        var hpt = NewHpt();
        int primary = hpt.PrimaryGroup(GuestPage), secondary = hpt.SecondaryGroup(GuestPage);
        for (int i = 0; i < Hpt.PtegSlots; i++) hpt.Entries[primary + i] = new Hpte { GuestPage = GuestPage + 1 + i, Flags = HpteFlags.Valid };
        hpt.Entries[secondary + slot] = new Hpte { GuestPage = GuestPage, Flags = HpteFlags.Valid | HpteFlags.Secondary };
        Assert.Equal(secondary + slot, hpt.UserSlot(GuestPage));
    }

    [Fact]
    public void ABoltedTranslationAloneIsNotAUserHpte()
    {
        var hpt = NewHpt();
        hpt.Entries[hpt.PrimaryGroup(GuestPage) + 2] = new Hpte { GuestPage = GuestPage, Flags = HpteFlags.Bolted | HpteFlags.Valid };
        Assert.Equal(-1, hpt.UserSlot(GuestPage));
    }
}
