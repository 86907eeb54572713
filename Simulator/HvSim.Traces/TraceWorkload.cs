using System.Runtime.CompilerServices;
using HvSim.Engine;
using HvSim.Model.Workloads;

namespace HvSim.Traces;

/// <summary>
/// A guest driven by a trace file. The file is scanned once when the first vCPU's stream is created (to validate it
/// and give its pages dense guest page numbers in order of first appearance) and then streamed by each vCPU:
/// vCPU v of k replays records v, v + k, v + 2k, … Reads and writes come from the trace when it records them, else
/// from <see cref="WorkloadSpec.WriteFraction"/>. Think time is the gap between a vCPU's consecutive records times
/// <see cref="TimeScale"/>, or the base <see cref="WorkloadSpec.ThinkNs"/> when <see cref="TimeScale"/> is 0.
/// </summary>
public sealed record TraceWorkload : WorkloadSpec
{
    private static readonly ConditionalWeakTable<TraceWorkload, TraceTable> Scanned = [];
    private static readonly Dictionary<(TracePageSource, long Length, DateTime Modified), WeakReference<TraceTable>> BySource = [];

    public required string Path
    {
        get;
        init => field = !string.IsNullOrWhiteSpace(value) ? value : throw new ArgumentException("a trace workload needs a trace file path", nameof(Path));
    }

    public TraceFormat Format { get; init; } = CsvTraceReader.Format;
    /// <summary>Column layout when <see cref="Format"/> is CSV (default <c>timestamp,obj_id,size,op</c>).</summary>
    public CsvTraceColumns? CsvColumns { get; init; }
    public PageMapping Mapping
    {
        get;
        init => field = value ?? throw new ArgumentException("a trace workload needs a page mapping", nameof(Mapping));
    } = PageMapping.ObjectPerPage;

    /// <summary>Times the trace is played; 0 = repeat forever.</summary>
    public int Loops
    {
        get;
        init => field = value >= 0 ? value : throw new ArgumentException($"loops must be >= 0 (0 = forever), got {value}", nameof(Loops));
    } = 1;

    /// <summary>Multiplier from trace time to simulated time (0.5 = twice as fast); 0 = ignore trace timestamps.</summary>
    public double TimeScale
    {
        get;
        init => field = value >= 0 && double.IsFinite(value) ? value
            : throw new ArgumentException($"time scale must be a finite number >= 0, got {value}", nameof(TimeScale));
    }

    /// <summary>Distinct pages the trace touches under <see cref="Mapping"/> (scans the file on first use).</summary>
    public int DistinctPages => Table().Map.UniquePages;

    /// <summary>
    /// Everything <see cref="DistinctPages"/> depends on, and nothing else: traces with equal page sources touch the
    /// same pages, so a caller can count them once for all (the scan reads its inputs from here to keep that true).
    /// </summary>
    public TracePageSource PageSource => new(Path, Format, CsvColumns, Mapping);

    public override IAccessSource Create(int guestPages, int vcpu, int vcpuCount, RngStream rng)
    {
        if (vcpuCount < 1 || vcpu < 0 || vcpu >= vcpuCount)
            throw new ArgumentOutOfRangeException(nameof(vcpu), vcpu, $"vCPU must be in [0, {vcpuCount})");
        var table = Table();
        if (table.Map.UniquePages > guestPages)
            throw new ArgumentException($"trace {Path} touches {table.Map.UniquePages} distinct pages, more than the guest's {guestPages} pages");
        return new Source(this, table, vcpu, vcpuCount, rng);
    }

    /// <summary>The page map and, for a trace of at most 64 MiB in memory, its requests: one per page source, shared by every vCPU and guest.</summary>
    public override IEnumerable<WorkloadTable> Tables(int guestPages) => [new(PageSource, Table().Bytes)];

    /// <summary>
    /// The one scan of this trace, shared by every workload with the same <see cref="PageSource"/> while any holds it
    /// (the file is read here, and again only by replays of traces too large to keep in memory).
    /// </summary>
    private TraceTable Table()
    {
        lock (Scanned)
        {
            if (Scanned.TryGetValue(this, out var table)) return table;
            var source = PageSource;
            // A file rewritten in place (same path, new contents) is a new trace.
            var file = new FileInfo(source.Path);
            var key = (source, file.Exists ? file.Length : -1, file.Exists ? file.LastWriteTimeUtc : default);
            if (!(BySource.TryGetValue(key, out var weak) && weak.TryGetTarget(out table)))
            {
                table = TraceTable.Scan(source);
                BySource[key] = new WeakReference<TraceTable>(table);
            }
            Scanned.Add(this, table);
            return table;
        }
    }

    private sealed class Source(TraceWorkload spec, TraceTable table, int vcpu, int vcpuCount, RngStream rng) : IAccessSource, IDisposable
    {
        private ITraceReader? _reader;
        private int _loopsDone;
        private TraceRequest _request;
        private ulong _nextPage;
        private long _pagesLeft;
        private long _previousTimeNs = -1;
        private bool _ended;
        private bool _recordThisPass;

        public bool Next(long now, ref GuestAccess access)
        {
            long think = 0;
            if (_pagesLeft == 0)
            {
                if (!NextRecord()) return false;
                think = ThinkFor(_request.TimeNs);
            }
            access.Page = table.Map.Find(_nextPage);
            access.IsWrite = _request.Op switch
            {
                TraceOp.Write => true,
                TraceOp.Read => false,
                _ => spec.WriteFraction > 0 && rng.NextDouble() < spec.WriteFraction,
            };
            access.ThinkNs = think;
            _nextPage++;
            _pagesLeft--;
            return true;
        }

        /// <summary>This vCPU's next record: skip the other vCPUs' records, start over for another loop.</summary>
        private bool NextRecord()
        {
            while (!_ended)
            {
                _reader ??= table.Open();
                if (_reader.Read(ref _request))
                {
                    if ((_reader.RecordNumber - 1) % vcpuCount != vcpu) continue;
                    (_nextPage, _pagesLeft) = spec.Mapping.Pages(_request);
                    _recordThisPass = true;
                    return true;
                }
                _reader.Dispose();
                _reader = null;
                _previousTimeNs = -1;
                // A vCPU with no record in the whole trace (more vCPUs than records) has nothing to loop over.
                _ended = !_recordThisPass || (spec.Loops != 0 && ++_loopsDone >= spec.Loops);
                _recordThisPass = false;
            }
            return false;
        }

        private long ThinkFor(long timeNs)
        {
            if (spec.TimeScale == 0)
                return spec.ThinkNs > 0 ? (long)Math.Round(rng.NextExponential(spec.ThinkNs)) : 0;
            long gap = _previousTimeNs < 0 ? 0 : Math.Max(0, timeNs - _previousTimeNs);
            _previousTimeNs = timeNs;
            return (long)Math.Round(gap * spec.TimeScale);
        }

        public void Dispose() => _reader?.Dispose();
    }
}

/// <summary>The inputs that decide which pages a trace touches: the file, how to read it, and how requests become pages.</summary>
public sealed record TracePageSource(string Path, TraceFormat Format, CsvTraceColumns? CsvColumns, PageMapping Mapping);
