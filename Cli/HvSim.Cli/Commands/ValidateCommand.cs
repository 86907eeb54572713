using System.CommandLine;
using HvSim.Scenarios;
using HvSim.Scenarios.Language;
using HvSim.Scenarios.Planning;

namespace HvSim.Cli.Commands;

/// <summary>`hvsim validate FILE...`: check scenario files without running; report every problem with file:line:col.</summary>
internal static class ValidateCommand
{
    public static Command Create()
    {
        var files = new Argument<string[]>("files") { Description = "Scenario files to check", Arity = ArgumentArity.OneOrMore };
        var cmd = new Command("validate", "Check scenario files without running them; every problem is reported as file:line:col") { files };
        cmd.SetAction(parse =>
        {
            var d = new Diagnostics();
            var loaded = parse.GetValue(files)!.Select(f => (File: f, Scenario: ScenarioLoader.TryLoad(f, d))).ToList();
            if (d.HasErrors)
            {
                foreach (var problem in d.Sorted()) Console.Error.WriteLine(problem);
                Console.Error.WriteLine($"{d.Items.Count} problem{(d.Items.Count == 1 ? "" : "s")} found.");
                return ExitCodes.BadInput;
            }
            foreach (var (file, scenario) in loaded)
            {
                var runs = RunPlanner.Plan(scenario!);
                long peak = runs.Count == 0 ? 0 : runs.Max(r => MemoryEstimate.Bytes(r.Config));
                Console.WriteLine($"{file}: ok ({scenario!.Points.Count} point{(scenario.Points.Count == 1 ? "" : "s")}, {runs.Count} run{(runs.Count == 1 ? "" : "s")}, up to {Units.FormatSize(peak / (1 << 20) << 20)} per run)");
            }
            return ExitCodes.Ok;
        });
        return cmd;
    }
}
