using System.Buffers.Binary;
using HvSim.Traces;

namespace HvSim.Model.Tests.Traces;

public sealed class TraceReaderTests : IDisposable
{
    private readonly TempFiles _files = new();

    public void Dispose() => _files.Dispose();

    private static List<TraceRequest> ReadAll(string path, TraceFormat format, CsvTraceColumns? columns = null)
    {
        using var reader = TraceFile.Open(path, format, columns);
        var list = new List<TraceRequest>();
        var request = new TraceRequest();
        while (reader.Read(ref request)) list.Add(request);
        Assert.Equal(list.Count, reader.RecordNumber);
        return list;
    }

    [Fact]
    public void OracleGeneralFieldsAreDecodedLittleEndian()
    {
        string path = _files.Bytes("t.bin", TempFiles.OracleGeneral((7, 0x0102030405060708, 4096, 2), (9, 5, 512, -1)));
        var requests = ReadAll(path, OracleGeneralReader.Format);
        Assert.Equal(2, requests.Count);
        Assert.Equal((7_000_000_000L, 0x0102030405060708UL, 4096L, TraceOp.Unknown),
            (requests[0].TimeNs, requests[0].ObjectId, requests[0].SizeBytes, requests[0].Op));
        Assert.Equal(5UL, requests[1].ObjectId);
    }

    [Fact]
    public void VscsiV1FieldsAndOpcodesAreDecoded()
    {
        string path = _files.Bytes("t.vscsi", TempFiles.VscsiV1((4096, 0x28, 100, 1_500_000), (8192, 0x2a, 200, 2_000_001), (0, 0x35, 300, 3)));
        var requests = ReadAll(path, VscsiReader.Format);
        Assert.Equal([TraceOp.Read, TraceOp.Write, TraceOp.Unknown], requests.Select(r => r.Op));
        Assert.Equal([100UL, 200UL, 300UL], requests.Select(r => r.ObjectId));
        Assert.Equal([4096L, 8192L, 0L], requests.Select(r => r.SizeBytes));
        Assert.Equal(2_000_001_000L, requests[1].TimeNs);
    }

    [Fact]
    public void VscsiV2IsRecognisedByItsVersionByte()
    {
        var bytes = new byte[2 * 40];
        for (int i = 0; i < 2; i++)
        {
            var r = bytes.AsSpan(i * 40);
            BinaryPrimitives.WriteUInt16LittleEndian(r, 0x2a);
            BinaryPrimitives.WriteUInt16LittleEndian(r[2..], 0x0200);
            BinaryPrimitives.WriteUInt32LittleEndian(r[8..], 65536);
            BinaryPrimitives.WriteUInt64LittleEndian(r[16..], 1000UL + (ulong)i);
            BinaryPrimitives.WriteUInt64LittleEndian(r[24..], 10UL * (ulong)i);
        }
        var requests = ReadAll(_files.Bytes("v2.vscsi", bytes), VscsiReader.Format);
        Assert.Equal([1000UL, 1001UL], requests.Select(r => r.ObjectId));
        Assert.All(requests, r => Assert.Equal((65536L, TraceOp.Write), (r.SizeBytes, r.Op)));
        Assert.Equal(10_000L, requests[1].TimeNs);
    }

    [Theory]
    [InlineData("timestamp,obj_id,size,op\n1,10,4096,R\n2.5,11,512,W\n3,10,,\n")]
    [InlineData("1,10,4096,r\n2.5,11,512,write\n3,10,,\n")]
    [InlineData("1,10,4096,28\r\n2.5,11,512,0x2A\r\n3,10,,")]
    public void CsvHeaderIsOptionalAndOpsComeInSeveralSpellings(string content)
    {
        var requests = ReadAll(_files.Text("t.csv", content), CsvTraceReader.Format);
        Assert.Equal([10UL, 11UL, 10UL], requests.Select(r => r.ObjectId));
        Assert.Equal([1_000_000_000L, 2_500_000_000L, 3_000_000_000L], requests.Select(r => r.TimeNs));
        Assert.Equal([TraceOp.Read, TraceOp.Write, TraceOp.Unknown], requests.Select(r => r.Op));
        Assert.Equal([4096L, 512L, 0L], requests.Select(r => r.SizeBytes));
    }

    [Fact]
    public void CsvColumnsAreConfigurable()
    {
        var columns = new CsvTraceColumns { ObjectId = 1, Time = 0, Size = 0, Op = 0 };
        var requests = ReadAll(_files.Text("ids.csv", "5\n6\n5\n"), CsvTraceReader.Format, columns);
        Assert.Equal([5UL, 6UL, 5UL], requests.Select(r => r.ObjectId));
        Assert.All(requests, r => Assert.Equal(0, r.TimeNs));
    }

    [Fact]
    public void CsvHeaderNamesLocateTheColumnsUnlessNumbersAreForced()
    {
        string path = _files.Text("named.csv", "version,time,op,size,lbn\n1,5,2a,4096,77\n1,6,28,512,78\n");
        var requests = ReadAll(path, CsvTraceReader.Format);
        Assert.Equal([77UL, 78UL], requests.Select(r => r.ObjectId));
        Assert.Equal([TraceOp.Write, TraceOp.Read], requests.Select(r => r.Op));
        Assert.Equal([4096L, 512L], requests.Select(r => r.SizeBytes));
        var forced = new CsvTraceColumns { MatchHeaderNames = false, HasHeader = true };
        Assert.Contains("size '2a' in column 3", Assert.Throws<TraceException>(() => ReadAll(path, CsvTraceReader.Format, forced)).Message);
    }

