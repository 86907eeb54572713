namespace HvSim.Traces;

/// <summary>A trace file that cannot be read: the message names the file and, when known, the record.</summary>
public sealed class TraceException : Exception
{
    public TraceException(string path, long recordNumber, string problem, Exception? inner = null)
        : base(recordNumber > 0 ? $"{path}: record {recordNumber}: {problem}" : $"{path}: {problem}", inner)
    {
        Path = path;
        RecordNumber = recordNumber;
    }

    public string Path { get; }
    /// <summary>1-based number of the offending record (data records, a CSV header not counted); 0 for the whole file.</summary>
    public long RecordNumber { get; }
}
