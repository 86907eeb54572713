using System.Globalization;
using System.Text;
using CsvHelper;

namespace HvSim.Traces;

/// <summary>A CSV trace read record by record through CsvHelper's UTF-8 reader.</summary>
public sealed class CsvTraceReader : ITraceReader
{
    /// <summary>Text, one request per line: <c>timestamp,obj_id,size,op</c> by default (columns configurable).</summary>
    public static readonly TraceFormat Format = new("csv", "text, one request per line (timestamp,obj_id,size,op by default)", [".csv"],
        (path, columns) => new CsvTraceReader(path, columns));

    private readonly CsvReader _csv;
    private readonly CsvTraceColumns _columns;
    /// <summary>1-based columns in use (0 = absent): the configured numbers, or the header's names.</summary>
    private int _time, _id, _size, _op;
    private int _fieldsNeeded;
    private bool _headerChecked;

    public CsvTraceReader(string path, CsvTraceColumns? columns = null)
    {
        Path = path;
        _columns = columns ?? CsvTraceColumns.Default;
        (_time, _id, _size, _op) = (_columns.Time, _columns.ObjectId, _columns.Size, _columns.Op);
        _fieldsNeeded = Math.Max(Math.Max(_time, _id), Math.Max(_size, _op));
        TraceFile.OpenRead(path, 1).Dispose();
        _csv = CsvReader.FromFile(path, CsvReaderOptions.Default with
        {
            HasHeader = false,
            Separator = ',',
            TrackLineNumbers = true,
            MalformedData = CsvMalformedDataHandling.Throw,
        });
    }

    public string Path { get; }
    public long RecordNumber { get; private set; }

    public bool Read(ref TraceRequest request)
    {
        try
        {
            if (!_csv.Read()) return false;
            if (!_headerChecked)
            {
                _headerChecked = true;
                if (IsHeader())
                {
                    if (_columns.MatchHeaderNames) MatchHeader();
                    if (!_csv.Read()) return false;
                }
            }
            RecordNumber++;
            if (_csv.FieldCount < _fieldsNeeded)
                throw Malformed($"{_csv.FieldCount} fields, but column {_fieldsNeeded} is needed");
            request.ObjectId = ParseId();
            request.TimeNs = _time == 0 ? 0 : ParseSeconds(_time - 1);
            request.SizeBytes = _size == 0 ? 0 : ParseSize(_size - 1);
            request.Op = _op == 0 ? TraceOp.Unknown : ParseOp(_op - 1);
            return true;
        }
        catch (CsvFormatException e)
        {
            throw new TraceException(Path, RecordNumber + 1, $"malformed CSV (line {e.LineNumber}): {e.Message}", e);
        }
    }

    private bool IsHeader()
    {
        if (_columns.HasHeader is { } declared) return declared;
        return _csv.FieldCount >= _columns.ObjectId
            && !ulong.TryParse(_csv.GetSpan(_columns.ObjectId - 1), NumberStyles.None, CultureInfo.InvariantCulture, out _);
    }

    /// <summary>Columns named in the header replace the configured numbers; unnamed ones keep them.</summary>
    private void MatchHeader()
    {
        for (int i = 0; i < _csv.FieldCount; i++)
        {
            switch (_csv.GetString(i).Trim().ToLowerInvariant())
            {
                case "time" or "timestamp": _time = i + 1; break;
                case "obj_id" or "id" or "lbn" or "key": _id = i + 1; break;
                case "size" or "obj_size" or "length": _size = i + 1; break;
                case "op" or "operation": _op = i + 1; break;
            }
        }
        _fieldsNeeded = Math.Max(Math.Max(_time, _id), Math.Max(_size, _op));
    }

    private ulong ParseId()
    {
        var field = _csv.GetSpan(_id - 1);
        return ulong.TryParse(field, NumberStyles.None, CultureInfo.InvariantCulture, out ulong id) ? id
            : throw Malformed($"object id '{Text(field)}' in column {_id} is not an unsigned integer");
    }

    private long ParseSeconds(int index)
    {
        var field = _csv.GetSpan(index);
        if (long.TryParse(field, NumberStyles.None, CultureInfo.InvariantCulture, out long whole) && whole <= long.MaxValue / 1_000_000_000)
            return whole * 1_000_000_000;
        return double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) && seconds >= 0 && seconds * 1e9 < long.MaxValue
            ? (long)Math.Round(seconds * 1e9)
            : throw Malformed($"timestamp '{Text(field)}' in column {_time} is not a number of seconds >= 0");
    }

    private long ParseSize(int index)
    {
        var field = _csv.GetSpan(index);
        if (field.IsEmpty) return 0;
        return long.TryParse(field, NumberStyles.None, CultureInfo.InvariantCulture, out long size) ? size
            : throw Malformed($"size '{Text(field)}' in column {_size} is not a whole number of bytes");
    }

    private TraceOp ParseOp(int index)
    {
        var field = _csv.GetSpan(index);
        if (field.IsEmpty) return TraceOp.Unknown;
        if (field.Length == 1 && (field[0] | 0x20) == 'r') return TraceOp.Read;
        if (field.Length == 1 && (field[0] | 0x20) == 'w') return TraceOp.Write;
        if (Ascii.EqualsIgnoreCase(field, "read"u8)) return TraceOp.Read;
        if (Ascii.EqualsIgnoreCase(field, "write"u8)) return TraceOp.Write;
        var hex = field.Length > 2 && field[0] == '0' && (field[1] | 0x20) == 'x' ? field[2..] : field;
        return hex.Length <= 2 && int.TryParse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int opcode)
            ? ScsiOpcodes.Classify(opcode)
            : throw Malformed($"op '{Text(field)}' in column {_op} is not R, W, read, write or a hex SCSI opcode");
    }

    /// <summary>The most of a field a message quotes: a trace may be any file, and a field of megabytes is no message.</summary>
    public const int MaxQuotedBytes = 40;

    private static string Text(ReadOnlySpan<byte> field) => field.Length <= MaxQuotedBytes
        ? Encoding.UTF8.GetString(field)
        : $"{Encoding.UTF8.GetString(field[..(MaxQuotedBytes - 3)])}... ({field.Length} bytes)";

    private TraceException Malformed(string problem) =>
        new(Path, RecordNumber, _csv.LineNumber > 0 ? $"line {_csv.LineNumber}: {problem}" : problem);

    public void Dispose() => _csv.Dispose();
}
