namespace HvSim.Traces;

/// <summary>
/// One block-I/O trace format: the name scenarios (`workload.format`) and <c>hvsim replay</c>/<c>hvsim mrc --format</c>
/// use, its docs line, the file extensions that imply it and how to open a reader. Each reader declares its own
/// (<c>CsvTraceReader.Format</c>); adding a format is its reader and one entry in <see cref="TraceFormats.All"/>.
/// </summary>
public sealed record TraceFormat(string Name, string Doc, IReadOnlyList<string> Extensions, Func<string, CsvTraceColumns?, ITraceReader> Open)
{
    public override string ToString() => Name;
}

public static class TraceFormats
{
    /// <summary>The registry: one entry per format, in the order docs and `--help` list them.</summary>
    public static readonly IReadOnlyList<TraceFormat> All = [CsvTraceReader.Format, OracleGeneralReader.Format, VscsiReader.Format];

    /// <summary>The names the CLI and scenarios use.</summary>
    public static readonly IReadOnlyList<string> Names = All.Select(f => f.Name).ToList();

    /// <summary>The format named <paramref name="name"/> (any case); null when there is none.</summary>
    public static TraceFormat? Find(string name) => All.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));

    public static TraceFormat Parse(string name) =>
        Find(name) ?? throw new ArgumentException($"unknown trace format '{name}' (allowed: {string.Join(", ", Names)})", nameof(name));

    /// <summary>The format a file's extension implies (.csv, .vscsi, .bin/.oracleGeneral); null when none does.</summary>
    public static TraceFormat? FromExtension(string path) =>
        All.FirstOrDefault(f => f.Extensions.Contains(Path.GetExtension(path).ToLowerInvariant()));
}
