using System.Text.Json.Nodes;
using HvSim.Analysis.Results;

namespace HvSim.Analysis.Batch;

/// <summary>
/// Layout of a batch results folder: `manifest.json`, the tables, and `runs/&lt;run_id&gt;/` with each finished run's
/// own tables plus `run.json` (its config hash). A run folder exists only once complete (renamed from a temporary one).
/// </summary>
public sealed class BatchFolder(string root)
{
    public const string RunsFolder = "runs";
    public const string RunFile = "run.json";
    public const string TimingFile = "timing.json";
    public const string RunsTable = "runs.csv";
    public const string TimingTable = "timing.csv";

    /// <summary>Every file a run folder may hold: its tables, run.json and timing.json (what `hvsim merge` copies).</summary>
    public static readonly IReadOnlySet<string> RunFiles = new SortedSet<string>(StringComparer.Ordinal)
    {
        RunFile, TimingFile, ResultsTables.Summary, ResultsTables.Host, ResultsTables.Timeseries, ResultsTables.FaultLatency,
    };

    public string Root { get; } = root;
    public string Runs => Path.Combine(Root, RunsFolder);
    public string RunDir(string runId) => Path.Combine(Runs, runId);
    public string ManifestPath => Path.Combine(Root, ResultsTables.Manifest);

    /// <summary>True when the run's folder is committed and was made from the same configuration.</summary>
    public bool IsDone(BatchPlanEntry run)
    {
        var file = Path.Combine(RunDir(run.RunId), RunFile);
        if (!File.Exists(file)) return false;
        try
        {
            return JsonNode.Parse(File.ReadAllText(file))?["config_sha256"]?.GetValue<string>() == run.ConfigSha256;
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }

    /// <summary>Committed run folders that <paramref name="plan"/> does not have: left by another batch written here.</summary>
    public int CountOtherRuns(BatchPlan plan)
    {
        if (!Directory.Exists(Runs)) return 0;
        var mine = plan.Runs.Select(r => r.RunId).ToHashSet(StringComparer.Ordinal);
        return Directory.EnumerateDirectories(Runs).Select(Path.GetFileName).Count(n => !n!.StartsWith('.') && !mine.Contains(n));
    }

    /// <summary>Remove temporary folders and files left by killed processes of this machine (never those of live ones).</summary>
    public void RemoveStaleTemporaries()
    {
        foreach (var dir in new[] { Root, Runs }.Where(Directory.Exists))
            foreach (var entry in Directory.EnumerateFileSystemEntries(dir, ".*.tmp-*").Where(AtomicFile.IsStale))
            {
                if (Directory.Exists(entry)) Directory.Delete(entry, recursive: true);
                else File.Delete(entry);
            }
    }
}
