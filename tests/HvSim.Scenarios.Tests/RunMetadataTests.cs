using System.Globalization;
using System.Text.RegularExpressions;
using HvSim.Analysis;
using HvSim.Analysis.Statistics;

namespace HvSim.Scenarios.Tests;

/// <summary>
/// The report and stats.csv read each run's own settings (duration, warm-up, swap device) from its configuration in
/// manifest.json, written by the real `hvsim run`: never the first value anywhere in the file whose name matches.
/// </summary>
[Collection(CliCollection.Name)]
public class RunMetadataTests
{
    /// <summary>
    /// swap-hdd-vs-ssd.yaml in small: a sweep of the swap device preset, the SSD point first. The presets' mean
    /// latencies are kernel-model.md's: SSD 200 µs, disk 10 ms.
    /// </summary>
    private const string DeviceSweep = """
        name: devices
        seed: 7
        platform: power7
        duration: 1s
        host: {memory: 512MiB, reserved: 128MiB}
        guests:
          count: 2
          memory: 160MiB
          workload: {kind: zipf, alpha: 0.9, think: 5us}
        sweep:
          host.swap.device: [ssd, hdd]
        """;

    [Fact]
    public void EachSweepRowQuotesItsOwnDeviceLatency()
    {
        using var dir = new TempDir();
        string outDir = Run(dir, DeviceSweep);
        // Every run's p99 swap-read queue wait becomes 5000 µs, its device idle: over 10 × 200 µs (saturated on the
        // SSD), under 10 × 10 ms (not on the disk).
        SetColumn(Path.Combine(outDir, "host.csv"), "swap_read_wait_p99_us", "5000");
        SetColumn(Path.Combine(outDir, "host.csv"), "swap_busy_fraction", "0");

        string html = System.Net.WebUtility.HtmlDecode(File.ReadAllText(ReportBuilder.Build(outDir).ReportHtml));
        var notes = Regex.Matches(html, @"POWER7 \(pageable\) \(([^)]*)\): the swap device is saturated[^<]*").Select(m => m.Value).ToList();
        var note = Assert.Single(notes);
        Assert.Contains("host.swap.device=ssd", note);
        Assert.Contains("over 10× the device latency of 200 µs", note);
    }

    /// <summary>A phased guest whose 100 ms phase durations come before the run's 1 s duration in its configuration.</summary>
    private const string Phased = """
        name: phased
        seed: 5
        platform: power7
        duration: 1s
        warmup: 200ms
        outputs: [summary, timeseries, fault_latency]
        host: {memory: 512MiB, reserved: 128MiB}
        guests:
          count: 3
          memory: 160MiB
          workload:
            kind: phased
            loop: true
            phases:
              - {duration: 100ms, workload: {kind: uniform, think: 5us}}
              - {duration: 100ms, workload: {kind: zipf, alpha: 0.9, think: 5us}}
        """;

    [Fact]
    public void RatesOfAPhasedRunWithoutHostTableUseTheRunDuration()
    {
        using var dir = new TempDir();
        string outDir = Run(dir, Phased);
        Assert.False(File.Exists(Path.Combine(outDir, "host.csv")));

        // The counters of summary.csv cover the 0.8 s after the warm-up (1 s − 200 ms): the rate is their sum / 0.8 s.
        var lines = File.ReadAllLines(Path.Combine(outDir, "summary.csv"));
        int hdsi = Array.IndexOf(lines[0].Split(','), "hdsi_faults");
        long faults = lines.Skip(1).Sum(l => long.Parse(l.Split(',')[hdsi], CultureInfo.InvariantCulture));
        Assert.True(faults > 0);

        var stats = ReportBuilder.Build(outDir).Stats;
        var rate = Assert.Single(stats, r => r.Guest == "" && r.Metric == Metric.HdsiFaultRate);
        Assert.Equal(faults / 0.8, rate.Stats.Mean, 6);
    }

    /// <summary>`hvsim run` of <paramref name="scenario"/>; its results folder.</summary>
    private static string Run(TempDir dir, string scenario)
    {
        string outDir = Path.Combine(dir.Path, "out");
        var (exit, output, err) = Cli.Run("run", dir.File("scenario.yaml", scenario), "--out", outDir);
        Assert.True(exit == 0, err + output);
        return outDir;
    }

    private static void SetColumn(string csv, string column, string value)
    {
        var lines = File.ReadAllLines(csv);
        int index = Array.IndexOf(lines[0].Split(','), column);
        Assert.True(index >= 0, column);
        for (int i = 1; i < lines.Length; i++)
        {
            var cells = lines[i].Split(',');
            cells[index] = value;
            lines[i] = string.Join(',', cells);
        }
        File.WriteAllLines(csv, lines);
    }
}
