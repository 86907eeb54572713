using System.Globalization;
using CsvHelper;
using Spectre.Console;

namespace HvSim.Cli.Bench;

/// <summary>How every `hvsim bench` subcommand prints its rows: CSV with a fixed header, or a right-aligned table.</summary>
internal static class BenchOutput
{
    public static string Num(double v, string format) => v.ToString(format, CultureInfo.InvariantCulture);

    public static string Count(long v) => v.ToString(CultureInfo.InvariantCulture);

    public static void WriteCsv(string[] header, IEnumerable<string[]> rows)
    {
        using var writer = CsvWriter.Create(Console.Out, null!, leaveOpen: true);
        writer.WriteRecord(header);
        foreach (var row in rows) writer.WriteRecord(row);
        writer.Flush();
    }

    /// <summary>The first column is the workload name (left-aligned); every other column is a number.</summary>
    public static void WriteTable(string title, string[] columns, IEnumerable<string[]> rows)
    {
        var table = new Table().Title(title);
        table.AddColumn(columns[0]);
        foreach (var c in columns.Skip(1)) table.AddColumn(new TableColumn(c).RightAligned());
        foreach (var row in rows) table.AddRow(row);
        table.Caption(GcSettings());
        AnsiConsole.Write(table);
    }

    /// <summary>
    /// The collector the rows ran under. Its young-generation budget sets both peak RSS and, for allocating workloads,
    /// speed, and by default it follows the L3 size the CPU reports, so a recorded row is read with it.
    /// </summary>
    private static string GcSettings()
    {
        var gc = GC.GetConfigurationVariables();
        string kind = gc.TryGetValue("ServerGC", out var server) && server is true ? "server" : "workstation";
        string gen0 = gc.TryGetValue("GCGen0MaxBudget", out var budget) && budget is long bytes
            ? $"{bytes / 1048576.0:0.#} MiB"
            : "unknown";
        string source = Environment.GetEnvironmentVariable("DOTNET_GCgen0size") is { Length: > 0 } set
            ? $"DOTNET_GCgen0size={set}"
            : "runtime default; ./hvsim sets 16 MiB";
        return $"GC: {kind}, gen0 budget {gen0} ({source})";
    }
}
