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
/// go through the batch's own parallel loop (<see cref="RunSchedule.Run"/>) with 1 worker and then with N, in this
/// process and so with its GC settings; the speed-up is the ratio of the two wall times. The load average is printed
/// beside it: on a shared machine the other work takes cores, and the speed-up says nothing.
/// </summary>
internal static class BenchBatchCommand
{
    public static Command Create()
    {
        var runs = new Option<int>("--runs") { Description = "Runs per measurement (default 8)", DefaultValueFactory = _ => 8 };
        var seconds = new Option<int>("--seconds") { Description = "Simulated seconds per run (default 10)", DefaultValueFactory = _ => 10 };
        var jobs = CliOptions.Jobs("Runs");
        var command = new Command("batch", "Batch scaling: the same runs with 1 worker and with --jobs workers (default: the number of cores)") { runs, seconds, jobs };
        command.SetAction(parse => Run(Math.Max(1, parse.GetValue(runs)), Math.Max(1, parse.GetValue(seconds)), parse.JobsOrCores(jobs)));
        return command;
    }

    private static int Run(int runs, int seconds, int jobs)
    {
        var configs = Enumerable.Range(0, runs)
            .Select(i => ModelBenchmarks.QuickstartConfig(Platform.Power7, seconds * 1_000_000_000L) with { WarmupNs = 0, Seed = 1000UL + (ulong)i })
            .ToList();
        SimulationRunner.Run(configs[0] with { DurationNs = 200_000_000 }); // JIT warm-up
        double Measure(int workers)
        {
            GC.Collect();
            var clock = Stopwatch.StartNew();
            RunSchedule.Run(Enumerable.Range(0, runs), workers, i => SimulationRunner.Run(configs[i]));
            return clock.Elapsed.TotalSeconds;
        }
        double one = Measure(1), many = Measure(jobs);
        string load = File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";
        BenchOutput.WriteTable($"hvsim bench batch: {runs} runs of {seconds} s simulated; {Environment.ProcessorCount} cores; " +
            $"{(GCSettings.IsServerGC ? "server" : "workstation")} GC, {GCSettings.LatencyMode}; load average {load}",
            ["jobs", "seconds", "runs/s", "speed-up"],
            [
                ["1", BenchOutput.Num(one, "0.00"), BenchOutput.Num(runs / one, "0.000"), "1.00"],
                [jobs.ToString(CultureInfo.InvariantCulture), BenchOutput.Num(many, "0.00"), BenchOutput.Num(runs / many, "0.000"), BenchOutput.Num(one / many, "0.00")],
            ]);
        return ExitCodes.Ok;
    }
}
