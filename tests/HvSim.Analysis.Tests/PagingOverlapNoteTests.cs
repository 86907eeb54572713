using HvSim.Analysis.Plots;
using HvSim.Analysis.Results;

namespace HvSim.Analysis.Tests;

/// <summary>The paging plot's legend note for guest lines drawn on top of each other.</summary>
public class PagingOverlapNoteTests
{
    private const long MiB = 1L << 20, GiB = 1L << 30;

    // Two guests sampled at 20 s and 30 s (after a 10 s warm-up); guest1 is `apart` bytes above guest0.
    private static List<IGrouping<string, TimeseriesRow>> Guests(long resident, long apart) =>
        new[] { 20.0, 30.0 }.SelectMany(t => new[]
        {
            new TimeseriesRow { Guest = "guest0", TimeS = t, ResidentBytes = resident },
            new TimeseriesRow { Guest = "guest1", TimeS = t, ResidentBytes = resident + apart },
        }).GroupBy(r => r.Guest).ToList();

    private static string Note(long resident, long apart) =>
        PagingCurvePlot.OverlapNote(Guests(resident, apart), ByteScale.For(3 * GiB), 10, 3 * GiB);

    [Fact]
    public void EqualLinesCoincide() =>
        // Pinned PPC970 guests: every sample equal. "within 0 GiB" said the same less plainly.
        Assert.Equal("both guest lines coincide", Note(3 * GiB, 0));

    [Fact]
    public void ASpreadTheAxisUnitRoundsAwayIsGivenInMiB() =>
        // 4 MiB is 0.0039 GiB, "0 GiB" at two decimals; the axis is 3 GiB, so 2 % of it (61 MiB) is the overlap bound.
        Assert.Equal("both guest lines overlap (within 4 MiB)", Note(2 * GiB, 4 * MiB));

    [Fact]
    public void ASpreadTheAxisUnitShowsStaysInIt() =>
        Assert.Equal("both guest lines overlap (within 0.02 GiB)", Note(2 * GiB, 20 * MiB));

    [Fact]
    public void LinesFurtherApartThanTwoPercentOfTheAxisGetNoNote() =>
        Assert.Equal("", Note(2 * GiB, 100 * MiB));
}
