using CsvHelper;

namespace HvSim.Analysis.Results;

/// <summary>Writes and reads the results tables of docs/results-format.md (one file per table, written atomically).</summary>
public static class ResultsTables
{
    public const string Summary = "summary.csv";
    public const string Host = "host.csv";
    public const string Timeseries = "timeseries.csv";
    public const string FaultLatency = "fault_latency.csv";
    public const string Manifest = "manifest.json";

    public static CsvWriterOptions Options { get; } = CsvWriterOptions.Default with { NewLine = "\n", TrueValue = "true", FalseValue = "false" };

    /// <summary>The tables of one or more runs into <paramref name="dir"/> (only those named in <paramref name="outputs"/>).</summary>
    public static void Write(string dir, IReadOnlyList<RunRows> runs, IReadOnlyCollection<string> outputs)
    {
        if (outputs.Contains("summary")) WriteCsv(Path.Combine(dir, Summary), runs.SelectMany(r => r.Summary));
        if (outputs.Contains("host")) WriteCsv(Path.Combine(dir, Host), runs.SelectMany(r => r.Host));
        if (outputs.Contains("timeseries")) WriteCsv(Path.Combine(dir, Timeseries), runs.SelectMany(r => r.Timeseries));
        if (outputs.Contains("fault_latency")) WriteCsv(Path.Combine(dir, FaultLatency), runs.SelectMany(r => r.FaultLatency));
    }

    /// <summary>
    /// The tables of several runs that the run key alone does not tell apart (a sweep's points share scenario, platform
    /// and replication): the batch row types, `run_id` in front.
    /// </summary>
    public static void WriteWithRunIds(string dir, IReadOnlyList<(string RunId, RunRows Rows)> runs, IReadOnlyCollection<string> outputs)
    {
        if (outputs.Contains("summary"))
            WriteCsv(Path.Combine(dir, Summary), runs.SelectMany(r => r.Rows.Summary.Select(row => new BatchSummaryRow { RunId = r.RunId, Row = row })));
        if (outputs.Contains("host"))
            WriteCsv(Path.Combine(dir, Host), runs.SelectMany(r => r.Rows.Host.Select(row => new BatchHostRow { RunId = r.RunId, Row = row })));
        if (outputs.Contains("timeseries"))
            WriteCsv(Path.Combine(dir, Timeseries), runs.SelectMany(r => r.Rows.Timeseries.Select(row => new BatchTimeseriesRow { RunId = r.RunId, Row = row })));
        if (outputs.Contains("fault_latency"))
            WriteCsv(Path.Combine(dir, FaultLatency), runs.SelectMany(r => r.Rows.FaultLatency.Select(row => new BatchFaultLatencyRow { RunId = r.RunId, Row = row })));
    }

    public static void WriteCsv<T>(string path, IEnumerable<T> rows) => AtomicFile.Write(path, stream =>
    {
        using var csv = CsvWriter.Create(stream, Options, leaveOpen: true);
        csv.WriteHeader<T>();
        foreach (var row in rows) csv.WriteRecord(row);
        csv.Flush();
    });

    /// <summary>A table as free-form columns (runs.csv, whose parameter columns depend on the sweep).</summary>
    public static void WriteCsv(string path, IReadOnlyList<string> header, IEnumerable<string?[]> rows) => AtomicFile.Write(path, stream =>
    {
        using var csv = CsvWriter.Create(stream, Options, leaveOpen: true);
        csv.WriteHeader(header.ToArray());
        foreach (var row in rows) csv.WriteRecord(row!);
        csv.Flush();
    });

    public static List<T> ReadCsv<T>(string path)
    {
        using var stream = File.OpenRead(path);
        using var csv = CsvReader.Create(stream, null, leaveOpen: false);
        return csv.GetRecords<T>().ToList();
    }
}
