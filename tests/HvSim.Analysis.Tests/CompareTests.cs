using HvSim.Analysis.Compare;
using HvSim.Analysis.Statistics;
using HvSim.Analysis.Tables;

namespace HvSim.Analysis.Tests;

/// <summary>`hvsim compare`: intervals worked by hand on small synthetic folders, the refusals, and A against itself.</summary>
public class CompareTests
{
    /// <summary>One POWER7 guest per run, 10 s of vCPU time: the run's slowdown is stalled / 10. Seeds: <paramref name="seedBase"/> + replication.</summary>
    private static ResultsFixture Folder(double[] stalledS, ulong seedBase = 100, string[]? guests = null, string[]? platforms = null)
    {
        var fx = new ResultsFixture();
        foreach (var platform in platforms ?? ["power7"])
            for (int rep = 1; rep <= stalledS.Length; rep++)
            {
                fx.Seed = seedBase + (ulong)rep;
                foreach (var guest in guests ?? ["g0"])
                    fx.Guest(platform, rep, guest, stalledS: stalledS[rep - 1], vcpuS: 10);
            }
        return fx.Write();
    }

    private static MetricDifference Slowdown(FolderComparison c) =>
        c.Rows.Single(r => r.Guest == "" && r.Metric == Metric.StallFraction && r.Group.Platform == "power7").Difference;

    [Fact]
    public void RatiosReadTheSameWhateverTheirUnitsName()
    {
        // The slowdown factor's unit is "x", overcommit's "ratio": both are a multiple, printed with ×, as the report does.
        Assert.Equal("1.25×", MetricText.Value(Metric.SlowdownFactor, 1.25));
        Assert.Equal("0.625×", MetricText.Value(Metric.OvercommitRatio, 0.625));
        Assert.Equal("+0.5×", MetricText.Difference(Metric.SlowdownFactor, 0.5));
    }

    [Fact]
    public void PairedIntervalWorkedByHand()
    {
        // Same replications and seeds: paired. Slowdowns A 0.10, 0.20, 0.30 and B 0.15, 0.22, 0.38; differences
        // 0.05, 0.02, 0.08: mean 0.05, sd √((0 + 0.0009 + 0.0009) / 2) = 0.03, half-width t(0.975, 2) · 0.03 / √3
        // = 4.302652729911275 · 0.0173205081 = 0.0745241 (t from a printed table): [−0.0245241, 0.1245241], crosses 0.
        using var a = Folder([1.0, 2.0, 3.0]);
        using var b = Folder([1.5, 2.2, 3.8]);
        var d = Slowdown(FolderComparison.Compare(a.Dir, b.Dir));
        Assert.Equal(IntervalMethod.PairedT, d.Method);
        Assert.Equal(0.05, d.Difference, 12);
        Assert.Equal(0.05 - 0.0745241, d.CiLow, 6);
        Assert.Equal(0.05 + 0.0745241, d.CiHigh, 6);
        Assert.False(d.Significant);
        Assert.Equal("no significant difference", d.Verdict);
    }

    [Fact]
    public void WelchIntervalWorkedByHand()
    {
        // Different seeds: independent. A 0.1, 0.2, 0.3 and B 0.5, 0.6, 0.7: both variances 0.01, so se² = 2 · 0.01 / 3
        // and Welch–Satterthwaite df = (2v/3)² / (2 (v/3)² / 2) = 4; t(0.975, 4) = 2.776445105 (printed table);
        // half-width 2.776445105 · √(0.02 / 3) = 0.2266958. B − A = 0.4: [0.1733042, 0.6266958], above 0.
        using var a = Folder([1.0, 2.0, 3.0], seedBase: 100);
        using var b = Folder([5.0, 6.0, 7.0], seedBase: 200);
        var d = Slowdown(FolderComparison.Compare(a.Dir, b.Dir));
        Assert.Equal(IntervalMethod.WelchT, d.Method);
        Assert.Equal(0.4, d.Difference, 12);
        Assert.Equal(0.4 - 0.2266958, d.CiLow, 6);
        Assert.Equal(0.4 + 0.2266958, d.CiHigh, 6);
        Assert.True(d.Significant);
        Assert.Equal("B higher", d.Verdict);
        Assert.Equal(2.0, d.Relative!.Value, 12); // 0.4 / 0.2
    }

