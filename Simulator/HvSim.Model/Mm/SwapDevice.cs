using HvSim.Engine;
using HvSim.Engine.Monitors;
using HvSim.Model.Config;

namespace HvSim.Model.Mm;

/// <summary>
/// A swap block device behind the 3.x CFQ elevator: sync reads (swap-ins) and async writes (pageout) wait in separate
/// FIFO queues and a free service slot always takes the oldest read first. Each of
/// <see cref="SwapDeviceConfig.ParallelSlots"/> slots serves one request: a random access latency (mean and CV:
/// constant, exponential or lognormal; or a measured histogram), then its bytes through a shared channel of
/// <see cref="SwapDeviceConfig.BandwidthBytesPerSecond"/>. Async writes are bounded by the request list
/// (nr_requests = 128 per direction, block/blk-core.c get_request_wait); the queue is write-congested from 113 queued
/// writes until it drains below 103 (blk_queue_congestion_threshold), and each write freed below that wakes
/// congestion_wait sleepers (__freed_request -> clear_bdi_congested).
/// </summary>
public sealed class SwapDevice
{
    /// <summary>BLKDEV_MAX_RQ: request descriptors per direction.</summary>
    public const int NrRequests = 128;
    public const int CongestionOn = NrRequests - NrRequests / 8 + 1;
    public const int CongestionOff = NrRequests - NrRequests / 8 - NrRequests / 16 - 1;
    /// <summary>queue_max_sectors = BLK_DEF_MAX_SECTORS (1024 sectors of 512 B): the largest request a bio merges into.</summary>
    public const long MaxRequestBytes = 1024 * 512;

    private readonly Simulation _sim;
    private readonly SwapDeviceConfig _config;
    private readonly RngStream _rng;
    private readonly ISwapCompletion _completion;
    private readonly double _sigma, _mu;
    private readonly Queue<SwapRequest> _reads = new();
    private readonly Queue<SwapRequest> _writes = new();
    private readonly SwapRequest[] _inService;
    private readonly bool[] _slotBusy;
    private readonly Action[] _slotDone;
    private readonly Action _dispatch;
    private ScheduledCall _pendingDispatch;
    private long _dispatchAt;
    private long _channelFreeAt;
    private int _busySlots;
    private long _busySince;
    private long _busyNs;
    private long _measureFrom;
    private SimEvent? _writeDone;
    private SimEvent? _congestionCleared;

    public SwapDevice(Simulation sim, SwapDeviceConfig config, RngStream rng, ISwapCompletion completion)
    {
        if (config.ParallelSlots < 1) throw new ArgumentOutOfRangeException(nameof(config), config.ParallelSlots, "swap parallel slots must be >= 1");
        if (config.LatencyMeanNs < 0 || config.LatencyCv < 0) throw new ArgumentOutOfRangeException(nameof(config), "swap latency mean and CV must be >= 0");
        _sim = sim;
        _config = config;
        _rng = rng;
        _completion = completion;
        _sigma = Math.Sqrt(Math.Log(1 + config.LatencyCv * config.LatencyCv));
        _mu = Math.Log(Math.Max(1, config.LatencyMeanNs)) - _sigma * _sigma / 2;
        _inService = new SwapRequest[config.ParallelSlots];
        _slotBusy = new bool[config.ParallelSlots];
        _slotDone = new Action[config.ParallelSlots];
        for (int k = 0; k < _slotDone.Length; k++)
        {
            int slot = k;
            _slotDone[k] = () => Complete(slot);
        }
        _dispatch = Dispatch;
    }

    /// <summary>Requests submitted so far.</summary>
    public long Requests { get; private set; }

    /// <summary>Reads waiting or in service.</summary>
    public int QueuedReads { get; private set; }

    /// <summary>Async writes waiting or in service (allocated request descriptors).</summary>
    public int QueuedWrites { get; private set; }

    /// <summary>bdi_write_congested: set at <see cref="CongestionOn"/> queued writes, cleared below <see cref="CongestionOff"/>.</summary>
    public bool WriteCongested { get; private set; }

    /// <summary>No free async request descriptor: a writer would sleep in get_request_wait.</summary>
    public bool WriteRequestsExhausted => QueuedWrites >= NrRequests;

    /// <summary>Triggered when a write completes and frees its request (get_request_wait wake-up).</summary>
    public SimEvent WriteDone => _writeDone ??= _sim.NewEvent();

    /// <summary>
    /// Triggered when a write request is freed with fewer than <see cref="CongestionOff"/> writes left: clear_bdi_congested
    /// wakes congestion_wait(BLK_RW_ASYNC) sleepers (backing-dev.c).
    /// </summary>
    public SimEvent CongestionCleared => _congestionCleared ??= _sim.NewEvent();

    /// <summary>Time since the last <see cref="ResetStatistics"/> with at least one request in service.</summary>
    public long BusyNs(long now) => _busyNs + (_busySlots > 0 ? now - Math.Max(_busySince, _measureFrom) : 0);

