using System.CommandLine;
using System.Globalization;
using HvSim.Cli.Bench;
using HvSim.Model.Bench;

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

    private static void WriteCsv(IReadOnlyList<ModelBenchRow> rows) => BenchOutput.WriteCsv(
        ["workload", "operations", "seconds", "ops_per_second", "bytes_per_guest_page"],
        rows.Select(r => new[] { r.Workload, BenchOutput.Count(r.Operations), BenchOutput.Num(r.Seconds, "0.000"),
            BenchOutput.Num(r.OpsPerSecond, "0"), BenchOutput.Num(r.BytesPerGuestPage, "0.##") }));

    private static void WriteTable(IReadOnlyList<ModelBenchRow> rows, bool quick) => BenchOutput.WriteTable(
        quick ? "hvsim bench model --quick" : "hvsim bench model",
        ["workload", "operations", "seconds", "M ops/s", "B/guest page", "HPT B/guest page"],
        rows.Select(r => new[] { r.Workload, r.Operations.ToString("N0", CultureInfo.InvariantCulture),
            BenchOutput.Num(r.Seconds, "0.000"), BenchOutput.Num(r.OpsPerSecond / 1e6, "0.00"),
            BenchOutput.Num(r.BytesPerGuestPage, "0.##"), BenchOutput.Num(r.HptBytesPerGuestPage, "0.#") }));
}
