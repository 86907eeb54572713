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
        var csv = new Option<bool>("--csv") { Description = $"Print CSV ({string.Join(",", CsvHeader)}) instead of a table" };
        var only = new Option<string[]>("--workload")
        {
            Description = $"Run only these workloads ({string.Join(", ", ModelBenchmarks.Names)}; several as --workload hits --workload boot)",
            AllowMultipleArgumentsPerToken = true,
        };
        only.AcceptOnlyFromAmong([.. ModelBenchmarks.Names]);
        var command = new Command("model", "Memory-model throughput: HPTE hits, HDSI refaults, the quickstart on both platforms, a 64 GiB paging host, 1 TiB of guests") { quick, csv, only };
        command.SetAction(parse => Run(parse.GetValue(quick), parse.GetValue(csv), parse.GetValue(only)));
        return command;
    }

    private static int Run(bool quick, bool csv, string[]? only)
    {
        var names = only is { Length: > 0 } ? only : ModelBenchmarks.Names;
        var rows = names.Select(n =>
        {
            PeakRss.Reset();
            var row = ModelBenchmarks.Run(n, quick);
            return (Row: row, PeakRss: PeakRss.Read());
        }).ToList();
        if (csv) WriteCsv(rows);
        else WriteTable(rows, quick);
        return ExitCodes.Ok;
    }

    /// <summary>The CSV's columns, which --help lists too.</summary>
    private static readonly string[] CsvHeader =
        ["workload", "operations", "seconds", "cpu_seconds", "ops_per_second", "bytes_per_guest_page", "wall_per_simulated_second", "scanned_per_freed", "peak_rss_bytes"];

    private static void WriteCsv(IReadOnlyList<(ModelBenchRow Row, long PeakRss)> rows) => BenchOutput.WriteCsv(
        CsvHeader,
        rows.Select(x => x.Row is var r ? new[] { r.Workload, BenchOutput.Count(r.Operations), BenchOutput.Num(r.Seconds, "0.000"),
            BenchOutput.Num(r.CpuSeconds, "0.000"), BenchOutput.Num(r.OpsPerSecond, "0"), BenchOutput.Num(r.BytesPerGuestPage, "0.##"), Optional(r.WallPerSimulatedSecond, "0.000"),
            Optional(r.ScannedPerFreed, "0.00"), x.PeakRss < 0 ? "" : BenchOutput.Count(x.PeakRss) } : []));

    /// <summary>A measure only some workloads have: empty when it does not apply.</summary>
    private static string Optional(double v, string format) => double.IsNaN(v) ? "" : BenchOutput.Num(v, format);

    private static void WriteTable(IReadOnlyList<(ModelBenchRow Row, long PeakRss)> rows, bool quick)
    {
        BenchOutput.WriteTable(
            quick ? "hvsim bench model --quick" : "hvsim bench model",
            ["workload", "operations", "seconds", "CPU s", "M ops/s", "B/guest page", "HPT B/guest page", "wall s/sim s", "scanned/freed", "peak RSS MB"],
            rows.Select(x => x.Row is var r ? new[] { r.Workload, r.Operations.ToString("N0", CultureInfo.InvariantCulture),
                BenchOutput.Num(r.Seconds, "0.000"), BenchOutput.Num(r.CpuSeconds, "0.000"), BenchOutput.Num(r.OpsPerSecond / 1e6, "0.00"),
                BenchOutput.Num(r.BytesPerGuestPage, "0.##"), BenchOutput.Num(r.HptBytesPerGuestPage, "0.#"),
                Optional(r.WallPerSimulatedSecond, "0.000"), Optional(r.ScannedPerFreed, "0.00"),
                x.PeakRss < 0 ? "n/a" : BenchOutput.Num(x.PeakRss / 1048576.0, "0") } : []));
        foreach (var (r, _) in rows)
            Console.WriteLine($"{r.Workload}: per guest page " + string.Join(" + ",
                r.BytesPerGuestPageByPart.Select(p => $"{BenchOutput.Num(p.Bytes, "0.##")} B {p.Part}")));
    }
}
