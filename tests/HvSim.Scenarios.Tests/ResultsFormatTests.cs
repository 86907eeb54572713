using System.Text.RegularExpressions;
using HvSim.Model.Config;
using HvSim.Model.Results;
using HvSim.Analysis.Results;

namespace HvSim.Scenarios.Tests;

/// <summary>The headers we write are exactly those docs/results-format.md documents.</summary>
public class ResultsFormatTests
{
    private static string Doc() => File.ReadAllText(Repo.Path("docs", "results-format.md"));

    private static string DocumentedHeader(string file)
    {
        var m = Regex.Match(Doc(), $@"### {Regex.Escape(file)}\n`([^`]+)`");
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
    public void ColumnReferenceIsTheOneTheDeclarationsGenerate()
    {
        var doc = Doc();
        int begin = doc.IndexOf(ResultColumns.Begin, StringComparison.Ordinal), end = doc.IndexOf(ResultColumns.End, begin, StringComparison.Ordinal);
        Assert.True(begin >= 0 && end > begin, "docs/results-format.md has no generated column reference");
        Assert.Equal(ResultColumns.Markdown(), doc[begin..(end + ResultColumns.End.Length + 1)]);
    }

    // The declarations are read by reflection; the writer by CsvHelper's source generator: both must name the same columns.
    [Fact]
    public void SummaryCsvWritesTheDocumentedColumns() => Assert.Equal(DocumentedHeader("summary.csv"), WrittenHeader<SummaryRow>());

    [Fact]
    public void HostCsvWritesTheDocumentedColumns() => Assert.Equal(DocumentedHeader("host.csv"), WrittenHeader<HostRow>());

    [Fact]
    public void TimeseriesCsvWritesTheDocumentedColumns() => Assert.Equal(DocumentedHeader("timeseries.csv"), WrittenHeader<TimeseriesRow>());

    [Fact]
    public void FaultLatencyCsvWritesTheDocumentedColumns() => Assert.Equal(DocumentedHeader("fault_latency.csv"), WrittenHeader<FaultLatencyRow>());

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
        var row = new SummaryRow { Scenario = "a,b \"q\"", Platform = "power7", Replication = 2, Seed = ulong.MaxValue, Guest = "g", Admitted = true, FaultLatencyP99Us = 0.1 + 0.2, StallFractionCell = 1.0 / 3 };
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

/// <summary>What RunRows puts in the new model columns, checked against hand-built results.</summary>
public class RunRowsTests
{
    private static RunResult Result()
    {
        var ran = new GuestResult
        {
            Guest = "a", Admitted = true, HRemoveCalls = 3, ProtectionFaults = 4, Exits = 5, VcoreExits = 6,
            FaultsInFlightAtEnd = 2, OldestFaultInFlightNs = 7_500, StalledNs = 250_000_000, VcpuNs = 1_000_000_000,
            SiblingWaitNs = 125_000_000,
        };
        var refused = new GuestResult { Guest = "b", Admitted = false, RefusalReason = "does not fit" };
        var host = new HostResult
        {
            MeasuredNs = 2_000_000_000, SwapReads = 10, SwapWrites = 20, SwapReadRequests = 3, SwapWriteRequests = 4,
            PagesFreed = 5, SwapBusyNs = 500_000_000,
        };
        host.SwapReadWait.Add(4_000); // one value: every quantile is that value's bucket
        return new RunResult
        {
            Config = new SimulationConfig { Host = new HostConfig(), Guests = [] }, Guests = [ran, refused], Host = host,
            HostSeries = [new HostSample(1_000_000_000, 1, 2, 3, SwapQueuedReads: 7, SwapQueuedWrites: 8, WritebackBytes: 9)],
            GuestSeries = [new GuestSample(1_000_000_000, 0, 1, 0, 0, 0, 0, 0, 0)],
        };
    }

    [Fact]
    public void NewGuestAndHostColumnsCarryTheModelsValues()
    {
        var rows = RunRows.From(new RunKey("s", Platform.Power7, 0, 1), Result());
        var a = rows.Summary[0];
        Assert.Equal((3L, 4L, 5L, 6L, 2L, 7.5), (a.HRemoveCalls, a.ProtectionFaults, a.Exits, a.VcoreExits, a.FaultsInFlightAtEnd, a.OldestFaultInFlightUs));
        Assert.Equal(0.25, a.StallFractionCell);
        Assert.Equal(0.125, a.SiblingWaitS);
        var h = rows.Host[0];
        Assert.Equal((2.0, 10L, 20L, 3L, 4L, 5L, 0.25), (h.MeasuredS, h.SwapReads, h.SwapWrites, h.SwapReadRequests, h.SwapWriteRequests, h.PagesFreed, h.SwapBusyFraction));
        Assert.InRange(h.SwapReadWaitP50Us!.Value, 4.0 * 15 / 16, 4.0 * 17 / 16); // LogHistogram: 16 buckets per power of two
        Assert.Null(h.SwapWriteWaitP50Us); // no write waited: empty, not 0
        Assert.Null(h.SwapWriteWaitP99Us);
        var hostRow = rows.Timeseries.Single(r => r.Guest == "host");
        Assert.Equal((7, 8, 9L), (hostRow.SwapQueuedReads, hostRow.SwapQueuedWrites, hostRow.WritebackBytes));
        var guestRow = rows.Timeseries.Single(r => r.Guest == "a");
        Assert.Null(guestRow.SwapQueuedReads);
        Assert.Null(guestRow.WritebackBytes);
    }

    [Fact]
    public void RefusedGuestHasEmptyStallAndLatencyCells()
    {
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, "summary.csv");
        ResultsTables.WriteCsv(path, RunRows.From(new RunKey("s", Platform.Ppc970, 0, 1), Result()).Summary);
        var lines = File.ReadAllLines(path);
        var header = lines[0].Split(',');
        var refused = lines[2].Split(',');
        foreach (var column in new[] { "stalled_s", "vcpu_s", "stall_fraction", "fault_latency_mean_us", "fault_latency_p99_us" })
            Assert.Equal("", refused[Array.IndexOf(header, column)]);
        Assert.Equal("0.25", lines[1].Split(',')[Array.IndexOf(header, "stall_fraction")]);
    }
}
