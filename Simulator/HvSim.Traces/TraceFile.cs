namespace HvSim.Traces;

/// <summary>Opens trace readers by format.</summary>
public static class TraceFile
{
    public static ITraceReader Open(string path, TraceFormat format, CsvTraceColumns? csvColumns = null) => format.Open(path, csvColumns);

    /// <summary>What a trace file that is not there is refused with, whoever finds it missing.</summary>
    public static TraceException Missing(string path) => new(path, 0, $"cannot open the trace: {FileKinds.NotFound}");

    /// <summary>Open for sequential reading; a missing or unreadable file becomes a <see cref="TraceException"/>.</summary>
    internal static FileStream OpenRead(string path, int bufferSize)
    {
        // Checked before opening: a FIFO would block the open, and a device such as /dev/zero would never end. A missing
        // file is said in the words a scenario's missing trace gets, not in the runtime's ("Could not find a part of...").
        if (FileKinds.NotRegular(path) is { } problem)
            throw problem == FileKinds.NotFound ? Missing(path) : new TraceException(path, 0, $"cannot open the trace: it is {problem}");
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize, FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new TraceException(path, 0, $"cannot open the trace: {e.Message}", e);
        }
    }
}
