using System.CommandLine;
using HvSim.Analysis.Planning;
using HvSim.Analysis.Results;
using HvSim.Scenarios.Language;

namespace HvSim.Cli.Commands;

/// <summary>`hvsim schema`: the JSON Schema of scenario files (or the key reference of docs/scenarios.md, or the column reference of docs/results-format.md).</summary>
internal static class SchemaCommand
{
    public static Command Create()
    {
        var markdown = new Option<bool>("--markdown") { Description = "Print the key reference tables of docs/scenarios.md instead (with --plan, those of the plan language in docs/analysis.md)" };
        var results = new Option<bool>("--results-markdown") { Description = "Print the column reference of docs/results-format.md instead" };
        var plan = new Option<bool>("--plan") { Description = "Print the JSON Schema of plan files (Scenarios/plan.schema.json) instead" };
        var cmd = new Command("schema", "Print the JSON Schema of scenario files, generated from the key table the loader uses") { markdown, results, plan };
        cmd.SetAction(parse =>
        {
            bool plans = parse.GetValue(plan);
            Console.Out.Write(parse.GetValue(results) ? ResultColumns.Markdown()
                : parse.GetValue(markdown) ? (plans ? KeyReference.PlanMarkdown() : KeyReference.Markdown())
                : plans ? SchemaGenerator.Generate(PlanFile.Tree, "https://hvsim.invalid/plan.schema.json", "HvSim capacity plan")
                : SchemaGenerator.Generate());
            return ExitCodes.Ok;
        });
        return cmd;
    }
}
