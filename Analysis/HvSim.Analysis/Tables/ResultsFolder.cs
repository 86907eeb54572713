using CsvHelper;
using HvSim.Analysis.Results;
using HvSim.Model.Config;

namespace HvSim.Analysis.Tables;

/// <summary>Everything a results folder holds (docs/results-format.md), read from its CSV and JSON files alone.</summary>
public sealed class ResultsFolder
{
    public const string SummaryFile = "summary.csv";
    public const string HostFile = "host.csv";
    public const string TimeseriesFile = "timeseries.csv";
    public const string FaultLatencyFile = "fault_latency.csv";
    public const string ManifestFile = "manifest.json";
    public const string RunsFile = "runs.csv";
    public const string MrcFile = "mrc.csv";
    public const string PlanFile = "plan.csv";

    public required string Directory { get; init; }
    public IReadOnlyList<RunRow<SummaryRow>> Summary { get; init; } = [];
    public IReadOnlyList<RunRow<HostRow>> Host { get; init; } = [];
    public IReadOnlyList<RunRow<TimeseriesRow>> Timeseries { get; init; } = [];
    public IReadOnlyList<RunRow<FaultLatencyRow>> FaultLatency { get; init; } = [];
    public IReadOnlyList<MrcRecord> Mrc { get; init; } = [];

    public RunsTable? Runs { get; init; }
    public ManifestView Manifest { get; init; } = ManifestView.Empty;

    public SweepPoint PointOf(RunIdentity run) => Runs?.PointOf(run.RunId) ?? SweepPoint.None;

    /// <summary>The configuration <paramref name="run"/> ran with, from manifest.json; null when the manifest does not record it.</summary>
    public SimulationConfig? ConfigOf(RunIdentity run) => _configs.GetValueOrDefault(run.RunId);

    private IReadOnlyDictionary<string, SimulationConfig> _configs = new Dictionary<string, SimulationConfig>();

    /// <summary>
    /// The warm-up of <paramref name="run"/> in seconds: <paramref name="overrideSeconds"/> when given (`hvsim plot
    /// --warmup`), else the one the run used (host.csv's warmup_s: with `warmup: auto`, where it found steady state),
    /// else the run's configured warm-up, else none.
    /// </summary>
    public double WarmupSeconds(RunIdentity run, double? overrideSeconds = null) =>
        overrideSeconds ?? HostOf(run)?.WarmupS ?? (ConfigOf(run) is { } c ? c.WarmupNs / NsPerS : 0);

    /// <summary>The host.csv row of <paramref name="run"/>, null when there is none.</summary>
    public HostRow? HostOf(RunIdentity run) => (_hostByRun ??= Host.ToDictionary(r => r.Run, r => r.Row)).GetValueOrDefault(run);

    private Dictionary<RunIdentity, HostRow>? _hostByRun;

    /// <summary>Nanoseconds in a second, for the configuration's durations.</summary>
    public const double NsPerS = 1e9;

    /// <summary>True when <paramref name="directory"/> holds the results of a run, a batch, `hvsim mrc` or `hvsim plan`.</summary>
    public static bool IsResultsFolder(string directory) =>
        System.IO.Directory.Exists(directory)
        && new[] { SummaryFile, MrcFile, PlanFile }.Any(f => File.Exists(Path.Combine(directory, f)));

    /// <summary>Reads a results folder; a missing optional file reads as empty.</summary>
    /// <exception cref="ResultsFolderException">Not a results folder, or a file that does not follow the format.</exception>
    public static ResultsFolder Load(string directory)
    {
        if (!IsResultsFolder(directory))
            throw new ResultsFolderException(
                $"{directory}: not a results folder (expected {SummaryFile} from `hvsim run`/`hvsim batch`, {MrcFile} from `hvsim mrc` or {PlanFile} from `hvsim plan`)");
        string runs = Path.Combine(directory, RunsFile);
        string manifestPath = Path.Combine(directory, ManifestFile);
        var manifest = Present(manifestPath) ? ManifestView.Read(manifestPath) : ManifestView.Empty;
        var key = KeyFrom(manifest.Runs());
        var summary = ReadRuns<SummaryRow, BatchSummaryRow>(directory, SummaryFile, r => key(r.Scenario, r.Platform, r.Replication, r.Seed), b => (b.RunId, b.Row));
        var host = ReadRuns<HostRow, BatchHostRow>(directory, HostFile, r => key(r.Scenario, r.Platform, r.Replication, r.Seed), b => (b.RunId, b.Row));
        var timeseries = ReadRuns<TimeseriesRow, BatchTimeseriesRow>(directory, TimeseriesFile, r => key(r.Scenario, r.Platform, r.Replication, r.Seed), b => (b.RunId, b.Row));
        return new ResultsFolder
        {
            Directory = directory,
            Summary = summary,
            Host = host,
            Timeseries = timeseries,
            FaultLatency = ReadRuns<FaultLatencyRow, BatchFaultLatencyRow>(directory, FaultLatencyFile, r => key(r.Scenario, r.Platform, r.Replication, r.Seed), b => (b.RunId, b.Row)),
            Mrc = ReadOptional<MrcRecord>(directory, MrcFile),
            Runs = Present(runs) ? RunsTable.Read(runs) : RunsTable.FromManifest(manifest.Runs()),
            Manifest = manifest,
            _configs = manifest.Runs().Where(r => r.Config is not null).GroupBy(r => r.RunId).ToDictionary(g => g.Key, g => g.First().Config!),
        };
    }

