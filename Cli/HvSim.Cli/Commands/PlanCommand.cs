using System.CommandLine;
using System.Globalization;
using HvSim.Analysis.Planning;
using HvSim.Analysis.Progress;
using HvSim.Analysis.Results;
using HvSim.Cli.Progress;
using HvSim.Model.Results;
using Spectre.Console;

namespace HvSim.Cli.Commands;

/// <summary>`hvsim plan PLAN.yaml`: the largest guest count per platform that meets an SLO with confidence.</summary>
internal static class PlanCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("plan") { Description = "Plan YAML file (scenario:, slo:, replications:, max_guests:, platforms:, optional mix:, min_host_memory:, mrc_estimate: and levers:)" };
        var outDir = CliOptions.OutFolder("Results folder (default: results/plan-<plan file name>/)");
        var jobs = CliOptions.Jobs("Replications");
        var maxMemory = CliOptions.MaxMemory("Refuse when the largest probe's parallel replications and the results of every probe run the search may make are estimated to need more (e.g. 16GiB; default 80% of physical memory)");
        var cmd = new Command("plan", "Capacity planning: galloping + bisection on the guest count, replications at each probe, per platform and per lever; writes plan.csv (plan_levers.csv), plots and report.html")
        {
            file, outDir, jobs, maxMemory,
        };
        cmd.SetAction(parse =>
        {
            string path = parse.GetValue(file)!;
            var spec = PlanFile.Load(path);
            foreach (var warning in spec.Warnings) Console.Error.WriteLine(warning);
            var dir = parse.GetValue(outDir) ?? Path.Combine("results", "plan-" + Path.GetFileNameWithoutExtension(path));
            int parallel = PlanRunner.Workers(spec, parse.JobsOrCores(jobs), CliScenarios.MaxMemory(parse.GetValue(maxMemory)));
            OutputFolder.Claim(dir, "plan");
            Console.WriteLine($"Planning {spec.Scenario.Name}: {spec.Slo} with {spec.Slo.Confidence:P0} confidence, {spec.Replications} replication{(spec.Replications == 1 ? "" : "s")} per probe");
            PlanResult result;
            try
            {
                if (ConsoleSetup.LiveProgress)
                {
                    var live = new LiveProbes(new PlanMeter(spec, PlanRunner.ReplicationCost(spec), Display.RateWindowSpan));
                    result = LiveTable.Show(live.Meter, $"{spec.Scenario.Name}: plan", table =>
                    {
                        live.Table = table;
                        return PlanRunner.Run(spec, dir, parallel, live);
                    });
                    foreach (var line in live.Lines) Console.WriteLine(line);
                }
                else result = PlanRunner.Run(spec, dir, parallel, new ProbeLines());
            }
            catch (Exception e) when (e is not OutOfMemoryException and not UserInputException)
            {
                Console.Error.WriteLine($"hvsim plan: a simulation failed: {e.Message}");
                return ExitCodes.RunFailed;
            }
            Print(result);
            AnsiConsole.MarkupLine($"[grey]plan.csv, plots and report.html in[/] {Markup.Escape(dir)}");
            return ExitCodes.Ok;
        });
        return cmd;
    }

    /// <summary>A probe's verdict as one line.</summary>
    private static string ProbeLine(Probe probe) =>
        $"  {(probe.Point.Lever is { } lever ? lever + " " : "")}{HvSim.Scenarios.Language.ScenarioKeys.PlatformName(probe.Point.Platform),-6} {probe.Point.Guests,4} {PlatformPlan.GuestNoun(probe.Point.Guests)}" +
        (probe.Point.HostMemoryBytes is { } m ? $" on {m / (double)(1L << 30):0.##} GiB" : "") + $": {probe.Verdict}";

    /// <summary>Off a terminal: one line per probe, when its verdict is in.</summary>
    private sealed class ProbeLines : IPlanProgress
    {
        public void RunStarted(PlanPoint point, int replication, RunProgress live) { }
        public void RunFinished(PlanPoint point, int replication) { }
        public void ProbeDone(Probe probe) => Console.WriteLine(ProbeLine(probe));
    }

    /// <summary>
    /// On a terminal: a live line per running replication and one for the plan with the ETA of <see cref="PlanMeter"/>
    /// (the last verdict in it); the probes' lines are printed when the display ends.
    /// </summary>
    private sealed class LiveProbes(PlanMeter meter) : IPlanProgress
    {
        private readonly Dictionary<(PlanPoint, int), int> _runs = [];
        public PlanMeter Meter { get; } = meter;
        public LiveTable? Table { get; set; }
        public List<string> Lines { get; } = [];

        public void RunStarted(PlanPoint point, int replication, RunProgress live)
        {
            int run;
            lock (_runs) _runs[(point, replication)] = run = _runs.Count;
            Meter.Running(run, point);
            string memory = point.HostMemoryBytes is { } m ? $" on {m / (double)(1L << 30):0.##} GiB" : "";
            Table!.Started(run, $"{(point.Lever is { } lever ? lever + " " : "")}{HvSim.Scenarios.Language.ScenarioKeys.PlatformName(point.Platform)} {point.Guests} {PlatformPlan.GuestNoun(point.Guests)}{memory} r{replication}", live);
        }

        public void RunFinished(PlanPoint point, int replication)
        {
            int run;
            lock (_runs) run = _runs[(point, replication)];
            Table!.Finished(run);
        }

        public void ProbeDone(Probe probe)
        {
            Meter.ProbeDone(probe);
            lock (Lines) Lines.Add(ProbeLine(probe));
        }
    }

    private static void Print(PlanResult result)
    {
        var table = new Table().Title($"[bold]{Markup.Escape(result.Scenario)}: {Markup.Escape(result.Slo.ToString())}[/]").RoundedBorder();
        table.AddColumns("platform", "max guests", "SLO bound", "metric at max guests [[95% CI]]");
        foreach (var p in result.Platforms)
            foreach (var limit in result.Slo.Limits)
            {
                var s = p.AtLimit?.Stats[limit.Metric];
                // "-" as in the run summary: no probe at the answer, or a p99 of no faults, which is undefined rather than 0.
                string value = s is { N: > 0 } st
                    ? limit.Number(st.Mean) + (double.IsFinite(st.CiLow) ? $" [{limit.Number(st.CiLow)}, {limit.Number(st.CiHigh)}]" : "") + " " + limit.Unit
                    : "-";
                table.AddRow(HvSim.Scenarios.Language.ScenarioKeys.PlatformName(p.Platform), p.MaxGuests + (p.HitSearchCap ? " (cap)" : ""), Markup.Escape(limit.ToString()),
                    Markup.Escape(value));
            }
        AnsiConsole.Write(table);
        foreach (var p in result.Platforms) Console.WriteLine(p.Summary);
        if (result.ConsolidationRatio is { } ratio)
            Console.WriteLine($"Consolidation ratio POWER7/PPC970: {ratio.ToString("0.00", CultureInfo.InvariantCulture)}x");
        PrintLevers(result);
        if (result.Memory is { } m)
            Console.WriteLine(m.MinHostMemoryBytes is { } bytes
                ? $"Smallest host memory for {m.Guests} {PlatformPlan.GuestNoun(m.Guests)} on {m.Platform}: {bytes / (double)(1L << 30):0.##} GiB"
                : $"No host memory in the searched range lets {m.Guests} {PlatformPlan.GuestNoun(m.Guests)} on {m.Platform} meet the SLO");
    }

    /// <summary>The levers side by side, as plan_levers.csv has them.</summary>
    private static void PrintLevers(PlanResult result)
    {
        if (result.Levers.Count == 0) return;
        var table = new Table().Title($"[bold]Levers: most guests under {Markup.Escape(result.Slo.ToString())}[/]").RoundedBorder();
        table.AddColumns("lever", "platform", "sets", "max guests", "× pinned PPC970", "× POWER7 swapping");
        foreach (var l in result.Levers)
            table.AddRow(Markup.Escape(l.Lever), HvSim.Scenarios.Language.ScenarioKeys.PlatformName(l.Platform), Markup.Escape(l.Overrides),
                l.Plan is { } p ? p.MaxGuests + (p.HitSearchCap ? " (cap)" : "") : "refused",
                Markup.Escape(PlanReportSection.Ratio(l.RatioTo(result.Pinned))), Markup.Escape(PlanReportSection.Ratio(l.RatioTo(result.Swapping))));
        AnsiConsole.Write(table);
        foreach (var l in result.Levers.Where(l => l.Refused is not null))
            Console.WriteLine($"{l.Lever} on {HvSim.Scenarios.Language.ScenarioKeys.PlatformName(l.Platform)}: refused: {l.Refused}");
    }
}