    /// <summary>Queue wait (submission to dispatch) of reads and writes queued since the last reset.</summary>
    public LogHistogram ReadWait { get; private set; } = new();
    public LogHistogram WriteWait { get; private set; } = new();

    /// <summary>Start measuring afresh at <paramref name="now"/> (end of warm-up).</summary>
    public void ResetStatistics(long now)
    {
        _busyNs = 0;
        _measureFrom = now;
        ReadWait = new LogHistogram();
        WriteWait = new LogHistogram();
    }

    /// <summary>Service latency of one request, ns: from the measured histogram when there is one, else mean and CV.</summary>
    private long SampleLatency()
    {
        if (_config.LatencyHistogram is { } measured) return measured.Sample(_rng);
        double cv = _config.LatencyCv;
        if (cv == 0 || _config.LatencyMeanNs == 0) return _config.LatencyMeanNs;
        if (Math.Abs(cv - 1) < 1e-12) return (long)Math.Round(_rng.NextExponential(_config.LatencyMeanNs));
        return (long)Math.Round(MathNet.Numerics.Distributions.LogNormal.Sample(_rng, _mu, _sigma));
    }

    /// <summary>
    /// submit_bio at <paramref name="request"/>.QueuedAt (at or after now): queue it; the device dispatches it when a
    /// slot is free and no older request of higher priority waits. Completion calls <see cref="ISwapCompletion.EndIo"/>.
    /// </summary>
    public void Submit(in SwapRequest request)
    {
        if (request.QueuedAt < _sim.Now) throw new ArgumentOutOfRangeException(nameof(request), request.QueuedAt, "a request cannot be queued in the past");
        Requests++;
        if (request.IsRead)
        {
            _reads.Enqueue(request);
            QueuedReads++;
        }
        else
        {
            _writes.Enqueue(request);
            QueuedWrites++;
            if (QueuedWrites >= CongestionOn) WriteCongested = true;
        }
        // Dispatch when the submitter's clock reaches the queue (a reclaim pass submits after its tlbies).
        if (_busySlots < _slotBusy.Length) DispatchAt(request.QueuedAt);
    }

    /// <summary>Make sure a dispatch runs at <paramref name="t"/> (or earlier).</summary>
    private void DispatchAt(long t)
    {
        if (_pendingDispatch.IsPending)
        {
            if (_dispatchAt <= t) return;
            _pendingDispatch.Cancel();
        }
        _dispatchAt = t;
        _pendingDispatch = _sim.Schedule(t - _sim.Now, _dispatch);
    }

    /// <summary>The elevator's dispatch: every free slot takes the oldest queued read, else the oldest write.</summary>
    private void Dispatch()
    {
        long now = _sim.Now;
        for (int k = 0; k < _slotBusy.Length; k++)
        {
            if (_slotBusy[k]) continue;
            SwapRequest r;
            if (_reads.Count > 0 && _reads.Peek().QueuedAt <= now) r = _reads.Dequeue();
            else if (_writes.Count > 0 && _writes.Peek().QueuedAt <= now) r = _writes.Dequeue();
            else break;
            if (r.QueuedAt >= _measureFrom) (r.IsRead ? ReadWait : WriteWait).Add(now - r.QueuedAt);
            long end = now + SampleLatency();
            if (_config.BandwidthBytesPerSecond > 0)
            {
                long transfer = (long)Math.Ceiling(r.Bytes * 1e9 / _config.BandwidthBytesPerSecond);
                end = Math.Max(end, _channelFreeAt) + transfer;
                _channelFreeAt = end;
            }
            if (_busySlots++ == 0) _busySince = now;
            _slotBusy[k] = true;
            _inService[k] = r;
            _completion.StartIo(in r);
            _sim.Schedule(end - now, _slotDone[k]);
        }
        // A request queued for a later instant than now (its submitter's clock was ahead): dispatch it then.
        if (_busySlots < _slotBusy.Length)
        {
            long next = long.MaxValue;
            if (_reads.Count > 0) next = _reads.Peek().QueuedAt;
            if (_writes.Count > 0) next = Math.Min(next, _writes.Peek().QueuedAt);
            if (next != long.MaxValue && next > now) DispatchAt(next);
        }
    }

    /// <summary>A slot finished its request: bio_endio, then the slot takes the next request.</summary>
    private void Complete(int k)
    {
        long now = _sim.Now;
        var r = _inService[k];
        _inService[k] = default;
        _slotBusy[k] = false;
        if (--_busySlots == 0) _busyNs += now - Math.Max(_busySince, _measureFrom);
        if (r.IsRead) QueuedReads--;
        else
        {
            QueuedWrites--;
            if (QueuedWrites < CongestionOff) WriteCongested = false;
        }
        _completion.EndIo(in r);
        if (!r.IsRead)
        {
            if (_writeDone != null)
            {
                var e = _writeDone;
                _writeDone = null;
                e.Trigger();
            }
            if (_congestionCleared != null && QueuedWrites < CongestionOff)
            {
                var e = _congestionCleared;
                _congestionCleared = null;
                e.Trigger();
            }
        }
        Dispatch();
    }
}
