using HvSim.Scenarios.Language;
using HvSim.Scenarios.Loading;

namespace HvSim.Scenarios;

/// <summary>
/// One point of a sweep (the only point when there is no sweep), fully bound and checked. <see cref="Label"/> is its
/// name from the sweep's `labels:` (empty without): a name for displays only, never part of <see cref="Key"/>, so it
/// changes no seed and no result.
/// </summary>
public sealed record ScenarioPoint(int Index, IReadOnlyList<SweepAssignment> Assignments, RunTemplate Template, string Label = "")
{
    /// <summary>`path=value;...` in sweep-key order; empty without a sweep.</summary>
    public string Key => string.Join(";", Assignments.Select(a => $"{a.Path}={a.Canonical}"));
}

/// <summary>A loaded, validated scenario file.</summary>
public sealed class Scenario
{
    public required string File { get; init; }
    /// <summary>SHA-256 of the file's bytes (lower-case hex).</summary>
    public required string Sha256 { get; init; }
    /// <summary>The `name:` sanitised for use in file names and run ids.</summary>
    public required string Name { get; init; }
    /// <summary>The file bound without its sweep: the keys every point shares (seed, replications, outputs ...).</summary>
    public required RunTemplate Template { get; init; }
    public required string SweepMode { get; init; }
    public required IReadOnlyList<string> SweepPaths { get; init; }
    public required IReadOnlyList<ScenarioPoint> Points { get; init; }
    /// <summary>The file with its `extends:` merged and without its sweep: what <see cref="ScenarioLoader.Variant"/> sets keys in.</summary>
    internal MappingNode Document { get; init; } = null!;
}
