using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using HvSim.Model.Config;
using HvSim.Analysis.Report;
using HvSim.Analysis.Statistics;
using HvSim.Analysis.Tables;

namespace HvSim.Analysis.Tests;

/// <summary>The optional swap-device and post-warm-up columns of summary.csv, host.csv and timeseries.csv.</summary>
public class SwapDeviceColumnsTests
{
    private const string Saturated = "the swap device is saturated: fault latency is mostly queueing";

    /// <summary>
    /// A single run folder in the new format, written as CSV text: POWER7 (3 replications) with a swap device busy
    /// 95/97/99 % of the measured time, PPC970 (3 replications) busy 10 %. Warm-up 2 s of 12 s; measured_s 9.5 s
    /// (the model's own measured time, deliberately not 12 − 2, so the test tells the two apart).
    /// </summary>
    private static string NewFormatFolder()
    {
        string dir = Directory.CreateTempSubdirectory("hvsim-swapcols-").FullName;
        const string summaryHeader = ResultsFixture.SummaryHeader + ",h_remove_calls,protection_faults,exits,vcore_exits,faults_in_flight_at_end,oldest_fault_in_flight_us";
        const string hostHeader = ResultsFixture.HostHeader + ",measured_s,swap_reads,swap_writes,swap_read_requests,swap_write_requests,pages_freed,swap_busy_fraction,swap_read_wait_p50_us,swap_read_wait_p99_us,swap_write_wait_p50_us,swap_write_wait_p99_us";
        const string seriesHeader = ResultsFixture.TimeseriesHeader + ",swap_queued_reads,swap_queued_writes,writeback_bytes";
        var summary = new List<string> { summaryHeader };
        var host = new List<string> { hostHeader };
        var series = new List<string> { seriesHeader };
        string[] busy = ["0.95", "0.97", "0.99"];
        for (int rep = 1; rep <= 3; rep++)
        {
            string p7 = $"quick,power7,{rep},{100 + rep}", p9 = $"quick,ppc970,{rep},{200 + rep}";
            // POWER7 guests: g0 400 + 10·rep major faults, g1 200; 3 and 2 faults still in flight, the oldest 8000 and 6000 µs.
            summary.Add($"{p7},g0,true,,1073741824,1000,0,0,900,{500 - 10 * rep},{400 + 10 * rep},0,10,10,10,0,0,40,700,0,150,,,,,1,10,0.1,12,1,2,3,4,3,8000");
            summary.Add($"{p7},g1,true,,1073741824,1000,0,0,500,300,200,0,10,10,10,0,0,20,300,0,120,,,,,1,10,0.1,12,1,2,3,4,2,6000");
            summary.Add($"{p9},g0,true,,1073741824,1000,0,0,0,0,0,0,0,0,0,0,0,0,0,0,,,,,,0,10,0,12,0,0,0,0,0,0");
            host.Add($"{p7},8589934592,65536,33554432,41943040,50331648,5,0,100,0,9.5,60,1000,50,900,3,{busy[rep - 1]},400,5000,300,2000");
            host.Add($"{p9},8589934592,65536,33554432,41943040,50331648,0,0,0,0,9.5,0,0,0,0,0,0.1,0,50,0,0");
            for (int t = 1; t <= 12; t++)
            {
                series.Add($"{p7},{t},host,,{2000L << 20},{(long)t << 26},0,,,,,,,{t * 3},{t},{(long)t << 21}");
                series.Add($"{p7},{t},g0,{1L << 30},,,,100,10,5,5,4,4,,,");
                series.Add($"{p9},{t},host,,{3000L << 20},0,0,,,,,,,0,0,0");
                series.Add($"{p9},{t},g0,{1L << 30},,,,100,0,0,0,0,0,,,");
            }
        }
        File.WriteAllText(Path.Combine(dir, "summary.csv"), string.Join("\n", summary) + "\n");
        File.WriteAllText(Path.Combine(dir, "host.csv"), string.Join("\n", host) + "\n");
        File.WriteAllText(Path.Combine(dir, "timeseries.csv"), string.Join("\n", series) + "\n");
        var config = ResultsFixture.Config(durationNs: 12_000_000_000, warmupNs: 2_000_000_000) with
        {
            Host = new HostConfig { Swap = new SwapDeviceConfig { LatencyMeanNs = 100_000 } },
        };
        var runs = new JsonArray();
        for (int rep = 1; rep <= 3; rep++)
            foreach (var (platform, seed) in new[] { ("power7", 100 + rep), ("ppc970", 200 + rep) })
                runs.Add(new JsonObject
                {
                    ["run_id"] = $"{platform}-{rep}", ["platform"] = platform, ["replication"] = rep, ["seed"] = seed,
                    ["config"] = HvSim.Analysis.Results.Manifest.Config(config),
                });
        File.WriteAllText(Path.Combine(dir, "manifest.json"), new JsonObject { ["runs"] = runs }.ToJsonString());
        return dir;
    }

