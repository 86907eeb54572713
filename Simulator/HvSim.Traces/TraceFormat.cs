namespace HvSim.Traces;

/// <summary>
/// One block-I/O trace format: the name scenarios (`workload.format`) and <c>hvsim replay</c>/<c>hvsim mrc --format</c>
/// use, its docs line, the file extensions that imply it and how to open a reader. Adding a format is its reader and
/// one line in <see cref="TraceFormats.All"/>.
/// </summary>
public sealed record TraceFormat(string Name, string Doc, IReadOnlyList<string> Extensions, Func<string, CsvTraceColumns?, ITraceReader> Open)
{
    /// <summary>Text, one request per line: <c>timestamp,obj_id,size,op</c> by default (columns configurable).</summary>
    public static readonly TraceFormat Csv = new("csv", "text, one request per line (timestamp,obj_id,size,op by default)", [".csv"],
        (path, columns) => new CsvTraceReader(path, columns));
    /// <summary>libCacheSim oracleGeneral: 24-byte little-endian records.</summary>
    public static readonly TraceFormat OracleGeneral = new("oracleGeneral", "libCacheSim oracleGeneral, 24-byte little-endian records", [".bin", ".oraclegeneral"],
        (path, _) => new OracleGeneralReader(path));
    /// <summary>VMware vSCSI: 32-byte (v1) or 40-byte (v2) little-endian records.</summary>
    public static readonly TraceFormat Vscsi = new("vscsi", "VMware vSCSI, 32-byte (v1) or 40-byte (v2) records", [".vscsi"],
        (path, _) => VscsiReader.Open(path));

    public override string ToString() => Name;
}

public static class TraceFormats
{
    public static readonly IReadOnlyList<TraceFormat> All = [TraceFormat.Csv, TraceFormat.OracleGeneral, TraceFormat.Vscsi];

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
