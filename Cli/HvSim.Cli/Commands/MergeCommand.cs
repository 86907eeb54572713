using System.CommandLine;
using System.Diagnostics;
using HvSim.Analysis.Batch;
using HvSim.Analysis.Results;

namespace HvSim.Cli.Commands;

/// <summary>`hvsim merge DIR... --out DIR`: combine shard folders into what a single-machine batch writes.</summary>
internal static class MergeCommand
{
    public static Command Create()
    {
        var dirs = new Argument<string[]>("dirs") { Description = "Shard folders written by hvsim batch --shard", Arity = ArgumentArity.OneOrMore };
        var outDir = CliOptions.OutFolder("Merged results folder");
        outDir.Required = true;
        var cmd = new Command("merge", "Combine the folders of a sharded batch into one batch results folder") { dirs, outDir };
        cmd.SetAction(parse =>
        {
            var clock = Stopwatch.StartNew();
            OutputFolder.Claim(parse.GetValue(outDir)!, "batch");
            var outcome = BatchMerger.Merge(parse.GetValue(dirs)!, parse.GetValue(outDir)!);
            Console.WriteLine($"{outcome.Planned} runs in the batch: {outcome.Ran} copied, {outcome.Skipped} already there, {outcome.Failed.Count} missing.");
            foreach (var (id, _) in outcome.Failed) Console.Error.WriteLine($"missing run {id}: no shard folder has it (run that shard again)");
            if (outcome.Complete)
            {
                Console.WriteLine($"Results in {parse.GetValue(outDir)} ({clock.Elapsed.TotalSeconds:0.0} s)");
                CliScenarios.WriteReport(parse.GetValue(outDir)!);
            }
            return outcome.Complete ? ExitCodes.Ok : ExitCodes.RunFailed;
        });
        return cmd;
    }
}
