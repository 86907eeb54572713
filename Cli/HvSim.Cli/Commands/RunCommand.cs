using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using HvSim.Analysis.Batch;
using HvSim.Cli.Progress;
using HvSim.Analysis.Results;
using HvSim.Model;
using HvSim.Model.Results;
using HvSim.Scenarios;
using HvSim.Scenarios.Language;
using HvSim.Scenarios.Planning;
using Spectre.Console;

namespace HvSim.Cli.Commands;

/// <summary>`hvsim run SCENARIO.yaml`: every platform × replication (× sweep point) of one scenario, a summary table and the results files.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("scenario") { Description = "Scenario YAML file" };
        var outDir = CliOptions.OutFolder("Results folder (default: results/<scenario name>/)");
        var seed = CliOptions.Seed("Master seed, replacing the scenario's `seed:` key");
        var check = new Option<bool>("--check") { Description = "Check the memory-model invariants while running (slow)" };
        var jobs = CliOptions.Jobs("Runs");
        var maxMemory = CliOptions.MaxMemory("Refuse runs estimated to need more memory than this (e.g. 16GiB; default 80% of physical memory)");
        var cmd = new Command("run", "Run a scenario, print a summary table and write summary.csv, host.csv, timeseries.csv, fault_latency.csv, stats.csv, metrics_wide.csv, manifest.json, timing.json, plots (PNG and SVG) and report.html")
        {
            file, outDir, seed, check, jobs, maxMemory,
        };
        cmd.SetAction(parse =>
        {
            var scenario = ScenarioLoader.Load(parse.GetValue(file)!);
            long maxBytes = CliScenarios.MaxMemory(parse.GetValue(maxMemory));
            var runs = RunSchedule.Plan([scenario], parse.GetValue(seed), parse.GetValue(check), maxBytes);
            int workers = RunSchedule.Workers(runs.Select(r => r.Config).ToList(), parse.JobsOrCores(jobs), maxBytes, runs.Count);
            var dir = parse.GetValue(outDir) ?? Path.Combine("results", scenario.Name);
            OutputFolder.Claim(dir, "run");

            var clock = Stopwatch.StartNew();
            var results = new RunResult[runs.Count];
            var failed = LiveRuns.Show($"{scenario.Name}: ", progress => RunSchedule.Execute(runs, Enumerable.Range(0, runs.Count).ToList(), workers,
                (config, live) => SimulationRunner.Run(config, live), progress, (i, result, _) => results[i] = result, stopAtFirstFailure: true));
            if (failed.Count > 0)
            {
                Console.Error.WriteLine($"hvsim run: a run of {scenario.Name} failed: {failed[0].Error.Message}");
                return ExitCodes.RunFailed;
            }
            ScenarioRunWriter.Write(dir, scenario, runs, results, parse.GetValue(seed) ?? scenario.Template.Config.Seed, clock.Elapsed);
            PrintSummary(scenario, runs, results);
            CliScenarios.WriteReport(dir);
            AnsiConsole.MarkupLine($"[grey]{runs.Count} run(s) in {clock.Elapsed.TotalSeconds:0.0} s; results in[/] {Markup.Escape(dir)}");
            return ExitCodes.Ok;
        });
        return cmd;
    }

    private const int MaxRows = 48;

    private static void PrintSummary(Scenario scenario, IReadOnlyList<PlannedRun> runs, IReadOnlyList<RunResult> results)
    {
        // Fits 80 columns: a simple border, no `rep` column for a single replication, numbers never wrap (F45).
        var table = new Table().Title($"[bold]{Markup.Escape(scenario.Name)}[/]").SimpleBorder();
        bool swept = scenario.SweepPaths.Count > 0;
        bool replicated = scenario.Template.Replications > 1;
        if (swept) table.AddColumn("point");
        table.AddColumn("platform");
        if (replicated) table.AddColumn(new TableColumn("rep").RightAligned().NoWrap());
        table.AddColumns("guest", "admitted");
        foreach (var c in new[] { "accesses", "HDSI", "major", "p99 ms", "stall", "slowdown" })
            table.AddColumn(new TableColumn(c).RightAligned().NoWrap());
        int rows = 0;
        for (int i = 0; i < runs.Count; i++)
            foreach (var g in results[i].Guests)
            {
                if (++rows > MaxRows) continue;
                var cells = new List<string>();
                // A labelled point (the sweep's `labels:`) by its name; else by its values.
                if (swept) cells.Add(Markup.Escape(runs[i].Point.Label.Length > 0 ? runs[i].Point.Label : runs[i].Point.Key));
                cells.Add(ScenarioKeys.PlatformName(runs[i].Platform));
                if (replicated) cells.Add(runs[i].Replication.ToString(CultureInfo.InvariantCulture));
                cells.Add(Markup.Escape(g.Guest));
                cells.Add(g.Admitted ? "[green]yes[/]" : "[red]no[/]");
                cells.AddRange([N(g.Accesses), N(g.HdsiFaults), N(g.MajorFaults)]);
                // A refused guest never ran: no latency and no stall to show (F36).
                var p99 = g.FaultLatency.Quantile(0.99) / 1e6;
                cells.Add(g.Admitted && !double.IsNaN(p99) ? Significant3(p99) : "-");
                cells.Add(g.Admitted ? g.StallFraction.ToString("0.0%", CultureInfo.InvariantCulture) : "-");
                double slowdown = HvSim.Analysis.Statistics.Slowdown.Factor(g.StalledNs, g.VcpuNs);
                cells.Add(g.Admitted && double.IsFinite(slowdown) ? Significant3(slowdown) + "×" : "-");
                table.AddRow(cells.ToArray());
            }
        foreach (var column in table.Columns) column.Padding(1, 0, 0, 0); // one space between columns, not two
        AnsiConsole.Write(table);
        if (rows > MaxRows) AnsiConsole.MarkupLine($"[grey]... {rows - MaxRows} more rows in summary.csv[/]");
        foreach (var g in results.SelectMany(r => r.Guests).Where(g => !g.Admitted).DistinctBy(g => g.Guest).Take(8))
            AnsiConsole.MarkupLine($"[red]refused[/] {Markup.Escape(g.Guest)}: [grey]{Markup.Escape(g.RefusalReason ?? "")}[/]");
    }

    /// <summary>Three significant digits without an exponent (0.0123, 1.23, 123, 12346).</summary>
    internal static string Significant3(double v)
    {
        if (v == 0) return "0";
        int decimals = Math.Clamp(2 - (int)Math.Floor(Math.Log10(Math.Abs(v))), 0, 15);
        return Math.Round(v, decimals).ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    }

    private static string N(long v) => v.ToString("N0", CultureInfo.InvariantCulture);
}

