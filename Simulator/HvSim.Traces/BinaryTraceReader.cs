namespace HvSim.Traces;

/// <summary>Fixed-size little-endian records read through a buffer of whole records.</summary>
public abstract class BinaryTraceReader : ITraceReader
{
    private const int RecordsPerBuffer = 8192;
    private readonly FileStream _stream;
    private readonly byte[] _buffer;
    private readonly int _recordSize;
    private int _position;
    private int _length;

    protected BinaryTraceReader(string path, int recordSize, string formatName)
    {
        Path = path;
        _recordSize = recordSize;
        _stream = TraceFile.OpenRead(path, RecordsPerBuffer * recordSize);
        long length = _stream.Length;
        if (length % recordSize != 0)
        {
            _stream.Dispose();
            throw new TraceException(path, length / recordSize + 1,
                $"truncated {formatName} record: {length % recordSize} of {recordSize} bytes (file length {length} is not a multiple of {recordSize})");
        }
        _buffer = new byte[RecordsPerBuffer * recordSize];
    }

    public string Path { get; }
    public long RecordNumber { get; private set; }

    public bool Read(ref TraceRequest request)
    {
        if (_position == _length)
        {
            _length = _stream.ReadAtLeast(_buffer, _buffer.Length, throwOnEndOfStream: false);
            _position = 0;
            if (_length == 0) return false;
            if (_length % _recordSize != 0)
                throw new TraceException(Path, RecordNumber + _length / _recordSize + 1, $"truncated record: the file ended inside it (it changed while being read?)");
        }
        RecordNumber++;
        Decode(_buffer.AsSpan(_position, _recordSize), ref request);
        _position += _recordSize;
        return true;
    }

    /// <summary>Fill <paramref name="request"/> from one record; throw <see cref="Malformed"/> when it is invalid.</summary>
    protected abstract void Decode(ReadOnlySpan<byte> record, ref TraceRequest request);

    protected TraceException Malformed(string problem) => new(Path, RecordNumber, problem);

    public void Dispose()
    {
        _stream.Dispose();
        GC.SuppressFinalize(this);
    }
}
