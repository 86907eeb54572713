namespace HvSim.Traces;

public enum TraceFormat
{
    /// <summary>Text, one request per line: <c>timestamp,obj_id,size,op</c> by default (columns configurable).</summary>
    Csv,
    /// <summary>libCacheSim oracleGeneral: 24-byte little-endian records.</summary>
    OracleGeneral,
    /// <summary>VMware vSCSI: 32-byte (v1) or 40-byte (v2) little-endian records.</summary>
    Vscsi,
}

public static class TraceFormats
{
    /// <summary>The names the CLI and scenarios use.</summary>
    public static readonly IReadOnlyList<string> Names = ["csv", "oracleGeneral", "vscsi"];

    public static TraceFormat Parse(string name) => name.ToLowerInvariant() switch
    {
        "csv" => TraceFormat.Csv,
        "oraclegeneral" => TraceFormat.OracleGeneral,
        "vscsi" => TraceFormat.Vscsi,
        _ => throw new ArgumentException($"unknown trace format '{name}' (allowed: {string.Join(", ", Names)})", nameof(name)),
    };
}
