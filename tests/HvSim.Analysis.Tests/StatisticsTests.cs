using HvSim.Analysis.Statistics;
using HvSim.Analysis.Tables;

namespace HvSim.Analysis.Tests;

public class StatisticsTests : IDisposable
{
    private readonly TempFolders _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void ConfidenceIntervalMatchesTextbookStudentT()
    {
        // 10, 12, 14, 16, 18: mean 14, s^2 = (16+4+0+4+16)/4 = 10; t(0.975, 4) = 2.776 (textbook table).
        var s = ReplicationStats.Of([10, 12, 14, 16, 18]);
        Assert.Equal(5, s.N);
        Assert.Equal(14, s.Mean, 12);
        Assert.Equal(Math.Sqrt(10), s.Sd, 12);
        double half = 2.776 * Math.Sqrt(10) / Math.Sqrt(5);
        Assert.Equal(14 - half, s.CiLow, 2);
        Assert.Equal(14 + half, s.CiHigh, 2);
    }

    [Fact]
    public void TwoReplicationsUseTwelvePointSevenOhSix()
    {
        // t(0.975, 1) = 12.706; values 1 and 3: mean 2, s = sqrt(2), half = 12.706 * sqrt(2) / sqrt(2) = 12.706.
        var s = ReplicationStats.Of([1, 3]);
        Assert.Equal(2 - 12.706, s.CiLow, 2);
        Assert.Equal(2 + 12.706, s.CiHigh, 2);
    }

    [Fact]
    public void OneReplicationHasNoSpread()
    {
        var s = ReplicationStats.Of([7]);
        Assert.Equal(1, s.N);
        Assert.Equal(7, s.Mean);
        Assert.True(double.IsNaN(s.Sd));
        Assert.True(double.IsNaN(s.CiLow));
        Assert.True(double.IsNaN(s.CiHigh));
    }

    [Theory]
    [InlineData(0.5, 10.0)]   // rank 5 of 10: the end of the first bucket
    [InlineData(0.75, 15.0)]  // rank 7.5: half-way into [10, 20)
    [InlineData(0.99, 19.8)]  // rank 9.9: 4.9 of 5 samples into [10, 20)
    [InlineData(0.1, 2.0)]    // rank 1 of 5 in [0, 10)
    public void BucketQuantileInterpolatesInsideTheBucket(double q, double expected)
    {
        LatencyBucket[] buckets = [new(10, 20, 5), new(0, 10, 5)];
        Assert.Equal(expected, BucketQuantile.Quantile(buckets, q), 9);
    }

    [Fact]
    public void BucketQuantileMergesGuestsWithTheSameBuckets()
    {
        // Two guests' [100, 200) buckets add up to 90 samples, [200, 300) holds 10: p99 = rank 99 -> 200 + 100 * 9/10.
        LatencyBucket[] buckets = [new(100, 200, 40), new(100, 200, 50), new(200, 300, 10)];
        Assert.Equal(290, BucketQuantile.Quantile(buckets, 0.99), 9);
        var (x, f) = BucketQuantile.Cdf(buckets);
        Assert.Equal([200.0, 300.0], x);
        Assert.Equal([0.9, 1.0], f);
    }

