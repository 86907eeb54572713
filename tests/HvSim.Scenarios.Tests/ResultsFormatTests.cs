using System.Text.RegularExpressions;
using HvSim.Analysis.Results;

namespace HvSim.Scenarios.Tests;

/// <summary>The headers we write are exactly those docs/results-format.md documents.</summary>
public class ResultsFormatTests
{
    private static string DocumentedHeader(string file)
    {
        var doc = File.ReadAllText(Repo.Path("docs", "results-format.md"));
        var m = Regex.Match(doc, $@"## {Regex.Escape(file)}[^\n]*\n`([^`]+)`");
        Assert.True(m.Success, $"docs/results-format.md documents no header for {file}");
        return m.Groups[1].Value;
    }

    private static string WrittenHeader<T>()
    {
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, "t.csv");
        ResultsTables.WriteCsv(path, Array.Empty<T>());
        return File.ReadAllText(path).TrimEnd('\n');
    }

    [Fact]
    public void Summary() => Assert.Equal(DocumentedHeader("summary.csv"), WrittenHeader<SummaryRow>());

    [Fact]
    public void Host() => Assert.Equal(DocumentedHeader("host.csv"), WrittenHeader<HostRow>());

    [Fact]
    public void Timeseries() => Assert.Equal(DocumentedHeader("timeseries.csv"), WrittenHeader<TimeseriesRow>());

    [Fact]
    public void FaultLatency() => Assert.Equal(DocumentedHeader("fault_latency.csv"), WrittenHeader<FaultLatencyRow>());

    [Fact]
    public void BatchTablesPutRunIdInFront()
    {
        Assert.Equal("run_id," + DocumentedHeader("summary.csv"), WrittenHeader<BatchSummaryRow>());
        Assert.Equal("run_id," + DocumentedHeader("host.csv"), WrittenHeader<BatchHostRow>());
        Assert.Equal("run_id," + DocumentedHeader("timeseries.csv"), WrittenHeader<BatchTimeseriesRow>());
        Assert.Equal("run_id," + DocumentedHeader("fault_latency.csv"), WrittenHeader<BatchFaultLatencyRow>());
    }

    [Fact]
    public void RowsRoundTripThroughTheReader()
    {
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, "s.csv");
        var row = new SummaryRow { Scenario = "a,b \"q\"", Platform = "power7", Replication = 2, Seed = ulong.MaxValue, Guest = "g", Admitted = true, FaultLatencyP99Us = 0.1 + 0.2, StallFraction = 1.0 / 3 };
        ResultsTables.WriteCsv(path, [row, new SummaryRow { Guest = "h", RefusalReason = "too big" }]);
        var back = ResultsTables.ReadCsv<SummaryRow>(path);
        Assert.Equal(2, back.Count);
        Assert.Equal(row.Scenario, back[0].Scenario);
        Assert.Equal(ulong.MaxValue, back[0].Seed);
        Assert.Equal(0.1 + 0.2, back[0].FaultLatencyP99Us);
        Assert.Equal(1.0 / 3, back[0].StallFraction);
        Assert.Null(back[1].FaultLatencyP99Us);
        Assert.Equal("too big", back[1].RefusalReason);
    }
}
