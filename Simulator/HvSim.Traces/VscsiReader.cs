using System.Buffers.Binary;

namespace HvSim.Traces;

/// <summary>
/// VMware vSCSI block traces (the CloudPhysics/SHARDS data set). Version 1: 32-byte records (u32 serial, u32 length,
/// u32 scatter-gather count, u16 SCSI opcode, u16 version, u64 LBN, u64 time µs). Version 2: 40-byte records (u16 opcode,
/// u16 version, u32 serial, u32 length, u32 SG count, u64 LBN, u64 time µs, u64 response time). The version is the
/// high byte of the version word; it is taken from the first record and checked on every one.
/// </summary>
public sealed class VscsiReader : BinaryTraceReader
{
    /// <summary>VMware vSCSI: 32-byte (v1) or 40-byte (v2) little-endian records.</summary>
    public static readonly TraceFormat Format = new("vscsi", "VMware vSCSI, 32-byte (v1) or 40-byte (v2) records", [".vscsi"], (path, _) => Open(path));

    private readonly int _version;

    private VscsiReader(string path, int version) : base(path, version == 1 ? 32 : 40, $"vSCSI v{version}") => _version = version;

    public static VscsiReader Open(string path) => new(path, DetectVersion(path));

    private static int DetectVersion(string path)
    {
        Span<byte> head = stackalloc byte[16];
        using (var stream = TraceFile.OpenRead(path, 16))
        {
            int read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            if (read == 0) return 1;
            if (read < head.Length) throw new TraceException(path, 1, $"truncated vSCSI record: {read} bytes");
        }
        if (head[15] == 1) return 1;
        if (head[3] == 2) return 2;
        throw new TraceException(path, 1, $"not a vSCSI trace: version byte is {head[15]} at offset 15 (v1) and {head[3]} at offset 3 (v2)");
    }

    protected override void Decode(ReadOnlySpan<byte> record, ref TraceRequest request)
    {
        int opcode;
        if (_version == 1)
        {
            if (record[15] != 1) throw Malformed($"vSCSI v1 version byte is {record[15]}, expected 1");
            request.SizeBytes = BinaryPrimitives.ReadUInt32LittleEndian(record[4..]);
            opcode = BinaryPrimitives.ReadUInt16LittleEndian(record[12..]);
        }
        else
        {
            if (record[3] != 2) throw Malformed($"vSCSI v2 version byte is {record[3]}, expected 2");
            opcode = BinaryPrimitives.ReadUInt16LittleEndian(record);
            request.SizeBytes = BinaryPrimitives.ReadUInt32LittleEndian(record[8..]);
        }
        request.ObjectId = BinaryPrimitives.ReadUInt64LittleEndian(record[16..]);
        ulong micros = BinaryPrimitives.ReadUInt64LittleEndian(record[24..]);
        if (micros > long.MaxValue / 1000) throw Malformed($"timestamp {micros} µs is out of range");
        request.TimeNs = (long)micros * 1000;
        request.Op = ScsiOpcodes.Classify(opcode);
    }
}
