using System.Globalization;
using System.Text.Json.Nodes;
using HvSim.Analysis.Batch;
using HvSim.Analysis.Statistics;
using HvSim.Analysis.Tables;

namespace HvSim.Analysis.Tests;

/// <summary>stats.csv of multi-parameter sweeps (QA F44): one row per configuration, n = replications.</summary>
public class SweepStatsTests
{
    private const double T975With1Df = 12.706; // textbook t(0.975, 1)

    private static readonly string[] Agings = ["unmap", "rbit"];
    private static readonly string[] Devices = ["ssd", "hdd"];

    /// <summary>Major faults in 10 s for point (aging, device), replication rep: every configuration has its own numbers.</summary>
    private static long Major(int a, int d, int rep) => 100 * (1 + a) + 1000 * (1 + d) + (rep == 1 ? 0 : 40 + 20 * a + 10 * d);

    /// <summary>Stall fractions of the two replications per point: unmap/ssd near 1, rbit/ssd near 0 (intervals that leave [0, 1]).</summary>
    private static double Stall(int a, int d, int rep) => (a, d) switch
    {
        (0, 0) => rep == 1 ? 0.95 : 0.99,
        (1, 0) => rep == 1 ? 0.01 : 0.05,
        _ => rep == 1 ? 0.40 : 0.42,
    };

    private static string RunId(int point, int rep) => $"quick.p{point:000}.power7.r{rep}";

    private static BatchPlanEntry Entry(int point, int rep, params (string Path, string Value)[] parameters)
    {
        var config = new JsonObject
        {
            ["host"] = new JsonObject { ["memory_bytes"] = 8L << 30, ["page_size_bytes"] = 65536, ["swap"] = new JsonObject { ["kind"] = parameters.FirstOrDefault(p => p.Path == "host.swap.device").Value ?? "ssd" } },
            ["aging"] = parameters.FirstOrDefault(p => p.Path == "aging").Value ?? "rbit",
            ["guests"] = new JsonArray(new JsonObject { ["memory_bytes"] = 1L << 30 }),
            ["duration_ns"] = 10_000_000_000L,
        };
        return new BatchPlanEntry(RunId(point, rep), "quick", point, "power7", rep, (ulong)(100 + rep),
            parameters.Select(p => KeyValuePair.Create(p.Path, p.Value)).ToList(), "", config);
    }

    /// <summary>A 2 x 2 sweep (aging x host.swap.device), 2 replications per point, runs.csv from the batch writer.</summary>
    private static ResultsFixture TwoByTwo(bool legacyDuplicateAgingColumn = false)
    {
        var fx = new ResultsFixture(batch: true);
        var entries = new List<BatchPlanEntry>();
        for (int a = 0; a < 2; a++)
            for (int d = 0; d < 2; d++)
                for (int rep = 1; rep <= 2; rep++)
                {
                    int point = 2 * a + d;
                    fx.Guest("power7", rep, "a", major: Major(a, d, rep), stalledS: 10 * Stall(a, d, rep), runId: RunId(point, rep));
                    entries.Add(Entry(point, rep, ("aging", Agings[a]), ("host.swap.device", Devices[d])));
                }
        fx.Write();
        string runs = Path.Combine(fx.Dir, "runs.csv");
        BatchAggregator.WriteRunsTable(runs, new BatchPlan { Runs = entries, Scenarios = [] });
        // Folders written before the `sweep.` prefix named the swept aging column `aging`, like the fixed one.
        if (legacyDuplicateAgingColumn) File.WriteAllText(runs, File.ReadAllText(runs).Replace("sweep.aging", "aging"));
        return fx;
    }

    private static (int N, double Mean, double Sd, double Low, double High) Textbook(double x1, double x2)
    {
        double mean = (x1 + x2) / 2, sd = Math.Abs(x1 - x2) / Math.Sqrt(2), half = T975With1Df * sd / Math.Sqrt(2);
        return (2, mean, sd, mean - half, mean + half);
    }

    private static string[] WriteStats(ResultsFixture fx)
    {
        var folder = ResultsFolder.Load(fx.Dir);
        string path = Path.Combine(fx.Dir, StatsTable.FileName);
        StatsTable.Write(path, StatsTable.Aggregate(RunMetrics.Compute(folder)), folder.Runs!.Parameters);
        return File.ReadAllLines(path);
    }

    private static double D(string s) => double.Parse(s, CultureInfo.InvariantCulture);

    /// <summary>An interval end against the textbook one: 12.706 is t rounded to 3 decimals, so allow 1e-4 of the half-width.</summary>
    private static void AssertEnd(double expected, double halfWidth, string actual) => Assert.Equal(expected, D(actual), 1e-4 * halfWidth);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TwoParameterSweepHasOneRowPerConfigurationWithReplicationsAsN(bool legacyDuplicateAgingColumn)
    {
        using var fx = TwoByTwo(legacyDuplicateAgingColumn);
        var lines = WriteStats(fx);
        Assert.Equal("scenario,platform,sweep.aging,host.swap.device,guest,metric,unit,n,mean,sd,ci95_low,ci95_high", lines[0]);
        var rows = lines.Skip(1).Select(l => l.Split(',')).Where(c => c[4] == "" && c[5] == "major_faults_per_s").ToList();
        Assert.Equal(4, rows.Count);
        for (int a = 0; a < 2; a++)
            for (int d = 0; d < 2; d++)
            {
                var row = rows.Single(c => c[2] == Agings[a] && c[3] == Devices[d]);
                var t = Textbook(Major(a, d, 1) / 10.0, Major(a, d, 2) / 10.0);
                Assert.Equal("2", row[7]);
                Assert.Equal(t.Mean, D(row[8]), 9);
                Assert.Equal(t.Sd, D(row[9]), 9);
                AssertEnd(t.Low, t.Mean - t.Low, row[10]);
                AssertEnd(t.High, t.Mean - t.Low, row[11]);
            }
        // Every metric: four configurations, none pooled.
        Assert.All(lines.Skip(1).Select(l => l.Split(',')).Where(c => c[4] == "").GroupBy(c => c[5]), g =>
        {
            Assert.Equal(4, g.Count());
            Assert.All(g, c => Assert.Equal("2", c[7]));
        });
    }

