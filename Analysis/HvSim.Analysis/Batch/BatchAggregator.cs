using System.Globalization;
using System.Text.Json.Nodes;
using HvSim.Analysis.Results;

namespace HvSim.Analysis.Batch;

/// <summary>
/// Assembles the batch tables from the committed run folders, in plan order: runs.csv (one row per run, sweep
/// parameters as columns) and the per-guest, host, time-series and latency tables with `run_id` in front.
/// </summary>
public static class BatchAggregator
{
    public static void Write(BatchFolder folder, BatchPlan plan)
    {
        WriteRunsTable(Path.Combine(folder.Root, BatchFolder.RunsTable), plan);

        WriteJoined<SummaryRow, BatchSummaryRow>(folder, plan, ResultsTables.Summary, (id, row) => new BatchSummaryRow { RunId = id, Row = row });
        WriteJoined<HostRow, BatchHostRow>(folder, plan, ResultsTables.Host, (id, row) => new BatchHostRow { RunId = id, Row = row });
        WriteJoined<TimeseriesRow, BatchTimeseriesRow>(folder, plan, ResultsTables.Timeseries, (id, row) => new BatchTimeseriesRow { RunId = id, Row = row });
        WriteJoined<FaultLatencyRow, BatchFaultLatencyRow>(folder, plan, ResultsTables.FaultLatency, (id, row) => new BatchFaultLatencyRow { RunId = id, Row = row });

        ResultsTables.WriteCsv(Path.Combine(folder.Root, BatchFolder.TimingTable), ["run_id", "wall_s"], plan.Runs.Select(r =>
        {
            var timing = Path.Combine(folder.RunDir(r.RunId), BatchFolder.TimingFile);
            var wall = File.Exists(timing) ? JsonNode.Parse(File.ReadAllText(timing))?["wall_s"]?.ToJsonString() : null;
            return new[] { r.RunId, wall };
        }));
    }

    /// <summary>
    /// runs.csv: one row per run with its settings and swept values (also written by a swept `hvsim run`), and its
    /// point's label after `point` when some point has one (a folder without labels has no such column).
    /// </summary>
    public static void WriteRunsTable(string path, BatchPlan plan)
    {
        var paramColumns = plan.ParameterColumns;
        bool labelled = plan.Runs.Any(r => r.Label.Length > 0);
        string[] fixedColumns = labelled ? [.. FixedColumns.Take(PointColumn + 1), LabelColumn, .. FixedColumns.Skip(PointColumn + 1)] : FixedColumns;
        // A swept top-level key (aging) would repeat a fixed column's name; its sweep column is `sweep.<path>` instead.
        var header = fixedColumns.Concat(paramColumns.Select(p => FixedColumns.Contains(p) ? SweepColumnPrefix + p : p)).ToArray();
        ResultsTables.WriteCsv(path, header, plan.Runs.Select(r => RunsRow(r, paramColumns, labelled)));
    }

    public const string SweepColumnPrefix = "sweep.";

    /// <summary>runs.csv's column of the point's name from the sweep's `labels:`: a name, not a swept parameter.</summary>
    public const string LabelColumn = "label";

    private static readonly string[] FixedColumns =
    [
        "run_id", "scenario", "point", "platform", "replication", "seed", "host_memory_bytes", "host_page_size_bytes", "swap_device",
        "aging", "guests", "total_guest_memory_bytes", "duration_s",
    ];

    private static readonly int PointColumn = Array.IndexOf(FixedColumns, "point");

    private static void WriteJoined<TRow, TBatch>(BatchFolder folder, BatchPlan plan, string file, Func<string, TRow, TBatch> join) =>
        ResultsTables.WriteCsv(Path.Combine(folder.Root, file), plan.Runs.SelectMany(r =>
        {
            var path = Path.Combine(folder.RunDir(r.RunId), file);
            return File.Exists(path) ? ResultsTables.ReadCsv<TRow>(path).Select(row => join(r.RunId, row)) : [];
        }));

    private static string?[] RunsRow(BatchPlanEntry r, IReadOnlyList<string> paramColumns, bool labelled)
    {
        var c = r.Config;
        var guests = c["guests"]!.AsArray();
        long totalGuestMemory = guests.Sum(g => g!["memory_bytes"]!.GetValue<long>());
        var values = new List<string?>
        {
            r.RunId, r.Scenario, r.Point.ToString(CultureInfo.InvariantCulture), r.Platform, r.Replication.ToString(CultureInfo.InvariantCulture),
            r.Seed.ToString(CultureInfo.InvariantCulture),
            c["host"]!["memory_bytes"]!.ToJsonString(), c["host"]!["page_size_bytes"]!.ToJsonString(), c["host"]!["swap"]!["kind"]!.GetValue<string>(),
            c["aging"]!.GetValue<string>(), guests.Count.ToString(CultureInfo.InvariantCulture), totalGuestMemory.ToString(CultureInfo.InvariantCulture),
            (c["duration_ns"]!.GetValue<long>() / 1e9).ToString("R", CultureInfo.InvariantCulture),
        };
        if (labelled) values.Insert(PointColumn + 1, r.Label);
        foreach (var p in paramColumns)
            values.Add(r.Parameters.FirstOrDefault(kv => kv.Key == p).Value);
        return values.ToArray();
    }
}
