namespace HvSim.Traces;

/// <summary>
/// Where a CSV trace keeps its fields: 1-based column numbers as libCacheSim's csv reader takes them; 0 = the trace
/// has no such column. The default is our <c>timestamp,obj_id,size,op</c>.
/// </summary>
public sealed record CsvTraceColumns
{
    /// <summary>Request time in seconds (a decimal fraction is allowed).</summary>
    public int Time { get; init => field = Check(value, nameof(Time)); } = 1;
    public int ObjectId { get; init => field = value >= 1 ? value : throw new ArgumentException($"the object-id column must be >= 1, got {value}", nameof(ObjectId)); } = 2;
    /// <summary>Request size in bytes.</summary>
    public int Size { get; init => field = Check(value, nameof(Size)); } = 3;
    /// <summary>R/W, read/write, or a SCSI opcode in hex (28, 2a, 0x2a, …); empty = unknown.</summary>
    public int Op { get; init => field = Check(value, nameof(Op)); } = 4;
    /// <summary>true/false; null = a header is present when the first line's object id is not a number.</summary>
    public bool? HasHeader { get; init; }
    /// <summary>
    /// When the file has a header, take each column whose name is recognised from the header instead of its number:
    /// time/timestamp, obj_id/id/lbn/key, size/obj_size/length, op/operation (any case).
    /// </summary>
    public bool MatchHeaderNames { get; init; } = true;

    public static CsvTraceColumns Default { get; } = new();

    /// <summary>The layout of libCacheSim's <c>cloudPhysicsIO.csv</c>: <c>version,time,op,size,lbn</c>.</summary>
    public static CsvTraceColumns CloudPhysics { get; } = new() { Time = 2, ObjectId = 5, Size = 4, Op = 3, HasHeader = true, MatchHeaderNames = false };

    private static int Check(int value, string name) =>
        value >= 0 ? value : throw new ArgumentException($"the {name} column must be >= 1, or 0 for none, got {value}", name);
}
