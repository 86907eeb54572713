using HvSim.Scenarios.Language;

namespace HvSim.Scenarios.Loading;

/// <summary>The key behind a swept path, for readers of results folders (runs.csv names its sweep columns by path).</summary>
public static class SweepPaths
{
    /// <summary>Every sweepable path with its key, built once (the sweep parser looks paths up here too).</summary>
    internal static readonly IReadOnlyDictionary<string, KeyDef> ByPath =
        SweepParser.SweepablePaths().ToDictionary(p => p.Path, p => p.Key, StringComparer.Ordinal);

    /// <summary>The key definition a sweep of <paramref name="path"/> sets; null for a path the scenario language does not sweep.</summary>
    public static KeyDef? Find(string path) => ByPath.GetValueOrDefault(path);
}
