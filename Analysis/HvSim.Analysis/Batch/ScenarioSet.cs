using HvSim.Scenarios;
using HvSim.Scenarios.Language;

namespace HvSim.Analysis.Batch;

/// <summary>The scenario files named on a command line (files, or folders of *.yaml), loaded and checked together.</summary>
public static class ScenarioSet
{
    /// <summary>
    /// Files in the given order; a folder contributes its *.yaml files sorted by name. A file named twice (a glob and
    /// an explicit path, say) is taken once, at its first place.
    /// </summary>
    public static List<string> Expand(IEnumerable<string> paths)
    {
        var files = new List<string>();
        foreach (var p in paths)
        {
            if (Directory.Exists(p))
                files.AddRange(Directory.EnumerateFiles(p, "*.yaml").Concat(Directory.EnumerateFiles(p, "*.yml")).Order(StringComparer.Ordinal));
            else files.Add(p);
        }
        return files.DistinctBy(Path.GetFullPath).ToList();
    }

    /// <summary>Load every file; throws <see cref="ScenarioException"/> with every problem of every file.</summary>
    public static List<Scenario> Load(IEnumerable<string> paths)
    {
        var d = new Diagnostics();
        var files = Expand(paths);
        if (files.Count == 0) throw new BatchInputException("no scenario files found (allowed: .yaml files or folders holding them)");
        var scenarios = files.Select(f => ScenarioLoader.TryLoad(f, d)).ToList();
        if (d.HasErrors) throw new ScenarioException(d.Sorted().ToList());
        return scenarios.Select(s => s!).ToList();
    }
}
