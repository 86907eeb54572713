using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using HvSim.Analysis.Batch;
using HvSim.Cli.Bench;
using HvSim.Model;
using HvSim.Model.Bench;
using HvSim.Model.Config;

namespace HvSim.Cli.Commands;

/// <summary>
/// `hvsim bench batch`: how `batch --jobs N` scales. The same runs (the POWER7 quickstart configuration, one seed each)
/// go through the batch's own parallel loop (<see cref="RunSchedule.Run"/>) with 1 worker and with N, in this process
/// and so with its GC settings. A warm-up pass of every run comes first, so that neither measurement pays for JIT
/// tier-up; each measurement starts from a full collection (so each builds its Zipf tables, alike); then <c>--repeat</c> repetitions time both counts, alternating which goes first
/// (<see cref="PairedTimings"/>). The speed-up is the ratio of the median wall times, printed with their spread. The
/// load average is printed beside it: on a shared machine the other work takes cores, and the speed-up says nothing.
/// </summary>
internal static class BenchBatchCommand
{
    public static Command Create()
    {
        var runs = new Option<int>("--runs") { Description = "Runs per measurement (default 8)", DefaultValueFactory = _ => 8 };
        var seconds = new Option<int>("--seconds") { Description = "Simulated seconds per run (default 10)", DefaultValueFactory = _ => 10 };
        var repeat = new Option<int>("--repeat") { Description = "Timings of each worker count, alternating which goes first; the median is reported (default 3)", DefaultValueFactory = _ => 3 };
        var jobs = CliOptions.Jobs("Runs");
        var command = new Command("batch", "Batch scaling: the same runs with 1 worker and with --jobs workers (default: the number of cores), after a warm-up pass, repeated")
        {
            runs, seconds, repeat, jobs,
        };
        command.SetAction(parse => Run(Math.Max(1, parse.GetValue(runs)), Math.Max(1, parse.GetValue(seconds)), Math.Max(1, parse.GetValue(repeat)),
            parse.JobsOrCores(jobs)));
        return command;
    }

    private static int Run(int runs, int seconds, int repetitions, int jobs)
    {
        var configs = Enumerable.Range(0, runs)
            .Select(i => ModelBenchmarks.QuickstartConfig(Platform.Power7, seconds * 1_000_000_000L) with { WarmupNs = 0, Seed = 1000UL + (ulong)i })
            .ToList();
        double Measure(int workers)
        {
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            var clock = Stopwatch.StartNew();
            RunSchedule.Run(Enumerable.Range(0, runs), workers, i => SimulationRunner.Run(configs[i]));
            return clock.Elapsed.TotalSeconds;
        }
        double warmup = Measure(jobs);
        var times = new Dictionary<int, List<double>> { [1] = [], [jobs] = [] };
        foreach (int workers in PairedTimings.Order(repetitions, jobs)) times[workers].Add(Measure(workers));
        double one = PairedTimings.Median(times[1]), many = PairedTimings.Median(times[jobs]);
        string load = File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";
        string[] Row(int workers, double median) =>
        [
            workers.ToString(CultureInfo.InvariantCulture), BenchOutput.Num(median, "0.00"),
            $"{BenchOutput.Num(times[workers].Min(), "0.00")}–{BenchOutput.Num(times[workers].Max(), "0.00")}",
            BenchOutput.Num(runs / median, "0.000"), BenchOutput.Num(one / median, "0.00"),
        ];
        BenchOutput.WriteTable($"hvsim bench batch: {runs} runs of {seconds} s simulated", ["jobs", "median s", "range s", "runs/s", "speed-up"],
            jobs == 1 ? [Row(1, one)] : [Row(1, one), Row(jobs, many)]);
        var paired = times[1].Zip(times[jobs], (a, b) => BenchOutput.Num(a / b, "0.00"));
        Console.WriteLine($"warm-up pass first ({BenchOutput.Num(warmup, "0.00")} s, not counted); then {repetitions} repetition(s) of both, " +
            $"alternating which goes first; speed-up per repetition: {string.Join(", ", paired)}");
        Console.WriteLine($"{Environment.ProcessorCount} cores; {(GCSettings.IsServerGC ? "server" : "workstation")} GC, {GCSettings.LatencyMode}; load average {load}");
        return ExitCodes.Ok;
    }
}
