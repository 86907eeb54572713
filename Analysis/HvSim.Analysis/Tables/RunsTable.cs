using CsvHelper;

namespace HvSim.Analysis.Tables;

/// <summary>
/// runs.csv of a batch folder: one row per run with its swept parameters as columns. Its columns are not fixed (they
/// are the sweep's parameter paths), so it is read by header name rather than as a record type.
/// </summary>
public sealed class RunsTable
{
    /// <summary>Columns that identify or describe a run rather than a swept parameter.</summary>
    private static readonly HashSet<string> BookkeepingColumns = new(StringComparer.OrdinalIgnoreCase)
    {
        "run_id", "scenario", "platform", "replication", "seed", "status", "error", "dir", "folder", "path",
        "wall_s", "wall_time_s", "point", "point_index", "started", "finished",
        // The point's name from `labels:`: it names a point, it is not a value the runs were swept over.
        Batch.BatchAggregator.LabelColumn,
        // Settings `hvsim batch` lists for every run; they vary only as a consequence of the swept parameters.
        "host_memory_bytes", "host_page_size_bytes", "swap_device", "aging", "guests", "guest_memory_bytes", "total_guest_memory_bytes", "duration_s",
    };

    private readonly Dictionary<string, SweepPoint> _points;

    /// <summary>Swept parameter columns in file order (only those that take more than one value).</summary>
    public IReadOnlyList<string> Parameters { get; }

    private RunsTable(IReadOnlyList<string> parameters, Dictionary<string, SweepPoint> points)
    {
        Parameters = parameters;
        _points = points;
    }

    /// <summary>The sweep point of run <paramref name="runId"/>; the empty point when the run is not listed.</summary>
    public SweepPoint PointOf(string runId) => _points.GetValueOrDefault(runId, SweepPoint.None);

    public static RunsTable Read(string path)
    {
        using var reader = CsvReader.FromFile(path);
        var headers = SweepColumnNames(reader.Headers.ToArray());
        int runIdIndex = Array.FindIndex(headers, h => h.Equals("run_id", StringComparison.OrdinalIgnoreCase));
        if (runIdIndex < 0) throw new ResultsFolderException($"{path}:1: no run_id column (header is {string.Join(',', headers)})");
        var rows = new List<(string RunId, string[] Values)>();
        while (reader.Read())
        {
            var values = new string[headers.Length];
            for (int i = 0; i < headers.Length; i++) values[i] = i < reader.FieldCount ? reader.GetString(i) : "";
            rows.Add((values[runIdIndex], values));
        }
        return Build(headers, rows);
    }

    /// <summary>
    /// The sweep of a single `hvsim run` of a swept scenario, from manifest.json's `runs` (its tables have no run_id
    /// column); null when the manifest lists no runs.
    /// </summary>
    public static RunsTable? FromManifest(IReadOnlyList<ManifestRun> runs)
    {
        if (runs.Count == 0) return null;
        var headers = runs.SelectMany(r => r.Parameters.Select(p => p.Key)).Distinct().Prepend(Batch.BatchAggregator.LabelColumn).Prepend("run_id").ToArray();
        var rows = runs.Select(r => (r.RunId, headers.Select((h, i) => i switch
        {
            0 => r.RunId,
            1 => r.Label,
            _ => r.Parameters.FirstOrDefault(p => p.Key == h).Value ?? "",
        }).ToArray())).ToList();
        return Build(headers, rows);
    }

    private static RunsTable Build(string[] headers, List<(string RunId, string[] Values)> rows)
    {
        var parameterIndexes = Enumerable.Range(0, headers.Length)
            .Where(i => !BookkeepingColumns.Contains(headers[i]) && rows.Select(r => r.Values[i]).Distinct().Count() > 1)
            .ToArray();
        var parameters = parameterIndexes.Select(i => headers[i]).ToArray();
        // Folders written before labels, and sweeps without them, have no label column: their points are named by their values.
        int labelIndex = Array.IndexOf(headers, Batch.BatchAggregator.LabelColumn);
        int pointIndex = Array.IndexOf(headers, "point");
        var points = new Dictionary<string, SweepPoint>();
        foreach (var (runId, values) in rows)
            points[runId] = new SweepPoint(parameterIndexes.Select(i => values[i]).ToArray(), parameters, labelIndex < 0 ? "" : values[labelIndex],
                pointIndex >= 0 && int.TryParse(values[pointIndex], System.Globalization.CultureInfo.InvariantCulture, out int index) ? index : -1);
        return new RunsTable(parameters, points);
    }

    /// <summary>
    /// The header with a repeated name read as its sweep column: folders written before swept top-level keys got the
    /// `sweep.` prefix list such a key (aging) twice, the fixed setting first, and dropping the second would pool the
    /// points that differ only in it.
    /// </summary>
    private static string[] SweepColumnNames(string[] headers) =>
        headers.Select((h, i) => Array.FindIndex(headers, 0, i, o => o.Equals(h, StringComparison.OrdinalIgnoreCase)) >= 0
            ? Batch.BatchAggregator.SweepColumnPrefix + h : h).ToArray();
}