/// <summary>The report and the memory guard of `run`.</summary>
internal static class CliScenarios
{
    /// <summary>
    /// Plots and report.html next to the tables, then the report's key numbers and measured-window warnings on the
    /// console (the same statistics, so both say the same); a plotting problem is reported but does not fail the run.
    /// </summary>
    public static void WriteReport(string dir)
    {
        try
        {
            var report = HvSim.Analysis.ReportBuilder.Build(dir);
            KeyNumbersConsole.Print(report.Stats, HvSim.Analysis.Tables.ResultsFolder.Load(dir));
            Console.WriteLine($"Report: {report.ReportHtml}");
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Console.Error.WriteLine($"hvsim: results are written, but the plots and report failed: {e.Message} (retry with: hvsim plot {dir})");
        }
    }

    public static long MaxMemory(string? text)
    {
        if (text is null) return MemoryEstimate.DefaultLimitBytes();
        const string allowed = "a size > 0 such as 8GiB: " + Units.SizeAllowed;
        if (!Units.TryParseSize(text, out var bytes)) throw new UserInputException($"hvsim: --max-memory '{text}' is not a size (allowed: {allowed})");
        if (bytes == 0) throw new UserInputException($"hvsim: --max-memory '{text}' is not allowed: the limit must be more than 0 (allowed: {allowed})");
        return bytes;
    }
}
