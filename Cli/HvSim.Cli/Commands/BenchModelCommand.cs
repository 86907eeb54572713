using System.CommandLine;
using System.Globalization;
using CsvHelper;
using HvSim.Model.Bench;
using Spectre.Console;

namespace HvSim.Cli.Commands;

/// <summary>`hvsim bench model [--quick] [--csv]`: memory-model throughput (issue 3's hits, refaults, and the quickstart).</summary>
internal static class BenchModelCommand
{
    public static Command Create()
    {
        var quick = new Option<bool>("--quick") { Description = "Run every workload ten times shorter" };
        var csv = new Option<bool>("--csv") { Description = "Print CSV (workload,operations,seconds,ops_per_second,bytes_per_guest_page) instead of a table" };
        var only = new Option<string[]>("--workload")
        {
            Description = $"Run only these workloads ({string.Join(", ", ModelBenchmarks.Names)})",
            AllowMultipleArgumentsPerToken = true,
        };
        only.AcceptOnlyFromAmong([.. ModelBenchmarks.Names]);
        var command = new Command("model", "Memory-model throughput: HPTE hits, HDSI refaults, the quickstart scenario on both platforms") { quick, csv, only };
        command.SetAction(parse => Run(parse.GetValue(quick), parse.GetValue(csv), parse.GetValue(only)));
        return command;
    }

    private static int Run(bool quick, bool csv, string[]? only)
    {
        var names = only is { Length: > 0 } ? only : ModelBenchmarks.Names;
        var rows = names.Select(n => ModelBenchmarks.Run(n, quick)).ToList();
        if (csv) WriteCsv(rows);
        else WriteTable(rows, quick);
        return ExitCodes.Ok;
    }

    private static string Num(double v, string format) => v.ToString(format, CultureInfo.InvariantCulture);

    private static void WriteCsv(IReadOnlyList<ModelBenchRow> rows)
    {
        using var writer = CsvWriter.Create(Console.Out, null!, leaveOpen: true);
        writer.WriteRecord(["workload", "operations", "seconds", "ops_per_second", "bytes_per_guest_page"]);
        foreach (var r in rows)
            writer.WriteRecord([r.Workload, r.Operations.ToString(CultureInfo.InvariantCulture), Num(r.Seconds, "0.000"),
                Num(r.OpsPerSecond, "0"), Num(r.BytesPerGuestPage, "0.##")]);
        writer.Flush();
    }

    private static void WriteTable(IReadOnlyList<ModelBenchRow> rows, bool quick)
    {
        var table = new Table().Title(quick ? "hvsim bench model --quick" : "hvsim bench model");
        table.AddColumn("workload");
        table.AddColumn(new TableColumn("operations").RightAligned());
        table.AddColumn(new TableColumn("seconds").RightAligned());
        table.AddColumn(new TableColumn("M ops/s").RightAligned());
        table.AddColumn(new TableColumn("B/guest page").RightAligned());
        table.AddColumn(new TableColumn("HPT B/guest page").RightAligned());
        foreach (var r in rows)
            table.AddRow(r.Workload, r.Operations.ToString("N0", CultureInfo.InvariantCulture), Num(r.Seconds, "0.000"),
                Num(r.OpsPerSecond / 1e6, "0.00"), Num(r.BytesPerGuestPage, "0.##"), Num(r.HptBytesPerGuestPage, "0.#"));
        AnsiConsole.Write(table);
    }
}