    [Fact]
    public void TruncatedBinaryFileNamesTheFileAndThePartialRecord()
    {
        var bytes = TempFiles.OracleGeneral((1, 1, 1, -1), (1, 2, 1, -1), (1, 3, 1, -1));
        string path = _files.Bytes("cut.bin", bytes[..60]);
        var e = Assert.Throws<TraceException>(() => ReadAll(path, OracleGeneralReader.Format));
        Assert.Equal(3, e.RecordNumber);
        Assert.StartsWith($"{path}: record 3: truncated oracleGeneral record: 12 of 24 bytes", e.Message);
    }

    [Fact]
    public void OracleGeneralNextAccessThatIsNotInTheFutureIsMalformed()
    {
        string path = _files.Bytes("bad.bin", TempFiles.OracleGeneral((1, 1, 1, 3), (1, 2, 1, 2), (1, 1, 1, -1)));
        var e = Assert.Throws<TraceException>(() => ReadAll(path, OracleGeneralReader.Format));
        Assert.Equal(2, e.RecordNumber);
        Assert.Contains("next-access position 2", e.Message);
    }

    [Fact]
    public void VscsiRecordWithAWrongVersionByteIsMalformed()
    {
        var bytes = TempFiles.VscsiV1((512, 0x28, 1, 1), (512, 0x28, 2, 2), (512, 0x28, 3, 3));
        bytes[2 * 32 + 15] = 7;
        var e = Assert.Throws<TraceException>(() => ReadAll(_files.Bytes("bad.vscsi", bytes), VscsiReader.Format));
        Assert.Equal(3, e.RecordNumber);
        Assert.Contains("version byte is 7, expected 1", e.Message);
    }

    [Fact]
    public void CsvBadFieldNamesRecordLineColumnAndValue()
    {
        string path = _files.Text("bad.csv", "timestamp,obj_id,size,op\n1,10,4096,R\n2,ten,4096,R\n");
        var e = Assert.Throws<TraceException>(() => ReadAll(path, CsvTraceReader.Format));
        Assert.Equal(2, e.RecordNumber);
        Assert.Equal($"{path}: record 2: line 3: object id 'ten' in column 2 is not an unsigned integer", e.Message);
        string ops = _files.Text("badop.csv", "1,10,4096,Q\n");
        Assert.Contains("op 'Q' in column 4", Assert.Throws<TraceException>(() => ReadAll(ops, CsvTraceReader.Format)).Message);
        string shortRow = _files.Text("short.csv", "1,10,4096,R\n1,10\n");
        Assert.Contains("record 2: line 2: 2 fields, but column 4 is needed", Assert.Throws<TraceException>(() => ReadAll(shortRow, CsvTraceReader.Format)).Message);
    }

    [Fact]
    public void MissingFileIsATraceErrorNamingIt()
    {
        string path = Path.Combine(Path.GetTempPath(), "hvsim-no-such-trace.bin");
        foreach (var format in TraceFormats.All)
            Assert.StartsWith($"{path}: cannot open the trace", Assert.Throws<TraceException>(() => ReadAll(path, format)).Message);
    }

    [Fact]
    public void AFolderIsATraceErrorSayingSo()
    {
        string path = Directory.CreateTempSubdirectory("hvsim-trace-folder-").FullName;
        try
        {
            foreach (var format in TraceFormats.All)
                Assert.Equal($"{path}: cannot open the trace: it is a folder, not a file", Assert.Throws<TraceException>(() => ReadAll(path, format)).Message);
        }
        finally
        {
            Directory.Delete(path);
        }
    }

    [Fact]
    public void ExpandingRequestsCoversEveryPageOfTheByteRange()
    {
        // LBN 7 (byte 3584) + 1024 bytes ends at byte 4607: pages 0 and 1 of 4 KiB. LBN 8 + 4096 bytes: page 1 only.
        var mapping = PageMapping.Expand();
        Assert.Equal((0UL, 2L), mapping.Pages(new TraceRequest { ObjectId = 7, SizeBytes = 1024 }));
        Assert.Equal((1UL, 1L), mapping.Pages(new TraceRequest { ObjectId = 8, SizeBytes = 4096 }));
        Assert.Equal((1UL, 1L), mapping.Pages(new TraceRequest { ObjectId = 8, SizeBytes = 0 }));
        Assert.Equal((123UL, 1L), PageMapping.ObjectPerPage.Pages(new TraceRequest { ObjectId = 123, SizeBytes = 1 << 20 }));
    }

    [Fact]
    public void DenseIdsFollowFirstAppearance()
    {
        string path = _files.Text("d.csv", "1,900,1,\n2,5,1,\n3,900,1,\n4,7,1,\n");
        var trace = DenseTrace.Load(path, CsvTraceReader.Format, PageMapping.ObjectPerPage);
        Assert.Equal([0, 1, 0, 2], trace.Pages);
        Assert.Equal((4L, 3), (trace.Requests, trace.UniquePages));
    }
}
