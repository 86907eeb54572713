namespace HvSim.Traces;

/// <summary>Opens trace readers by format.</summary>
public static class TraceFile
{
    public static ITraceReader Open(string path, TraceFormat format, CsvTraceColumns? csvColumns = null) => format switch
    {
        TraceFormat.Csv => new CsvTraceReader(path, csvColumns),
        TraceFormat.OracleGeneral => new OracleGeneralReader(path),
        TraceFormat.Vscsi => VscsiReader.Open(path),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "unknown trace format"),
    };

    /// <summary>Open for sequential reading; a missing or unreadable file becomes a <see cref="TraceException"/>.</summary>
    internal static FileStream OpenRead(string path, int bufferSize)
    {
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize, FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            // Opening a folder fails as "access denied", which is not the problem.
            if (Directory.Exists(path)) throw new TraceException(path, 0, "cannot open the trace: it is a folder, not a file", e);
            throw new TraceException(path, 0, $"cannot open the trace: {e.Message}", e);
        }
    }
}
