using System.CommandLine;

namespace HvSim.Cli.Commands;

/// <summary>`hvsim bench ...`: speed benchmarks (subcommands added per layer).</summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var bench = new Command("bench", "Run speed benchmarks and print one row per workload");
        bench.Subcommands.Add(BenchEngineCommand.Create());
        bench.Subcommands.Add(BenchModelCommand.Create());
        bench.Subcommands.Add(BenchBatchCommand.Create());
        return bench;
    }
}