    [Fact]
    public void NewColumnsGiveSwapKeyNumbersAndPostWarmupRates()
    {
        string dir = NewFormatFolder();
        try
        {
            var output = ReportBuilder.Build(dir);
            StatRow Host(string platform, Metric m) => output.Stats.Single(r => r.Platform == platform && r.Guest == "" && r.Metric == m);

            Assert.Equal((0.95 + 0.97 + 0.99) / 3, Host("power7", Metric.SwapBusyFraction).Stats.Mean, 12);
            Assert.Equal(0.1, Host("ppc970", Metric.SwapBusyFraction).Stats.Mean, 12);
            Assert.Equal(5000, Host("power7", Metric.SwapReadWaitP99).Stats.Mean, 9);
            // Rates divide post-warm-up counts by measured_s (9.5 s), not by duration − warm-up (10 s) nor simulated_s (12 s):
            // replication r has (400 + 10r) + 200 major faults.
            double expectedMajor = new[] { 1, 2, 3 }.Average(r => (400 + 10 * r + 200) / 9.5);
            Assert.Equal(expectedMajor, Host("power7", Metric.MajorFaultRate).Stats.Mean, 9);
            Assert.Equal(new[] { 1, 2, 3 }.Average(r => ((400 + 10 * r) / 9.5 + 200 / 9.5) / 2), Host("power7", Metric.MajorFaultRatePerGuest).Stats.Mean, 9);
            Assert.Equal(5, Host("power7", Metric.FaultsInFlightAtEnd).Stats.Mean, 12);
            Assert.Equal(8000, Host("power7", Metric.OldestFaultInFlight).Stats.Mean, 12);
            Assert.Equal(0, Host("ppc970", Metric.FaultsInFlightAtEnd).Stats.Mean, 12);

            string html = File.ReadAllText(output.ReportHtml);
            Assert.Contains("Swap busy (%)", html);
            Assert.Contains("p99 swap read wait (ms)", html);                 // 5000 µs: the column picks ms
            Assert.Contains("<td>97<span", html);                             // mean busy fraction in %
            // Saturated on POWER7 only (busy 97 % > 90 %; its read wait p99 5000 µs > 10 × 100 µs as well); PPC970 is
            // busy 10 % with a p99 wait of 50 µs.
            Assert.Single(Regex.Matches(html, Regex.Escape(Saturated)));
            Assert.Contains($"POWER7 (pageable): {Saturated}", html);
            Assert.Single(Regex.Matches(html, "faults still in flight at the end"));
            Assert.Contains("5 faults still in flight at the end", html);

            var swapPlot = Assert.Single(output.Figures, f => f.Name == "swap_device_power7");
            Assert.True(new FileInfo(swapPlot.PngPath).Length > 10_000);
            Assert.DoesNotContain(output.Figures, f => f.Name == "swap_device_ppc970");  // its queues and writeback stay at 0
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void FolderWithoutNewColumnsStillReports()
    {
        using var fx = ReportBuilderTests.TwoPlatformRun();   // warm-up 2 s of 10 s, no measured_s
        var output = ReportBuilder.Build(fx.Dir);
        string html = File.ReadAllText(output.ReportHtml);
        Assert.DoesNotContain("Swap busy", html);
        Assert.DoesNotContain(Saturated, html);
        Assert.DoesNotContain("in flight", html);
        Assert.DoesNotContain(output.Figures, f => f.Name.StartsWith("swap_device", StringComparison.Ordinal));
        Assert.DoesNotContain(output.Stats, r => r.Metric == Metric.SwapBusyFraction);
        // Post-warm-up counts over duration − warm-up: (200 + 100) major faults / (10 − 2) s.
        var major = output.Stats.Single(r => r.Platform == "power7" && r.Guest == "" && r.Metric == Metric.MajorFaultRate);
        Assert.Equal(300 / 8.0, major.Stats.Mean, 9);
    }

    private static KeyNumbersRow Row(double busy, double waitP99) => new("quick", "power7", SweepPoint.None, new Dictionary<Metric, ReplicationStats>
    {
        [Metric.SwapBusyFraction] = ReplicationStats.Of([busy]),
        [Metric.SwapReadWaitP99] = ReplicationStats.Of([waitP99]),
    });

    [Theory]
    [InlineData(0.9, 999, false)]       // at the busy threshold, wait under 10 × 100 µs
    [InlineData(0.91, 10, true)]        // busy alone
    [InlineData(0.2, 1000, false)]      // wait exactly 10 × the latency is not over it
    [InlineData(0.2, 1001, true)]       // wait alone
    public void SaturationNoteExactlyWhenBusyOrQueued(double busy, double waitP99, bool saturated)
    {
        Assert.Equal(saturated, Row(busy, waitP99).Notes(swapLatencyUs: 100).Any(n => n.StartsWith(Saturated, StringComparison.Ordinal)));
    }

    [Fact]
    public void WithoutDeviceLatencyOnlyBusyCounts()
    {
        Assert.Empty(Row(0.5, 1e9).Notes(swapLatencyUs: null));
    }

    [Fact]
    public void CountIntervalsStopAtZeroAndTheReportShowsTheClampedInterval()
    {
        var run = (int rep) => new RunIdentity("", "quick", "power7", rep, (ulong)rep);
        // 0, 0, 30 pages: mean 10, sd √300, t(0.975, 2) = 4.3027 → 10 ± 43.03 would reach −33 pages.
        var obs = new[] { 0.0, 0.0, 30.0 }.Select((v, i) => new Observation(run(i + 1), SweepPoint.None, "", Metric.PagesSwappedOut, v));
        var row = Assert.Single(StatsTable.Aggregate(obs));
        Assert.Equal(0, row.Stats.CiLow);
        Assert.Equal(10 + 4.302653 * Math.Sqrt(300) / Math.Sqrt(3), row.Stats.CiHigh, 3);
        string cell = HtmlReport.Cell(row.Stats);
        Assert.DoesNotContain("±", cell);
        Assert.Contains("[0, 53.03]", cell);
        // An interval that was not cut keeps the ± form: 9, 10, 11 → 10 ± 4.3027 · 1 / √3.
        Assert.Contains("10<span class=\"ci\"> ± 2.484 (n=3)", HtmlReport.Cell(ReplicationStats.Of([9.0, 10, 11]).ClampedTo(0, double.PositiveInfinity)));
    }

    [Fact]
    public void SweepPrefixIsNotShown()
    {
        Assert.Equal("aging", SweepPoint.DisplayName("sweep.aging"));
        Assert.Equal("guests.count", SweepPoint.DisplayName("guests.count"));
        var point = new SweepPoint(["lru", "3"], ["sweep.aging", "guests.count"]);
        Assert.Equal("aging=lru", point.LabelWithout("guests.count"));
    }
}
