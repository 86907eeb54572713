using HvSim.Traces;

namespace HvSim.Model.Tests.Traces;

/// <summary>
/// The libCacheSim sample traces in ../shared/data/traces/ beside the repository (never copied into it). Found by
/// walking up from the test assembly to the repository root (the folder holding HvSim.slnx).
/// </summary>
internal static class SharedTraces
{
    public const int Requests = 113_872;
    public const int UniqueObjects = 48_974;

    public static readonly string? Folder = Locate();

    public static string SkipReason =>
        "skipped: the shared trace folder ../shared/data/traces/ next to the repository root is absent (validation data is never in the repo)";

    public static string PathOf(string file) => Path.Combine(Folder ?? throw new InvalidOperationException(SkipReason), file);

    /// <summary>Every encoding of cloudPhysicsIO with its reader settings.</summary>
    public static IEnumerable<(string Name, string File, TraceFormat Format, CsvTraceColumns? Columns)> Encodings()
    {
        yield return ("vscsi", "cloudPhysicsIO.vscsi", VscsiReader.Format, null);
        yield return ("oracleGeneral", "cloudPhysicsIO.oracleGeneral.bin", OracleGeneralReader.Format, null);
        yield return ("csv (libCacheSim layout, numbered columns)", "cloudPhysicsIO.csv", CsvTraceReader.Format, CsvTraceColumns.CloudPhysics);
        yield return ("csv (libCacheSim layout, columns by header name)", "cloudPhysicsIO.csv", CsvTraceReader.Format, null);
        yield return ("csv (ours, from vscsi)", "cloudPhysicsIO.vscsi.simple.csv", CsvTraceReader.Format, null);
        yield return ("csv (ours, from oracleGeneral)", "cloudPhysicsIO.oracleGeneral.simple.csv", CsvTraceReader.Format, null);
    }

    private static string? Locate()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (!File.Exists(Path.Combine(dir.FullName, "HvSim.slnx"))) continue;
            string folder = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "data", "traces"));
            return File.Exists(Path.Combine(folder, "cloudPhysicsIO.vscsi")) ? folder : null;
        }
        return null;
    }
}

/// <summary>A fact that xunit reports as skipped, with the reason, when the shared traces are absent.</summary>
public sealed class SharedTracesFactAttribute : FactAttribute
{
    public SharedTracesFactAttribute()
    {
        if (SharedTraces.Folder is null) Skip = SharedTraces.SkipReason;
    }
}

/// <summary>A theory that xunit reports as skipped, with the reason, when the shared traces are absent.</summary>
public sealed class SharedTracesTheoryAttribute : TheoryAttribute
{
    public SharedTracesTheoryAttribute()
    {
        if (SharedTraces.Folder is null) Skip = SharedTraces.SkipReason;
    }
}