    [Fact]
    public void FractionIntervalIsClampedToZeroOne()
    {
        using var fx = TwoByTwo();
        var rows = WriteStats(fx).Skip(1).Select(l => l.Split(',')).Where(c => c[4] == "" && c[5] == "stall_fraction").ToList();
        Assert.Equal(4, rows.Count);
        // unmap/ssd: 0.95, 0.99 -> mean 0.97, t-interval [0.716, 1.224]: the upper end is cut at 1.
        var high = rows.Single(c => c[2] == "unmap" && c[3] == "ssd");
        var th = Textbook(0.95, 0.99);
        Assert.True(th.High > 1);
        Assert.Equal(0.97, D(high[8]), 9);
        AssertEnd(th.Low, th.Mean - th.Low, high[10]);
        Assert.Equal(1.0, D(high[11]));
        // rbit/ssd: 0.01, 0.05 -> [-0.224, 0.284]: the lower end is cut at 0.
        var low = rows.Single(c => c[2] == "rbit" && c[3] == "ssd");
        var tl = Textbook(0.01, 0.05);
        Assert.Equal(0.0, D(low[10]));
        AssertEnd(tl.High, tl.Mean - tl.Low, low[11]);
        // An interval inside [0, 1] is untouched: 0.40, 0.42.
        var inside = rows.Single(c => c[2] == "unmap" && c[3] == "hdd");
        var ti = Textbook(0.40, 0.42);
        AssertEnd(ti.Low, ti.Mean - ti.Low, inside[10]);
        AssertEnd(ti.High, ti.Mean - ti.Low, inside[11]);
        // A metric that is not a fraction keeps its whole interval, even below zero.
        Assert.Equal(2 - T975With1Df, ReplicationStats.Of([1, 3]).CiLow, 2);
    }

    [Fact]
    public void SingleParameterSweepIsKeyedByThatParameter()
    {
        using var fx = new ResultsFixture(batch: true);
        var entries = new List<BatchPlanEntry>();
        for (int d = 0; d < 2; d++)
            for (int rep = 1; rep <= 2; rep++)
            {
                fx.Guest("power7", rep, "a", major: Major(0, d, rep), runId: RunId(d, rep));
                entries.Add(Entry(d, rep, ("host.swap.device", Devices[d])));
            }
        fx.Write();
        BatchAggregator.WriteRunsTable(Path.Combine(fx.Dir, "runs.csv"), new BatchPlan { Runs = entries, Scenarios = [] });
        var lines = WriteStats(fx);
        // swap_device (the fixed column) varies with the sweep but is not a parameter of its own.
        Assert.Equal("scenario,platform,host.swap.device,guest,metric,unit,n,mean,sd,ci95_low,ci95_high", lines[0]);
        var rows = lines.Skip(1).Select(l => l.Split(',')).Where(c => c[3] == "" && c[4] == "major_faults_per_s").ToList();
        Assert.Equal(["hdd", "ssd"], rows.Select(c => c[2]));
        for (int d = 0; d < 2; d++)
        {
            var row = rows.Single(c => c[2] == Devices[d]);
            var t = Textbook(Major(0, d, 1) / 10.0, Major(0, d, 2) / 10.0);
            Assert.Equal("2", row[6]);
            Assert.Equal(t.Mean, D(row[7]), 9);
            Assert.Equal(t.Sd, D(row[8]), 9);
            AssertEnd(t.Low, t.Mean - t.Low, row[9]);
            AssertEnd(t.High, t.Mean - t.Low, row[10]);
        }
    }

    [Fact]
    public void TwoParameterSweepDrawsEachParameter()
    {
        using var fx = TwoByTwo();
        var output = ReportBuilder.Build(fx.Dir);
        // Word-valued parameters (aging, swap device) get sweep plots too, one per parameter, named without the `sweep.` prefix.
        foreach (var name in new[] { "sweep_aging_stall_fraction", "sweep_host_swap_device_stall_fraction", "sweep_host_swap_device_major_faults_per_s" })
        {
            Assert.Contains(output.Figures, f => f.Name == name);
            Assert.True(new FileInfo(Path.Combine(fx.Dir, name + ".png")).Length > 10_000, name);
        }
        // The report's key numbers: one row per configuration.
        var keyRows = Report.KeyNumbersRow.From(output.Stats);
        Assert.Equal(4, keyRows.Count);
        Assert.All(keyRows, r => Assert.Equal(2, r.Values[Metric.StallFraction].N));
    }
}
