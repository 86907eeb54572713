using HvSim.Cli.Bench;

namespace HvSim.Cli.Tests;

/// <summary>
/// `hvsim bench batch` compares 1 worker with N fairly (issue 12): a warm-up pass first, then repetitions that
/// alternate which count goes first, and medians. The timings themselves are not tested; the protocol is.
/// </summary>
public class BenchBatchTests
{
    [Fact]
    public void EachRepetitionTimesBothCountsAndTheFirstAlternates()
    {
        Assert.Equal([1, 2, 2, 1, 1, 2], PairedTimings.Order(3, 2));
        Assert.Equal([1, 4, 4, 1], PairedTimings.Order(2, 4));
    }

    [Fact]
    public void TheMedianIsTheMiddleValueOrTheMeanOfTheTwoMiddleOnes()
    {
        Assert.Equal(2.5, PairedTimings.Median([9.0, 2.5, 1.0]));
        Assert.Equal(3.0, PairedTimings.Median([4.0, 1.0, 2.0, 100.0]));
        Assert.Equal(7.0, PairedTimings.Median([7.0]));
    }

    [Fact]
    public void TheBenchSaysItWarmedUpAndPrintsTheSpreadOfItsRepetitions()
    {
        var r = Hvsim.Run("bench", "batch", "--runs", "2", "--seconds", "1", "--jobs", "2", "--repeat", "2");
        Assert.True(r.Exit == 0, r.ToString());
        Assert.Contains("warm-up pass first", r.Out);
        Assert.Matches(@"2 repetition\(s\) of both, alternating which goes first; speed-up per repetition: [0-9.]+, [0-9.]+", r.Out);
        Assert.Contains("median s", r.Out);
        // The 2-worker row: its median, then the min–max of its repetitions.
        Assert.Matches(new System.Text.RegularExpressions.Regex(@"^\W*2\W+[0-9.]+\W+[0-9.]+–[0-9.]+\W", System.Text.RegularExpressions.RegexOptions.Multiline), r.Out);
    }
}
