using System.CommandLine;
using HvSim.Analysis.Batch;
using HvSim.Model.Config;
using HvSim.Scenarios;
using HvSim.Scenarios.Language;
using HvSim.Scenarios.Planning;

namespace HvSim.Cli.Commands;

/// <summary>`hvsim validate FILE...`: check scenario files without running; report every problem with file:line:col.</summary>
internal static class ValidateCommand
{
    public static Command Create()
    {
        var files = new Argument<string[]>("files") { Description = "Scenario files, or folders of *.yaml files (like batch)", Arity = ArgumentArity.OneOrMore };
        var cmd = new Command("validate", "Check scenario files without running them: an ok line per good file (stdout), every problem as file:line:col (stderr); exit 2 if any is bad") { files };
        cmd.SetAction(parse =>
        {
            var paths = ScenarioSet.Expand(parse.GetValue(files)!);
            if (paths.Count == 0)
            {
                Console.Error.WriteLine("hvsim: no scenario files found (allowed: .yaml files or folders holding them)");
                return ExitCodes.BadInput;
            }
            int problems = 0;
            foreach (var file in paths)
            {
                if (HvSim.Analysis.Planning.PlanFile.IsPlan(file))
                {
                    problems += ValidatePlan(file);
                    continue;
                }
                var d = new Diagnostics();
                var scenario = ScenarioLoader.TryLoad(file, d);
                if (d.HasErrors || scenario is null)
                {
                    foreach (var problem in d.Sorted()) Console.Error.WriteLine(problem);
                    problems += Math.Max(1, d.Items.Count);
                    continue;
                }
                // Counted, not planned: a sweep of millions of runs must be warned about, not expanded. A run's memory
                // depends on its point and platform, not on its replication, so one configuration of each is enough.
                long runs = RunPlanner.Count(scenario);
                var configs = scenario.Points.SelectMany(p => p.Template.Platforms.Select(platform => p.Template.ToConfig(scenario.Name, platform, scenario.Template.Config.Seed))).ToList();
                long peak = configs.Count == 0 ? 0 : configs.Max(MemoryEstimate.Bytes);
                Console.WriteLine($"{file}: ok ({scenario.Points.Count} point{(scenario.Points.Count == 1 ? "" : "s")}, {runs} run{(runs == 1 ? "" : "s")}, up to {Units.FormatSize(peak / (1 << 20) << 20)} per run)");
                // `run` refuses a run estimated to need more than the default limit (80 % of this machine's memory): say so
                // here rather than call the file ok and have `run` refuse it.
                long limit = MemoryEstimate.DefaultLimitBytes();
                if (peak > limit)
                    Console.Error.WriteLine($"{file}: warning: one run is estimated to need {Units.FormatSizeApprox(peak)}, more than this machine's default limit " +
                        $"{Units.FormatSizeApprox(limit)}: hvsim run refuses it here unless --max-memory allows more");
                if (MemoryEstimate.RunListBytes(runs) > limit)
                    Console.Error.WriteLine($"{file}: warning: the list of {runs:N0} runs alone is estimated at {Units.FormatSizeApprox(MemoryEstimate.RunListBytes(runs))}, " +
                        $"more than this machine's default limit {Units.FormatSizeApprox(limit)}: hvsim run and batch refuse it here unless --max-memory allows more");
                // F40: without a page cache there is nothing to balance guest pages against.
                foreach (int swappiness in configs.Where(c => !c.Host.PageCache.Enabled).Select(c => c.Host.Swappiness).Where(v => v != new HostConfig().Swappiness).Distinct())
                    Console.Error.WriteLine($"{file}: warning: host.swappiness: {swappiness} has no effect without host.page_cache (reclaim can take only guest pages)");
            }
            if (problems == 0) return ExitCodes.Ok;
            Console.Error.WriteLine($"{problems} problem{(problems == 1 ? "" : "s")} found.");
            return ExitCodes.BadInput;
        });
        return cmd;
    }

    /// <summary>A plan file: its own keys and its scenario's, each problem located in the file that has it; the number of problems.</summary>
    private static int ValidatePlan(string file)
    {
        try
        {
            var plan = HvSim.Analysis.Planning.PlanFile.Load(file);
            Console.WriteLine($"{file}: ok (plan for {plan.Scenario.Name}: {plan.Slo}, up to {plan.MaxGuests} guests, {plan.Replications} replication{(plan.Replications == 1 ? "" : "s")} per probe)");
            // Each lever and what each platform makes of it, so a refusal is seen before the plan is run, not after.
            foreach (var lever in plan.Levers)
                Console.WriteLine($"  lever {lever.Name}{(lever.Overrides.Length == 0 ? "" : $" ({lever.Overrides})")}: "
                                  + string.Join("; ", lever.On.Select(o => $"{ScenarioKeys.PlatformName(o.Platform)} {(o.Refused is null ? "searched" : $"refused: {o.Refused}")}")));
            return 0;
        }
        catch (ScenarioException e)
        {
            foreach (var problem in e.Diagnostics) Console.Error.WriteLine(problem);
            return Math.Max(1, e.Diagnostics.Count);
        }
    }
}
