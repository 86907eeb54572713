using System.Buffers.Binary;

namespace HvSim.Model.Tests.Traces;

/// <summary>Small trace files written by the tests into a fresh temporary folder, deleted afterwards.</summary>
public sealed class TempFiles : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("hvsim-traces-").FullName;

    public string Text(string name, string content)
    {
        string path = Path.Combine(_folder, name);
        File.WriteAllText(path, content);
        return path;
    }

    public string Bytes(string name, byte[] content)
    {
        string path = Path.Combine(_folder, name);
        File.WriteAllBytes(path, content);
        return path;
    }

    /// <summary>oracleGeneral records (time s, id, size, next access), laid out as in the shared README.</summary>
    public static byte[] OracleGeneral(params (uint Time, ulong Id, uint Size, long Next)[] records)
    {
        var bytes = new byte[records.Length * 24];
        for (int i = 0; i < records.Length; i++)
        {
            var r = bytes.AsSpan(i * 24);
            BinaryPrimitives.WriteUInt32LittleEndian(r, records[i].Time);
            BinaryPrimitives.WriteUInt64LittleEndian(r[4..], records[i].Id);
            BinaryPrimitives.WriteUInt32LittleEndian(r[12..], records[i].Size);
            BinaryPrimitives.WriteInt64LittleEndian(r[16..], records[i].Next);
        }
        return bytes;
    }

    /// <summary>vSCSI v1 records (length, opcode, LBN, time µs).</summary>
    public static byte[] VscsiV1(params (uint Length, ushort Opcode, ulong Lbn, ulong Micros)[] records)
    {
        var bytes = new byte[records.Length * 32];
        for (int i = 0; i < records.Length; i++)
        {
            var r = bytes.AsSpan(i * 32);
            BinaryPrimitives.WriteUInt32LittleEndian(r, 0x80000000u + (uint)i);
            BinaryPrimitives.WriteUInt32LittleEndian(r[4..], records[i].Length);
            BinaryPrimitives.WriteUInt32LittleEndian(r[8..], 1);
            BinaryPrimitives.WriteUInt16LittleEndian(r[12..], records[i].Opcode);
            BinaryPrimitives.WriteUInt16LittleEndian(r[14..], 0x0100);
            BinaryPrimitives.WriteUInt64LittleEndian(r[16..], records[i].Lbn);
            BinaryPrimitives.WriteUInt64LittleEndian(r[24..], records[i].Micros);
        }
        return bytes;
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