    [Fact]
    public void RunMetricsFromKnownNumbers()
    {
        using var fx = new ResultsFixture();
        fx
            // replication 1: guest a stalls 2 of 10 s, guest b 4 of 10 s; 50 + 30 major faults in the 9 s after the 1 s warm-up.
            .Guest("power7", 1, "a", accesses: 1000, hdsi: 100, major: 50, stalledS: 2, swapOuts: 7)
            .Guest("power7", 1, "b", accesses: 3000, hdsi: 60, major: 30, stalledS: 4, swapOuts: 5)
            .Guest("power7", 1, "c", admitted: false)
            // replication 2: both stall 1 of 10 s.
            .Guest("power7", 2, "a", accesses: 1000, major: 10, stalledS: 1)
            .Guest("power7", 2, "b", accesses: 1000, major: 10, stalledS: 1)
            .HostSample("power7", 1, 1, free: 10, swapUsed: 0)      // warm-up, cut
            .HostSample("power7", 1, 2, free: 500, swapUsed: 64)
            .HostSample("power7", 1, 3, free: 300, swapUsed: 128)
            .Bucket("power7", 1, "a", 0, 10, 50).Bucket("power7", 1, "b", 10, 20, 50);
        fx.Write(manifestJson: fx.Manifest(ResultsFixture.Config(durationNs: 10_000_000_000, warmupNs: 1_000_000_000) with { Costs = new HvSim.Model.Config.CostConfig { AccessNs = 200 } }));
        var folder = ResultsFolder.Load(fx.Dir);
        var obs = RunMetrics.Compute(folder);
        double Get(int rep, Metric m, string guest = "") => obs.Single(o => o.Run.Replication == rep && o.Metric == m && o.Guest == guest).Value;

        Assert.Equal(2, Get(1, Metric.AdmittedGuests));
        Assert.Equal(1, Get(1, Metric.RefusedGuests));
        Assert.Equal((0.2 + 0.4) / 2, Get(1, Metric.StallFraction), 12);
        Assert.Equal(0.4, Get(1, Metric.StallFractionMax), 12);
        Assert.Equal(0.4, Get(1, Metric.StallFraction, "b"), 12);
        // Slowdown: 20 vCPU-seconds did 14 s of useful work (6 s stalled): 20 / 14 = 1.4286x; guest a 10/8, b 10/6.
        Assert.Equal(20.0 / 14, Get(1, Metric.SlowdownFactor), 12);
        Assert.Equal(1.25, Get(1, Metric.SlowdownFactor, "a"), 12);
        Assert.Equal(10.0 / 6, Get(1, Metric.SlowdownFactorMax), 12);
        // Useful work: 4000 accesses of the admitted guests in the 9 measured seconds.
        Assert.Equal(4000.0 / 9, Get(1, Metric.HostThroughput), 9);
        // Counters are post-warm-up; without host.csv's measured_s the time is the run's duration − warm-up = 9 s.
        Assert.Equal(80.0 / 9, Get(1, Metric.MajorFaultRate), 12);
        Assert.Equal((50.0 / 9 + 30.0 / 9) / 2, Get(1, Metric.MajorFaultRatePerGuest), 12);
        Assert.Equal(12, Get(1, Metric.PagesSwappedOut)); // 7 + 5
        // EAT: 0.2 µs access + 6 s stalled * 1e6 / 4000 accesses = 1500.2 µs.
        Assert.Equal(0.2 + 6e6 / 4000, Get(1, Metric.EffectiveAccessTime), 9);
        Assert.Equal(0.2 + 2e6 / 1000, Get(1, Metric.EffectiveAccessTime, "a"), 9);
        // Latency buckets: a's 50 in [0, 10), b's 50 in [10, 20). p50 = rank 50, the end of the first bucket: 10;
        // p99 = rank 99, 49 of 50 into [10, 20): 19.8; a alone: rank 49.5 of 50 in [0, 10): 9.9.
        Assert.Equal(10.0, Get(1, Metric.FaultLatencyP50), 9);
        Assert.Equal(19.8, Get(1, Metric.FaultLatencyP99), 9);
        Assert.Equal(9.9, Get(1, Metric.FaultLatencyP99, "a"), 9);
        Assert.Equal(300, Get(1, Metric.HostFreeMin));   // min(500, 300): the warm-up sample (10) is cut
        Assert.Equal(128, Get(1, Metric.SwapUsedMax));   // max(64, 128) of the samples after the warm-up

        var stats = StatsTable.Aggregate(obs);
        var slowdown = stats.Single(r => r.Metric == Metric.StallFraction && r.Guest == "");
        Assert.Equal(2, slowdown.Stats.N);
        Assert.Equal((0.3 + 0.1) / 2, slowdown.Stats.Mean, 12);
        double half = 12.706 * Math.Sqrt(0.02) / Math.Sqrt(2); // s = sqrt(((0.1)^2 + (0.1)^2) / 1)
        // 0.2 ± 1.27: a stall fraction's interval is cut to [0, 1].
        Assert.True(0.2 + half > 1 && 0.2 - half < 0);
        Assert.Equal(0.0, slowdown.Stats.CiLow);
        Assert.Equal(1.0, slowdown.Stats.CiHigh);
    }

