using System.CommandLine;
using System.Globalization;
using HvSim.Cli.Bench;

namespace HvSim.Cli.Commands;

/// <summary>`hvsim bench engine [--quick] [--csv]`: event-kernel throughput on the workloads of issue 2.</summary>
internal static class BenchEngineCommand
{
    public static Command Create()
    {
        var quick = new Option<bool>("--quick") { Description = "Divide every workload's count by 10" };
        var csv = new Option<bool>("--csv") { Description = "Print CSV (workload,operations,seconds,ops_per_second,bytes_allocated_per_op) instead of a table" };
        var command = new Command("engine", "Event-kernel throughput: procs, seq, bulk and mm1 workloads") { quick, csv };
        command.SetAction(parse =>
        {
            try
            {
                return Run(parse.GetValue(quick), parse.GetValue(csv));
            }
            catch (Exception e) when (e is not UserInputException)
            {
                Console.Error.WriteLine($"hvsim bench engine: run failed: {e.Message}");
                return ExitCodes.RunFailed;
            }
        });
        return command;
    }

    private const int WarmUpRounds = 3;

    private static int Run(bool quick, bool csv)
    {
        int divisor = quick ? 10 : 1;
        // Warm up at a tenth of the timed size, so the timed runs measure the kernel rather than the compiler.
        // One round is not enough: the tiered JIT counts calls only once 100 ms have passed without new
        // compilations, so the first round runs unoptimised code and is not even counted; the rounds after it
        // get the hot methods counted and recompiled (with their profile) during the pauses. A single round
        // measured procs 20 % below its steady rate.
        for (int round = 0; round < WarmUpRounds; round++)
        {
            foreach (var w in EngineWorkloads.All) w.Run(w.Operations / divisor / 10);
            Thread.Sleep(150);
        }
        // Peak RSS is per process and the GC keeps memory it once needed, so the small-memory workloads are
        // measured before bulk (1 M pending events); rows are still printed in the issue's order.
        var measured = EngineWorkloads.All.OrderBy(w => w.Name == "bulk")
            .ToDictionary(w => w.Name, w => BenchResult.Measure(w.Name, () => w.Run(w.Operations / divisor)));
        var results = EngineWorkloads.All.Select(w => measured[w.Name]).ToList();
        if (csv) WriteCsv(results);
        else WriteTable(results, quick);
        return ExitCodes.Ok;
    }

    private static void WriteCsv(IReadOnlyList<BenchResult> results) => BenchOutput.WriteCsv(
        ["workload", "operations", "seconds", "ops_per_second", "bytes_allocated_per_op"],
        results.Select(r => new[] { r.Workload, BenchOutput.Count(r.Operations), BenchOutput.Num(r.Seconds, "0.000"),
            BenchOutput.Num(r.OpsPerSecond, "0"), BenchOutput.Num(r.BytesPerOp, "0.###") }));

    private static void WriteTable(IReadOnlyList<BenchResult> results, bool quick) => BenchOutput.WriteTable(
        quick ? "hvsim bench engine --quick" : "hvsim bench engine",
        ["workload", "operations", "seconds", "M ops/s", "CPU s", "B/op", "peak RSS MB"],
        results.Select(r => new[] { r.Workload, r.Operations.ToString("N0", CultureInfo.InvariantCulture),
            BenchOutput.Num(r.Seconds, "0.000"), BenchOutput.Num(r.OpsPerSecond / 1e6, "0.00"), BenchOutput.Num(r.CpuSeconds, "0.000"),
            BenchOutput.Num(r.BytesPerOp, "0.###"), r.PeakRssBytes < 0 ? "n/a" : BenchOutput.Num(r.PeakRssBytes / 1048576.0, "0.0") }));
}
