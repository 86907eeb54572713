namespace HvSim.Traces;

public enum TraceOp : byte
{
    /// <summary>The format or record carries no operation.</summary>
    Unknown,
    Read,
    Write,
}

/// <summary>One request of a trace, whatever its encoding.</summary>
public struct TraceRequest
{
    /// <summary>Request time, ns from the trace's own epoch.</summary>
    public long TimeNs;
    /// <summary>Object id: a block trace's starting LBN (512-byte sector), a cache trace's key.</summary>
    public ulong ObjectId;
    public long SizeBytes;
    public TraceOp Op;
}
