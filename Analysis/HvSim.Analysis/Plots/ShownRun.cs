using HvSim.Analysis.Tables;

namespace HvSim.Analysis.Plots;

/// <summary>The run whose time series a paging or fault plot shows, chosen out of <see cref="RunsOfPlatform"/> runs of its platform.</summary>
public sealed record ShownRun(RunIdentity Run, SweepPoint Point, int RunsOfPlatform, long MajorFaults)
{
    /// <summary>"quick, POWER7 (pageable), guests.count=3, replication 2": what a plot title names.</summary>
    public string Label
    {
        get
        {
            string point = Point.Parameters.Count > 0 ? $", {Point}" : "";
            return $"{Run.Scenario}, {SeriesColors.PlatformLabel(Run.Platform)}{point}, replication {Run.Replication}";
        }
    }

    /// <summary>Says which run the curves show when there was a choice, for the figure caption.</summary>
    public string Why
    {
        get
        {
            if (RunsOfPlatform <= 1) return "";
            string id = Run.RunId.Length > 0 ? $"run {Run.RunId}" : $"the run with seed {Run.Seed}";
            return MajorFaults > 0
                ? $" Shown: {id}, the one with the most major faults ({MajorFaults:N0}) of the {RunsOfPlatform} {SeriesColors.PlatformLabel(Run.Platform)} runs; the others are in the CSV files."
                : $" Shown: {id}, the first of the {RunsOfPlatform} {SeriesColors.PlatformLabel(Run.Platform)} runs (none had major faults); the others are in the CSV files.";
        }
    }
}
