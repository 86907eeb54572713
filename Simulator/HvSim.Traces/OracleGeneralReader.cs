using System.Buffers.Binary;

namespace HvSim.Traces;

/// <summary>
/// libCacheSim oracleGeneral: u32 time (s), u64 object id, u32 size (bytes), i64 next access (1-based position of the
/// next request to the object, or -1).
/// </summary>
public sealed class OracleGeneralReader(string path) : BinaryTraceReader(path, RecordSize, "oracleGeneral")
{
    /// <summary>libCacheSim oracleGeneral: 24-byte little-endian records.</summary>
    public static readonly TraceFormat Format = new("oracleGeneral", "libCacheSim oracleGeneral, 24-byte little-endian records", [".bin", ".oraclegeneral"],
        (path, _) => new OracleGeneralReader(path));

    public const int RecordSize = 24;
    private uint _lastSeconds;

    protected override void Decode(ReadOnlySpan<byte> record, ref TraceRequest request)
    {
        long nextAccess = BinaryPrimitives.ReadInt64LittleEndian(record[16..]);
        // The only internal consistency the format has: a next access lies in the future (this also catches a file
        // in another format, whose bytes land here at random).
        if (nextAccess != -1 && nextAccess <= RecordNumber)
            throw Malformed($"next-access position {nextAccess} is not after this record (expected -1 or > {RecordNumber}); is this an oracleGeneral file?");
        // And its records are in time order (libCacheSim's traceConv writes them sorted): bytes of another format
        // (vSCSI, whose 32- or 48-byte records line up with 24-byte ones every 3 or 2 records) go backwards soon.
        uint seconds = BinaryPrimitives.ReadUInt32LittleEndian(record);
        if (seconds < _lastSeconds)
            throw Malformed($"time {seconds} s is before the previous record's {_lastSeconds} s (records are in time order); is this an oracleGeneral file?");
        _lastSeconds = seconds;
        request.TimeNs = seconds * 1_000_000_000L;
        request.ObjectId = BinaryPrimitives.ReadUInt64LittleEndian(record[4..]);
        request.SizeBytes = BinaryPrimitives.ReadUInt32LittleEndian(record[12..]);
        request.Op = TraceOp.Unknown;
    }
}
