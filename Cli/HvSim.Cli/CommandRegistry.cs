using System.CommandLine;
using HvSim.Cli.Commands;

namespace HvSim.Cli;

/// <summary>The list of top-level commands; one line per command so parallel work merges cleanly.</summary>
internal static class CommandRegistry
{
    public static IEnumerable<Command> All()
    {
        yield return BenchCommand.Create();
        yield return RunCommand.Create();
        yield return ValidateCommand.Create();
        yield return SchemaCommand.Create();
        yield return BatchCommand.Create();
        yield return MergeCommand.Create();
        yield return ReplayCommand.Create();
        yield return MrcCommand.Create();
        yield return PlotCommand.Create();
        yield return PlanCommand.Create();
        yield return CompareCommand.Create();
        yield return CalibrateCommand.Create();
        yield return ValidationCommand.Create();
    }
}