    [Fact]
    public void StatsCsvIsTidyWithSweepColumns()
    {
        using var fx = new ResultsFixture(batch: true)
            .Guest("power7", 1, "a", major: 10, runId: "r1").Guest("power7", 2, "a", major: 30, runId: "r2")
            .Guest("power7", 1, "a", major: 100, runId: "r3")
            // runs.csv as `hvsim batch` writes it: settings that follow from the sweep (guests, guest_memory_bytes) are not parameters.
            .Write(runsCsv: "run_id,scenario,point,platform,replication,seed,host_memory_bytes,host_page_size_bytes,swap_device,aging,guests,guest_memory_bytes,duration_s,guests.count\n"
                + "r1,quick,0,power7,1,101,8589934592,65536,ssd,r_bit,2,2147483648,10,2\n"
                + "r2,quick,0,power7,2,102,8589934592,65536,ssd,r_bit,2,2147483648,10,2\n"
                + "r3,quick,1,power7,1,101,8589934592,65536,ssd,r_bit,10,10737418240,10,10\n");
        var folder = ResultsFolder.Load(fx.Dir);
        var stats = StatsTable.Aggregate(RunMetrics.Compute(folder));
        string path = Path.Combine(fx.Dir, "stats.csv");
        StatsTable.Write(path, stats, folder.Runs!.Parameters);
        var lines = File.ReadAllLines(path);
        Assert.Equal("scenario,platform,guests.count,guest,metric,unit,n,mean,sd,ci95_low,ci95_high", lines[0]);
        // guests.count=2: major faults/s 1 and 3 -> mean 2, sd sqrt(2).
        var row = lines.Single(l => l.StartsWith("quick,power7,2,,major_faults_per_s,", StringComparison.Ordinal)).Split(',');
        Assert.Equal("2", row[6]);
        Assert.Equal(2.0, double.Parse(row[7], System.Globalization.CultureInfo.InvariantCulture), 12);
        Assert.Equal(Math.Sqrt(2), double.Parse(row[8], System.Globalization.CultureInfo.InvariantCulture), 12);
        var single = lines.Single(l => l.StartsWith("quick,power7,10,,major_faults_per_s,", StringComparison.Ordinal)).Split(',');
        Assert.Equal("1", single[6]);
        Assert.Equal("", single[8]); // one replication: no sd
        // Numeric sweep order: 2 before 10.
        Assert.True(Array.FindIndex(lines, l => l.StartsWith("quick,power7,2,", StringComparison.Ordinal))
                    < Array.FindIndex(lines, l => l.StartsWith("quick,power7,10,", StringComparison.Ordinal)));
    }

    [Fact]
    public void NotAResultsFolderIsAClearError()
    {
        var dir = _temp.New("hvsim-analysis-");
        var e = Assert.Throws<ResultsFolderException>(() => ResultsFolder.Load(dir));
        Assert.Contains("not a results folder", e.Message);
        Assert.Contains("summary.csv", e.Message);
    }

    [Fact]
    public void MalformedOptionalColumnNamesFileLineAndColumn()
    {
        using var fx = new ResultsFixture().Guest("power7", 1, "a").HostSample("power7", 1, 1, free: 10, swapUsed: 0).Write();
        var path = Path.Combine(fx.Dir, "timeseries.csv");
        var lines = File.ReadAllLines(path);
        File.WriteAllLines(path, [lines[0] + ",swap_queued_reads", lines[1] + ",many"]);
        var e = Assert.Throws<ResultsFolderException>(() => ResultsFolder.Load(fx.Dir));
        Assert.Equal($"{path}:2: column 'swap_queued_reads': 'many' is not a whole number", e.Message);
    }

    [Fact]
    public void MalformedNumberNamesFileLineColumnAndWhatWasExpected()
    {
        using var fx = new ResultsFixture().Guest("power7", 1, "a").Write();
        var path = Path.Combine(fx.Dir, "summary.csv");
        string text = File.ReadAllText(path);
        File.WriteAllText(path, text.Replace(",1000,", ",lots,"));
        // The value sits on line 2 (the header is line 1), in whichever column held 1000: name it as the header does.
        var header = text.Split('\n')[0].Split(',');
        var row = text.Split('\n')[1].Split(',');
        string column = header[Array.IndexOf(row, "1000")];
        var e = Assert.Throws<ResultsFolderException>(() => ResultsFolder.Load(fx.Dir));
        Assert.Equal($"{path}:2: column '{column}': 'lots' is not a whole number", e.Message);
    }
}
