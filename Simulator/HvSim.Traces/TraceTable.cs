using System.Runtime.CompilerServices;

namespace HvSim.Traces;

/// <summary>
/// What one scan of a trace leaves in memory for its replays: the dense page ids, and the requests themselves when
/// they fit in <see cref="MaxRecordedBytes"/>, so that a small trace played many times (`loops: 0`) is read from the
/// file once instead of once per loop and vCPU.
/// </summary>
internal sealed class TraceTable
{
    /// <summary>Largest trace kept in memory for replay (32 B per request): 2 M requests.</summary>
    public const long MaxRecordedBytes = 64L << 20;

    private static readonly long BytesPerRecord = Unsafe.SizeOf<TraceRequest>();

    private TraceTable(TracePageSource source, PageRemapper map, TraceRequest[]? records)
    {
        Source = source;
        Map = map;
        Records = records;
    }

    public TracePageSource Source { get; }
    public PageRemapper Map { get; }

    /// <summary>Every request in file order, or null when the trace is larger than <see cref="MaxRecordedBytes"/>.</summary>
    public TraceRequest[]? Records { get; }

    /// <summary>Bytes kept: the page map and the recorded requests.</summary>
    public long Bytes => Map.Bytes + (Records?.LongLength ?? 0) * BytesPerRecord;

    /// <summary>Scan the trace once: give its pages dense ids and keep its requests if they fit.</summary>
    public static TraceTable Scan(TracePageSource source)
    {
        var map = new PageRemapper();
        var records = new List<TraceRequest>();
        bool keep = true;
        using (var reader = TraceFile.Open(source.Path, source.Format, source.CsvColumns))
        {
            var request = new TraceRequest();
            while (reader.Read(ref request))
            {
                var (first, count) = source.Mapping.Pages(request);
                for (long k = 0; k < count; k++) map.Dense(first + (ulong)k);
                if (!keep) continue;
                records.Add(request);
                if (records.Count * BytesPerRecord > MaxRecordedBytes) (keep, records) = (false, []);
            }
            if (reader.RecordNumber == 0) throw new TraceException(source.Path, 0, "the trace has no requests");
        }
        return new TraceTable(source, map, keep ? records.ToArray() : null);
    }

    /// <summary>A reader from the first request: from memory when the trace was kept, else a new pass over the file.</summary>
    public ITraceReader Open() => Records is { } records
        ? new RecordedTrace(Source.Path, records)
        : TraceFile.Open(Source.Path, Source.Format, Source.CsvColumns);

    /// <summary>Replays requests kept in memory, numbered as the file's reader numbered them.</summary>
    private sealed class RecordedTrace(string path, TraceRequest[] records) : ITraceReader
    {
        public string Path => path;
        public long RecordNumber { get; private set; }

        public bool Read(ref TraceRequest request)
        {
            if (RecordNumber == records.Length) return false;
            request = records[RecordNumber++];
            return true;
        }

        public void Dispose() { }
    }
}
