using HvSim.Scenarios.Language;

namespace HvSim.Scenarios.Tests;

public class UnitsTests
{
    [Theory]
    [InlineData("64KiB", 65536L)]
    [InlineData("8GiB", 8589934592L)]
    [InlineData("1.5GiB", 1610612736L)]
    [InlineData("500MB", 500000000L)]
    [InlineData("4096", 4096L)]
    [InlineData(" 2 MiB ", 2097152L)]
    public void SizesParseToBytes(string text, long bytes)
    {
        Assert.True(Units.TryParseSize(text, out var v));
        Assert.Equal(bytes, v);
    }

    [Theory]
    [InlineData("8gib")]        // units are case-sensitive: b is bits elsewhere
    [InlineData("64 KiBs")]
    [InlineData("-1GiB")]
    [InlineData("0.3B")]        // not a whole byte
    [InlineData("99999999999999999999GiB")]
    [InlineData("16EiB")]
    [InlineData("9000000TiB")]  // overflows long
    [InlineData("")]
    public void MalformedSizesAreRefused(string text) => Assert.False(Units.TryParseSize(text, out _));

    [Theory]
    [InlineData("250ns", 250L)]
    [InlineData("10us", 10_000L)]
    [InlineData("10µs", 10_000L)]
    [InlineData("8ms", 8_000_000L)]
    [InlineData("60s", 60_000_000_000L)]
    [InlineData("1.5s", 1_500_000_000L)]
    [InlineData("2min", 120_000_000_000L)]
    [InlineData("0", 0L)]
    public void DurationsParseToNanoseconds(string text, long ns)
    {
        Assert.True(Units.TryParseDuration(text, out var v));
        Assert.Equal(ns, v);
    }

    [Theory]
    [InlineData("10")]      // a duration must say its unit
    [InlineData("10 parsecs")]
    [InlineData("0.5ns")]
    [InlineData("1e400s")]
    public void MalformedDurationsAreRefused(string text) => Assert.False(Units.TryParseDuration(text, out _));

    [Theory]
    [InlineData("30%", 0.3)]
    [InlineData("0.25", 0.25)]
    [InlineData("100 %", 1.0)]
    public void FractionsParseFromDecimalsAndPercentages(string text, double f)
    {
        Assert.True(Units.TryParseFraction(text, out var v));
        Assert.Equal(f, v, 12);
    }

    [Theory]
    [InlineData("500MB/s", 500_000_000L)]
    [InlineData("120MiB/s", 125829120L)]
    [InlineData("0", 0L)]
    public void BandwidthsParseToBytesPerSecond(string text, long bps)
    {
        Assert.True(Units.TryParseBandwidth(text, out var v));
        Assert.Equal(bps, v);
    }

    [Theory]
    [InlineData(65536L, "64KiB")]
    [InlineData(8589934592L, "8GiB")]
    [InlineData(1000L, "1000B")]
    public void FormattedSizesParseBackToTheSameBytes(long bytes, string text)
    {
        Assert.Equal(text, Units.FormatSize(bytes));
        Assert.True(Units.TryParseSize(text, out var back));
        Assert.Equal(bytes, back);
    }

    [Theory]
    [InlineData(17179869184L, "16GiB")]
    [InlineData(67117760512L, "62.51GiB (65544688KiB)")] // 65544688 KiB / 1048576 = 62.508 GiB
    [InlineData(1000L, "1000B")]
    [InlineData(3000000000L, "2.79GiB (3000000000B)")] // 3 GB = 2.794 GiB, not a whole number of KiB
    public void ReadableSizesKeepTheExactValueWhenTheyRound(long bytes, string text) => Assert.Equal(text, Units.FormatSizeReadable(bytes));
}
