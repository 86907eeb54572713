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
        AnsiConsole.Write(table);
    }
}
