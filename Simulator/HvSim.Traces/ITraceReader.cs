namespace HvSim.Traces;

/// <summary>A forward-only reader of one trace file that holds only a buffer, never the whole trace.</summary>
public interface ITraceReader : IDisposable
{
    string Path { get; }
    /// <summary>Number of records returned so far (the 1-based number of the last one).</summary>
    long RecordNumber { get; }
    /// <summary>Read the next request; false at the end. Throws <see cref="TraceException"/> on malformed input.</summary>
    bool Read(ref TraceRequest request);
}