    [Fact]
    public void AFolderAgainstItselfHasNoSignificantDifference()
    {
        using var a = Folder([1.0, 2.5, 3.0], guests: ["g0", "g1"], platforms: ["power7", "ppc970"]);
        var c = FolderComparison.Compare(a.Dir, a.Dir);
        Assert.NotEmpty(c.Rows);
        Assert.All(c.Rows, r =>
        {
            Assert.Equal(0, r.Difference.Difference);
            Assert.Equal("no significant difference", r.Difference.Verdict);
        });
        // One run each: no interval, and the verdict says the values are equal rather than calling it significant.
        using var one = Folder([2.0]);
        var single = FolderComparison.Compare(one.Dir, one.Dir);
        Assert.All(single.Rows, r => Assert.Equal("equal (one run each: no interval)", r.Difference.Verdict));
    }

    [Fact]
    public void OneRunEachGivesNoInterval()
    {
        using var a = Folder([1.0]);
        using var b = Folder([9.0]);
        var d = Slowdown(FolderComparison.Compare(a.Dir, b.Dir));
        Assert.Equal(IntervalMethod.None, d.Method);
        Assert.False(d.Significant);
        Assert.Equal(0.8, d.Difference, 12);
        Assert.Equal("no interval (one run each)", d.Verdict);
    }

    [Fact]
    public void FoldersWithDifferentGuestsAreRefused()
    {
        using var a = Folder([1.0, 2.0], guests: ["g0", "g1"]);
        using var b = Folder([1.0, 2.0], guests: ["g0"]);
        var e = Assert.Throws<ResultsFolderException>(() => FolderComparison.Compare(a.Dir, b.Dir));
        Assert.Contains("do not compare: their guests differ at POWER7 (pageable) (A: g0, g1; B: g0)", e.Message);
        Assert.Contains("nothing was written", e.Message);
    }

    [Fact]
    public void FoldersWithDifferentPlatformsAreRefused()
    {
        using var a = Folder([1.0, 2.0], platforms: ["power7", "ppc970"]);
        using var b = Folder([1.0, 2.0]);
        var e = Assert.Throws<ResultsFolderException>(() => FolderComparison.Compare(a.Dir, b.Dir));
        Assert.Contains("they did not run the same configurations (only in A: PPC970 (pinned))", e.Message);
    }

    /// <summary>A batch folder of two sweep points (runs.csv) with one guest per run.</summary>
    private static ResultsFixture Sweep(string parameter, string[] values)
    {
        var fx = new ResultsFixture(batch: true);
        var runs = new List<string> { $"run_id,scenario,platform,replication,seed,{parameter}" };
        for (int p = 0; p < values.Length; p++)
            for (int rep = 1; rep <= 2; rep++)
            {
                fx.Seed = (ulong)(100 * p + rep);
                string id = $"p{p}-r{rep}";
                fx.Guest("power7", rep, "g0", stalledS: rep, vcpuS: 10, runId: id);
                runs.Add($"{id},quick,power7,{rep},{fx.Seed},{values[p]}");
            }
        return fx.Write(runsCsv: string.Join("\n", runs) + "\n");
    }

    [Fact]
    public void FoldersWithDifferentSweepPointsAreRefused()
    {
        using var a = Sweep("host.memory", ["4GiB", "8GiB"]);
        using var b = Sweep("host.memory", ["4GiB", "16GiB"]);
        var e = Assert.Throws<ResultsFolderException>(() => FolderComparison.Compare(a.Dir, b.Dir));
        Assert.Contains("only in A: POWER7 (pageable), host.memory=8GiB; only in B: POWER7 (pageable), host.memory=16GiB", e.Message);
        using var c = Sweep("guests.count", ["4GiB", "8GiB"]);
        e = Assert.Throws<ResultsFolderException>(() => FolderComparison.Compare(a.Dir, c.Dir));
        Assert.Contains("they sweep different parameters (A: host.memory; B: guests.count)", e.Message);
        // The same points compare, point by point.
        using var same = Sweep("host.memory", ["4GiB", "8GiB"]);
        Assert.Equal(2, FolderComparison.Compare(a.Dir, same.Dir).Rows.Where(r => r.Metric == Metric.StallFraction && r.Guest == "").Count());
    }
}
