using System.Globalization;
using CsvHelper;

namespace HvSim.Analysis.Tables;

/// <summary>
/// Columns a results table gained after folders were already written (swap-device and post-warm-up counters), read by
/// header name so that older folders, which lack them, still load: one dictionary per data row, in file order, holding
/// only the named columns that are present and non-empty.
/// </summary>
public static class OptionalColumns
{
    public static readonly string[] Summary = ["h_remove_calls", "protection_faults", "exits", "vcore_exits", "faults_in_flight_at_end", "oldest_fault_in_flight_us", "sibling_wait_s"];

    public static readonly string[] Host =
    [
        "measured_s", "swap_reads", "swap_writes", "swap_read_requests", "swap_write_requests", "pages_freed", "pages_deactivated", "write_request_waits", "kswapd_congestion_waits", "swap_token_references", "swap_busy_fraction",
        "swap_read_wait_p50_us", "swap_read_wait_p99_us", "swap_write_wait_p50_us", "swap_write_wait_p99_us",
    ];

    public static readonly string[] Timeseries = ["swap_queued_reads", "swap_queued_writes", "writeback_bytes"];

    private static readonly IReadOnlyDictionary<string, double> None = new Dictionary<string, double>();

    /// <summary>The named columns of every data row of <paramref name="path"/>; empty dictionaries when the file has none of them.</summary>
    public static IReadOnlyList<IReadOnlyDictionary<string, double>> Read(string path, IReadOnlyList<string> names)
    {
        if (!File.Exists(path)) return [];
        using var reader = CsvReader.FromFile(path, CsvReaderOptions.Default with { TrackLineNumbers = true });
        var headers = reader.Headers.ToArray();
        var present = names.Select(n => (Name: n, Index: Array.IndexOf(headers, n))).Where(c => c.Index >= 0).ToArray();
        var rows = new List<IReadOnlyDictionary<string, double>>();
        while (reader.Read())
        {
            if (present.Length == 0) { rows.Add(None); continue; }
            Dictionary<string, double>? values = null;
            foreach (var (name, index) in present)
            {
                if (index >= reader.FieldCount) continue;
                string text = reader.GetString(index);
                if (text.Length == 0) continue;
                if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v))
                    throw new ResultsFolderException($"{path}:{reader.LineNumber}: column '{name}': '{text}' is not a number");
                (values ??= new())[name] = v;
            }
            rows.Add(values ?? None);
        }
        return rows;
    }
}
