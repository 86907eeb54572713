using HvSim.Engine;
using HvSim.Model.Config;

namespace HvSim.Model.Mm;

/// <summary>
/// A swap block device: each request waits in FIFO order for one of <see cref="SwapDeviceConfig.ParallelSlots"/>
/// service slots, takes a random access latency (mean and CV: constant, exponential or lognormal), then transfers its
/// bytes through a shared channel of <see cref="SwapDeviceConfig.BandwidthBytesPerSecond"/>.
/// </summary>
public sealed class SwapDevice
{
    private readonly SwapDeviceConfig _config;
    private readonly RngStream _rng;
    private readonly long[] _slotFreeAt;
    private readonly double _sigma, _mu;
    private long _channelFreeAt;

    public SwapDevice(SwapDeviceConfig config, RngStream rng)
    {
        if (config.ParallelSlots < 1) throw new ArgumentOutOfRangeException(nameof(config), config.ParallelSlots, "swap parallel slots must be >= 1");
        if (config.LatencyMeanNs < 0 || config.LatencyCv < 0) throw new ArgumentOutOfRangeException(nameof(config), "swap latency mean and CV must be >= 0");
        _config = config;
        _rng = rng;
        _slotFreeAt = new long[config.ParallelSlots];
        _sigma = Math.Sqrt(Math.Log(1 + config.LatencyCv * config.LatencyCv));
        _mu = Math.Log(Math.Max(1, config.LatencyMeanNs)) - _sigma * _sigma / 2;
    }

    /// <summary>Requests submitted so far.</summary>
    public long Requests { get; private set; }

    /// <summary>Service latency of one request, ns.</summary>
    private long SampleLatency()
    {
        double cv = _config.LatencyCv;
        if (cv == 0 || _config.LatencyMeanNs == 0) return _config.LatencyMeanNs;
        if (Math.Abs(cv - 1) < 1e-12) return (long)Math.Round(_rng.NextExponential(_config.LatencyMeanNs));
        return (long)Math.Round(MathNet.Numerics.Distributions.LogNormal.Sample(_rng, _mu, _sigma));
    }

    /// <summary>Queue a request of <paramref name="bytes"/> at <paramref name="t"/>; returns its completion time.</summary>
    public long Submit(long t, long bytes)
    {
        Requests++;
        int k = 0;
        for (int i = 1; i < _slotFreeAt.Length; i++)
            if (_slotFreeAt[i] < _slotFreeAt[k]) k = i;
        long start = Math.Max(t, _slotFreeAt[k]);
        long end = start + SampleLatency();
        if (_config.BandwidthBytesPerSecond > 0)
        {
            long transfer = (long)Math.Ceiling(bytes * 1e9 / _config.BandwidthBytesPerSecond);
            end = Math.Max(end, _channelFreeAt) + transfer;
            _channelFreeAt = end;
        }
        _slotFreeAt[k] = end;
        return end;
    }
}
