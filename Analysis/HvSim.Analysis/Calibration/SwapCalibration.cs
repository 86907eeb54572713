using System.Diagnostics;
using System.Globalization;
using HvSim.Engine.Monitors;
using HvSim.Model.Config;
using HvSim.Scenarios.Language;

namespace HvSim.Analysis.Calibration;

/// <summary>What `hvsim calibrate swap` measures: every page size x direction x queue depth, a bounded number of I/Os each.</summary>
public sealed record SwapCalibrationPlan
{
    public required string Path { get; init; }
    /// <summary>Bytes of the file the command creates (a new file) or the span of an existing file or device it reads.</summary>
    public required long SizeBytes { get; init; }
    public IReadOnlyList<int> PageSizes { get; init; } = [4 << 10, 64 << 10];
    public int MaxDepth { get; init; } = 4;
    public int IosPerPoint { get; init; } = 2000;
    /// <summary>Writes only go to a file the command created itself, never to a user's file or device.</summary>
    public bool Writes { get; init; }
    /// <summary>The page size whose queue-depth-1 reads become the scenario's service-time histogram.</summary>
    public int ScenarioPageSize { get; init; } = 64 << 10;

    public IEnumerable<(int PageSize, bool Write, int Depth)> Points() =>
        from size in PageSizes
        from write in Writes ? new[] { false, true } : [false]
        from depth in Enumerable.Range(1, MaxDepth)
        select (size, write, depth);
}

/// <summary>One measured point: per-I/O service times (submission to completion, ns) and the throughput it reached.</summary>
public sealed record SwapCalibrationPoint(int PageSize, bool Write, int Depth, LogHistogram Latency, double WallSeconds)
{
    public double Iops => Latency.Count / WallSeconds;
}

/// <summary>
/// Measures a swap device the way swap uses it: random page-sized, page-aligned O_DIRECT reads (swap-ins) and writes
/// (pageout), each of <c>depth</c> threads keeping one I/O in flight (queue depth = threads). Offsets come from a
/// fixed seed, so two calibrations of one device issue the same I/Os.
/// </summary>
public static class SwapCalibration
{
    /// <summary>Buckets per octave of the histogram written into the scenario (about 9 % wide).</summary>
    public const int BucketsPerOctave = 8;

    /// <summary>Fill a new file of the plan's size with data (so reads hit written blocks, not holes).</summary>
    public static void Fill(string path, long bytes, Action<long> progress)
    {
        const int chunk = 1 << 20;
        var data = new byte[chunk];
        new Random(1).NextBytes(data);
        using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 0, FileOptions.WriteThrough);
        for (long done = 0; done < bytes; done += chunk)
        {
            stream.Write(data, 0, (int)Math.Min(chunk, bytes - done));
            progress(Math.Min(chunk, bytes - done));
        }
        stream.Flush(flushToDisk: true);
    }

    /// <summary>Measure one point; <paramref name="progress"/> is called once per completed I/O (from several threads).</summary>
    public static SwapCalibrationPoint Measure(SwapCalibrationPlan plan, int pageSize, bool write, int depth, Action progress)
    {
        using var file = new DirectFile(plan.Path, write);
        long span = Math.Min(plan.SizeBytes, file.Length) / pageSize;
        if (span < 1) throw new IOException($"{plan.Path} holds less than one {pageSize}-byte page");
        var histograms = new LogHistogram[depth];
        var clock = Stopwatch.StartNew();
        Parallel.For(0, depth, new ParallelOptions { MaxDegreeOfParallelism = depth }, thread =>
        {
            var histogram = histograms[thread] = new LogHistogram();
            var random = new Random(HashCode.Combine(pageSize, write, depth, thread) & 0x7fffffff);
            using var buffer = new AlignedBuffer(pageSize);
            int ios = plan.IosPerPoint / depth + (thread < plan.IosPerPoint % depth ? 1 : 0);
            for (int i = 0; i < ios; i++)
            {
                long offset = random.NextInt64(span) * pageSize;
                long start = Stopwatch.GetTimestamp();
                file.Transfer(buffer, pageSize, offset, write);
                histogram.Add((long)(Stopwatch.GetElapsedTime(start).Ticks * 100)); // a tick is 100 ns
                progress();
            }
        });
        double wall = clock.Elapsed.TotalSeconds;
        var all = new LogHistogram();
        foreach (var h in histograms) all.Merge(h);
        return new SwapCalibrationPoint(pageSize, write, depth, all, wall);
    }

    /// <summary>The service-time histogram a scenario samples: the point's buckets merged to <see cref="BucketsPerOctave"/> per octave.</summary>
    public static LatencyHistogram ServiceTime(SwapCalibrationPoint point)
    {
        var merged = new SortedDictionary<int, (long Lower, long Upper, long Count)>();
        foreach (var (lower, upper, count) in point.Latency.Buckets())
        {
            int octaveBucket = (int)Math.Floor(Math.Log2(Math.Max(1, lower)) * BucketsPerOctave);
            merged[octaveBucket] = merged.TryGetValue(octaveBucket, out var m)
                ? (Math.Min(m.Lower, lower), Math.Max(m.Upper, upper), m.Count + count)
                : (lower, upper, count);
        }
        return new LatencyHistogram(merged.Values.Select(b => new LatencyBucket(b.Lower, b.Upper, b.Count)).ToList());
    }

    /// <summary>
    /// Parallel slots of the device: the smallest queue depth whose read throughput reaches 90 % of the best one
    /// measured (past it, more requests in flight only queue).
    /// </summary>
    public static int Slots(IReadOnlyList<SwapCalibrationPoint> points, int pageSize)
    {
        var reads = points.Where(p => p.PageSize == pageSize && !p.Write).OrderBy(p => p.Depth).ToList();
        double best = reads.Max(p => p.Iops);
        return reads.First(p => p.Iops >= 0.9 * best).Depth;
    }

    /// <summary>
    /// The `host: swap:` block a scenario `extends:`: the measured read service-time histogram at queue depth 1 for
    /// the plan's scenario page size, and the slots. Bandwidth is left unlimited: the measured times already include
    /// the transfer of one page.
    /// </summary>
    public static string ScenarioBlock(SwapCalibrationPlan plan, IReadOnlyList<SwapCalibrationPoint> points, string provenance)
    {
        var qd1 = points.Single(p => p.PageSize == plan.ScenarioPageSize && !p.Write && p.Depth == 1);
        var histogram = ServiceTime(qd1);
        var ci = CultureInfo.InvariantCulture;
        string Us(double ns) => (ns / 1000).ToString("0.#", ci) + " us";
        return $"""
            # {ScenarioHeader} {provenance}
            # {Units.FormatSize(plan.ScenarioPageSize)} random O_DIRECT reads at queue depth 1: mean {Us(qd1.Latency.Mean)}, p50 {Us(qd1.Latency.Quantile(0.5))}, p99 {Us(qd1.Latency.Quantile(0.99))}, p99.9 {Us(qd1.Latency.Quantile(0.999))} ({qd1.Latency.Count} I/Os).
            # A scenario takes this block with `extends: <this file>`; its own keys override these.
            host:
              swap:
                latency_histogram: "{LatencyHistogramText.Format(histogram)}"
                slots: {Slots(points, plan.ScenarioPageSize).ToString(ci)}
                bandwidth: 0

            """;
    }

    /// <summary>First words of every file the command writes: it overwrites only files that start with them.</summary>
    public const string ScenarioHeader = "Swap device measured by `hvsim calibrate swap`:";
}