    /// <summary>
    /// The identity of a row without a run_id column (a single `hvsim run`): the manifest's run_id for its platform,
    /// replication and seed when the manifest lists exactly one such run, else none (the seed still tells runs apart).
    /// </summary>
    private static Func<string, string, int, ulong, RunIdentity> KeyFrom(IReadOnlyList<ManifestRun> runs)
    {
        var ids = runs.GroupBy(r => (r.Platform, r.Replication, r.Seed)).Where(g => g.Count() == 1).ToDictionary(g => g.Key, g => g.First().RunId);
        return (scenario, platform, replication, seed) => new(ids.GetValueOrDefault((platform, replication, seed), ""), scenario, platform, replication, seed);
    }

    /// <summary>
    /// A results table with the writers' own row types: <typeparamref name="T"/> for a single run, or
    /// <typeparamref name="TBatch"/> (the same columns after `run_id`) for a batch; a missing file reads as empty.
    /// </summary>
    private static List<RunRow<T>> ReadRuns<T, TBatch>(string directory, string file, Func<T, RunIdentity> key, Func<TBatch, (string RunId, T Row)> unbatch)
    {
        string path = Path.Combine(directory, file);
        if (!Present(path)) return [];
        bool batch;
        using (var reader = CsvReader.FromFile(path))
            batch = reader.Headers.Contains("run_id");
        return batch
            ? ReadTable<TBatch>(path).Select(unbatch).Select(b => new RunRow<T>(key(b.Row) with { RunId = b.RunId }, b.Row)).ToList()
            : ReadTable<T>(path).Select(r => new RunRow<T>(key(r), r)).ToList();
    }

    private static List<T> ReadOptional<T>(string directory, string file)
    {
        string path = Path.Combine(directory, file);
        return Present(path) ? ReadTable<T>(path) : [];
    }

    /// <summary>
    /// Whether a results file is there to read: true for a regular file, false when absent. Anything else in its place
    /// (a FIFO would block the reader, /dev/zero never ends, a folder) is refused before it is opened (docs/security.md).
    /// </summary>
    /// <exception cref="ResultsFolderException">The path is not a regular file.</exception>
    public static bool Present(string path)
    {
        var problem = HvSim.Traces.FileKinds.NotRegular(path);
        if (problem is null) return true;
        if (problem == HvSim.Traces.FileKinds.NotFound) return false;
        throw new ResultsFolderException($"{path}: {problem} (allowed: the regular files hvsim writes, docs/results-format.md)");
    }

    /// <summary>
    /// Reads one CSV file as <typeparamref name="T"/> records; a bad file is a <see cref="ResultsFolderException"/> naming
    /// file, line and column as a user sees them (file.csv:4: column 'accesses': '' is not a whole number).
    /// </summary>
    public static List<T> ReadTable<T>(string path)
    {
        using var reader = CsvReader.FromFile(path, CsvReaderOptions.Default with { TrackLineNumbers = true });
        try
        {
            return reader.GetRecords<T>().ToList();
        }
        catch (CsvFormatException e)
        {
            long line = e.LineNumber > 0 ? e.LineNumber : e.RecordNumber;
            if (e.FieldIndex < 0 || e.FieldIndex >= reader.Headers.Count)
                throw new ResultsFolderException($"{path}:{line}: {e.InnerException?.Message ?? e.Message}", e);
            string column = reader.Headers[e.FieldIndex];
            string text = reader.GetString(e.FieldIndex);
            throw new ResultsFolderException($"{path}:{line}: column '{column}': '{text}' is not {Expected<T>(e.Member)}", e);
        }
        catch (KeyNotFoundException e)
        {
            throw new ResultsFolderException($"{path}:1: {e.Message} (columns are listed in docs/results-format.md)", e);
        }
    }

    /// <summary>What a column's member holds, in words (the member as CsvHelper names it: Type.Property).</summary>
    private static string Expected<T>(string? member)
    {
        var type = member is null ? null : typeof(T).GetProperty(member[(member.LastIndexOf('.') + 1)..])?.PropertyType;
        type = type is null ? null : Nullable.GetUnderlyingType(type) ?? type;
        return type == typeof(int) || type == typeof(long) || type == typeof(ulong) ? "a whole number"
            : type == typeof(double) ? "a number"
            : type == typeof(bool) ? "true or false"
            : "a valid value";
    }
}
