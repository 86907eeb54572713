using FsCheck;
using FsCheck.Fluent;
using HvSim.Analysis.Planning;
using HvSim.Analysis.Tables;
using HvSim.Model.Config;

namespace HvSim.Analysis.Tests;

public class CapacityPlannerTests : IDisposable
{
    private readonly TempFolders _temp = new();

    public void Dispose() => _temp.Dispose();

    private const long MiB = 1L << 20;

    /// <summary>
    /// PPC970 admission by hand (kernel-model.md §2.9): the boot-time pool holds one RMA per guest, and each guest pins
    /// its memory beyond its RMA, so n fit while n × RMA + n × (guest − RMA) ≤ host − reserved.
    /// </summary>
    private sealed class PinnedAdmission(long hostBytes, long reservedBytes, long rmaBytes, long guestBytes) : IPlanEvaluator
    {
        public int Calls;

        public ProbeMetrics Evaluate(PlanPoint point, int replication)
        {
            Calls++;
            long host = point.HostMemoryBytes ?? hostBytes;
            bool fits = point.Guests * rmaBytes + point.Guests * (guestBytes - rmaBytes) <= host - reservedBytes;
            return new ProbeMetrics(fits, double.NaN, 0.001, 0); // pinned guests never HDSI-fault: no p99 latency
        }
    }

    /// <summary>A metric that grows with the count; replications add -d and +d, so mean = base and the CI half-width is t(0.975, 1)·d.</summary>
    private sealed class Synthetic(Func<int, double> baseValue, double d) : IPlanEvaluator
    {
        public readonly HashSet<(int, int)> Seen = [];

        public ProbeMetrics Evaluate(PlanPoint point, int replication)
        {
            Assert.True(Seen.Add((point.Guests, replication)), $"probe {point.Guests} replication {replication} evaluated twice");
            double v = baseValue(point.Guests) + (replication == 1 ? -d : d);
            return new ProbeMetrics(true, v, 0, 0);
        }
    }

    private static Slo P99AtMost(double limit) => new([new SloLimit(SloMetric.P99FaultLatencyUs, limit)]);

    [Theory]
    [InlineData(8192, 1024, 7)]   // (8192 − 512) / 1024 = 7.5
    [InlineData(6144, 1024, 5)]   // (6144 − 512) / 1024 = 5.5
    [InlineData(65536, 2048, 31)] // (65536 − 512) / 2048 = 31.75
    [InlineData(1024, 1024, 0)]   // 1024 − 512 < 1024: not even one guest
    public void Ppc970FindsTheCountThatFitsInPinnedMemory(long hostMiB, long guestMiB, int expected)
    {
        var eval = new PinnedAdmission(hostMiB * MiB, 512 * MiB, 64 * MiB, guestMiB * MiB);
        var planner = new CapacityPlanner(eval, P99AtMost(1000), replications: 3, maxGuests: 64);
        var plan = planner.FindMaxGuests(Platform.Ppc970);
        Assert.Equal(expected, plan.MaxGuests);
        Assert.Equal(planner.Probes.Count * 3, eval.Calls);
        if (expected == 0) Assert.Contains("no guest count meets the SLO", plan.Summary);
        else
        {
            Assert.Equal(expected + 1, plan.FirstFailing!.Point.Guests);
            // No faults: the latency bound holds, and the answer says why rather than showing a p99 of 0.
            Assert.StartsWith($"ppc970: at most {expected} guests (no HDSI faults, so no p99_fault_latency_us to exceed the bound); ", plan.Summary);
            Assert.Equal(0, plan.AtLimit!.Stats[SloMetric.P99FaultLatencyUs].N);
        }
    }

    [Fact]
    public void OneGuestIsSingular()
    {
        // (2048 − 512) / 1024 = 1.5: one pinned guest fits, two do not.
        var one = new CapacityPlanner(new PinnedAdmission(2048 * MiB, 512 * MiB, 64 * MiB, 1024 * MiB), P99AtMost(1000), replications: 1, maxGuests: 8)
            .FindMaxGuests(Platform.Ppc970);
        Assert.Equal("ppc970: at most 1 guest (no HDSI faults, so no p99_fault_latency_us to exceed the bound); 2 guests: 2 guests do not all fit (a guest was refused)",
            one.Summary);
        // 1024 − 512 < 1024: not even one.
        var none = new CapacityPlanner(new PinnedAdmission(1024 * MiB, 512 * MiB, 64 * MiB, 1024 * MiB), P99AtMost(1000), replications: 2, maxGuests: 8)
            .FindMaxGuests(Platform.Ppc970);
        Assert.Equal("ppc970: no guest count meets the SLO; 1 guest: 1 guest does not fit (it was refused)", none.Summary);

        var dir = _temp.New("hvsim-analysis-");
        PlanFiles.Write(dir, new PlanResult("study", P99AtMost(1000), 1, 8, [one]) { Memory = new MemoryAnswer("ppc970", 1, 2048 * MiB) });
        string html = PlanReportSection.Html(PlanFiles.TryRead(dir)!);
        Assert.Contains("over 1 replication at or below the limit", html);
        Assert.Contains("ppc970: the smallest host memory for 1 guest is 2 GiB.", html);
    }

    /// <summary>Fixed values per replication (NaN = no HDSI faults in that replication).</summary>
    private sealed class Fixed(params double[] p99PerReplication) : IPlanEvaluator
    {
        public ProbeMetrics Evaluate(PlanPoint point, int replication) => new(true, p99PerReplication[replication - 1], 0, 0);
    }

    [Fact]
    public void AVerdictShowsPlainNumbersWithTheUnit()
    {
        // Both replications 12070.4 µs: sd 0, so the upper bound is the mean.
        var probe = new CapacityPlanner(new Fixed(12070.4, 12070.4), P99AtMost(2000), replications: 2, maxGuests: 4).ProbeAt(new PlanPoint(Platform.Power7, 3));
        Assert.False(probe.MeetsSlo);
        Assert.Equal("p99_fault_latency_us upper 95 % bound 12070 us > 2000 us", probe.Verdict);
    }

    [Theory]
    [InlineData(SloMetric.P99FaultLatencyUs, 2000, "p99_fault_latency_us ≤ 2000 us")]
    [InlineData(SloMetric.P99FaultLatencyUs, 2_500_000, "p99_fault_latency_us ≤ 2500000 us")] // 2.5 s, was 2.5E+06
    [InlineData(SloMetric.P99FaultLatencyUs, 17.25, "p99_fault_latency_us ≤ 17.25 us")]
    [InlineData(SloMetric.MeanStallFraction, 0.05, "mean_stall_fraction ≤ 5 %")]
    [InlineData(SloMetric.MeanStallFraction, 0.0712, "mean_stall_fraction ≤ 7.12 %")]
    [InlineData(SloMetric.MajorFaultsPerSecondPerGuest, 0.000125, "major_faults_per_s_per_guest ≤ 0.000125 faults/s")]
    public void SloBoundsReadWithoutExponents(SloMetric metric, double limit, string expected) =>
        Assert.Equal(expected, new SloLimit(metric, limit).ToString());

    [Theory]
    [InlineData(1000, true)]
    [InlineData(3000, false)]
    public void AReplicationWithoutFaultsIsLeftOutOfTheLatencyInterval(double p99, bool meets)
    {
        // Replication 1 took no fault; the other's p99 alone decides (one value: the value itself is the bound).
        var probe = new CapacityPlanner(new Fixed(double.NaN, p99), P99AtMost(2000), replications: 2, maxGuests: 4).ProbeAt(new PlanPoint(Platform.Power7, 1));
        Assert.Equal(1, probe.Stats[SloMetric.P99FaultLatencyUs].N);
        Assert.Equal(meets, probe.MeetsSlo);
        Assert.Null(probe.Note);
        Assert.Equal(meets ? "meets the SLO" : "p99_fault_latency_us upper 95 % bound 3000 us > 2000 us", probe.Verdict);
    }

    [Fact]
    public void AnUndefinedLatencyIsAnEmptyCellAndADashInTheReport()
    {
        var planner = new CapacityPlanner(new PinnedAdmission(8192 * MiB, 512 * MiB, 64 * MiB, 1024 * MiB), P99AtMost(1000), replications: 2, maxGuests: 16);
        var plan = planner.FindMaxGuests(Platform.Ppc970);
        var dir = _temp.New("hvsim-analysis-");
        PlanFiles.Write(dir, new PlanResult("study", P99AtMost(1000), 2, 16, [plan]));
        string[] row = File.ReadAllLines(Path.Combine(dir, PlanFiles.PlanFile))[1].Split(',');
        string[] header = File.ReadAllLines(Path.Combine(dir, PlanFiles.PlanFile))[0].Split(',');
        foreach (string column in new[] { "mean", "ci95_low", "ci95_high" })
            Assert.Equal("", row[Array.IndexOf(header, column)]);
        Assert.All(PlanFiles.TryRead(dir)!.Probes, p => // n = 0, no values
        {
            Assert.Equal(0, p.N);
            Assert.Null(p.Mean);
            Assert.Null(p.CiLow);
            Assert.Null(p.CiHigh);
            Assert.Null(p.UpperBound);
        });
        string html = PlanReportSection.Html(PlanFiles.TryRead(dir)!);
        Assert.Contains("<td>–</td>", html);
        Assert.Contains("no HDSI faults", html);
        Assert.Contains("<td class=\"l\">p99_fault_latency_us ≤ 1000 us</td>", html);
    }

    [Fact]
    public void SmallestHostMemoryForSevenPinnedGuests()
    {
        // 512 MiB reserved + 7 × 64 MiB of RMA pool + 7 × (1024 − 64) MiB pinned = 7680 MiB, a multiple of the 64 MiB step.
        var eval = new PinnedAdmission(0, 512 * MiB, 64 * MiB, 1024 * MiB);
        var planner = new CapacityPlanner(eval, P99AtMost(1000), replications: 2, maxGuests: 16);
        Assert.Equal(7680 * MiB, planner.FindMinHostMemory(Platform.Ppc970, 7, 1024 * MiB, 65536 * MiB, 64 * MiB));
        Assert.Null(planner.FindMinHostMemory(Platform.Ppc970, 7, 1024 * MiB, 4096 * MiB, 64 * MiB));
    }

    [Fact]
    public void MonotoneMetricMatchesBruteForce()
    {
        const double t975With1Df = 12.7062047361747; // textbook t(0.975, 1)
        var cases =
            from max in Gen.Choose(1, 120)
            from steps in Gen.ArrayOf(Gen.Choose(0, 50), 120)
            from limit in Gen.Choose(0, 3000)
            from d in Gen.Choose(0, 5)
            from hint in Gen.Choose(0, 150)
            select (max, steps, limit, d, hint);
        Prop.ForAll(cases.ToArbitrary(), c =>
            {
                var (max, steps, limit, d, hint) = c;
                // base(n) = sum of the first n steps: nondecreasing in n.
                double Base(int n) => steps.Take(n).Sum();
                var eval = new Synthetic(Base, d);
                var planner = new CapacityPlanner(eval, P99AtMost(limit), replications: 2, maxGuests: max);
                // Any start (0 = none) must give the brute-force answer.
                int found = planner.FindMaxGuests(Platform.Power7, startHint: hint == 0 ? null : hint).MaxGuests;
                int brute = 0;
                for (int n = 1; n <= max && Base(n) + t975With1Df * d <= limit + 1e-9; n++) brute = n;
                return found == brute && eval.Seen.Count <= 2 * (2 * (int)Math.Ceiling(Math.Log2(max + 1)) + 2);
            }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void ACountThatPassesAboveAFailingOneIsNotTheAnswer()
    {
        // p99 = 10n ± 1 (t 12.706 on 1 df: n ≤ 10 meets 115), except that 9 guests are unlucky (p99 300): counting up from
        // 1 stops at 8. The search from 1 probes 1, 2, 4, 8, 16, 12, 10, 11: 10 is its answer until the check of 9 fails;
        // 8 passes and 7 passes: the answer is 8, the count a planner counting up would give.
        var eval = new Synthetic(n => n == 9 ? 300 : n * 10, 1);
        var planner = new CapacityPlanner(eval, P99AtMost(115), replications: 2, maxGuests: 16);
        var plan = planner.FindMaxGuests(Platform.Power7);
        Assert.Equal(8, plan.MaxGuests);
        Assert.Equal(9, plan.FirstFailing!.Point.Guests);
    }

    [Fact]
    public void AGoodStartHintSavesProbes()
    {
        // 10n + 12.706 ≤ 205 -> 19. From 1: 1, 2, 4, 8, 16, 32, 24, 20, 18, 19 (10 probes; 18, below the answer, already
        // passed); from 19: 19, 38, 28, 23, 21, 20, then 18 to confirm the count below the answer (7).
        var cold = new CapacityPlanner(new Synthetic(n => n * 10, 1), P99AtMost(205), replications: 2, maxGuests: 100);
        var warm = new CapacityPlanner(new Synthetic(n => n * 10, 1), P99AtMost(205), replications: 2, maxGuests: 100);
        Assert.Equal(19, cold.FindMaxGuests(Platform.Power7).MaxGuests);
        Assert.Equal(19, warm.FindMaxGuests(Platform.Power7, startHint: 19).MaxGuests);
        Assert.Equal(10, cold.Probes.Count);
        Assert.Equal(7, warm.Probes.Count);
    }

    [Fact]
    public void MissRatioCurveEstimate()
    {
        MrcRecord[] curve = [new() { Capacity = 200, MissRatio = 0.1 }, new() { Capacity = 100, MissRatio = 0.5 }, new() { Capacity = 400, MissRatio = 0 }];
        Assert.Equal(0.5, MrcEstimate.MissRatio(curve, 50), 12);   // flat below the first point
        Assert.Equal(0.3, MrcEstimate.MissRatio(curve, 150), 12);  // half-way between 0.5 and 0.1
        Assert.Equal(0.0, MrcEstimate.MissRatio(curve, 1000), 12); // flat beyond the last point
        // 1000 pages shared: N = 5 leaves 200 pages each (miss ratio 0.1, at the target); N = 6 leaves 166.7 (0.233).
        Assert.Equal(5, MrcEstimate.MaxGuests(curve, 1000 * 4096, 4096, 0.1, 64));
        // A target only the curve's flat end meets: 2 guests (500 pages, miss ratio 0); 3 get 333 pages (0.033).
        Assert.Equal(2, MrcEstimate.MaxGuests(curve, 1000 * 4096, 4096, 0.0001, 64));
        // A target nothing meets: the search starts at 1.
        Assert.Equal(1, MrcEstimate.MaxGuests([new MrcRecord { Capacity = 10, MissRatio = 0.2 }], 1000 * 4096, 4096, 0.1, 64));
    }

    [Fact]
    public void FinishedProbesAreReused()
    {
        var eval = new Synthetic(n => n * 10, 1);
        var planner = new CapacityPlanner(eval, P99AtMost(205), replications: 2, maxGuests: 100);
        Assert.Equal(19, planner.FindMaxGuests(Platform.Power7).MaxGuests); // 10n + 12.706 ≤ 205 -> n ≤ 19.2
        int calls = eval.Seen.Count;
        planner.FindMaxGuests(Platform.Power7); // Synthetic asserts no (count, replication) is evaluated twice
        Assert.Equal(calls, eval.Seen.Count);
    }

    [Fact]
    public void UnreachableSloIsAClearAnswer()
    {
        var eval = new Synthetic(n => 500 + n, 0);
        var planner = new CapacityPlanner(eval, P99AtMost(100), replications: 2, maxGuests: 50);
        var plan = planner.FindMaxGuests(Platform.Power7);
        Assert.Equal(0, plan.MaxGuests);
        Assert.Null(plan.AtLimit);
        Assert.Contains("no guest count meets the SLO", plan.Summary);
        Assert.Contains("p99_fault_latency_us", plan.Summary);

        // The files, plot and report section are written without a crash too.
        var dir = _temp.New("hvsim-analysis-");
        PlanFiles.Write(dir, new PlanResult("study", P99AtMost(100), 2, 50, [plan]));
        var tables = PlanFiles.TryRead(dir)!;
        Assert.Equal(0, tables.Plan.Single().MaxGuests);
        Assert.Contains("no guest count meets the SLO", PlanReportSection.Html(tables));
        Assert.Single(PlanPlot.Create(dir, tables));
    }

    /// <summary>Passes while the guest count is at most <paramref name="answer"/> (and the host memory at least <paramref name="minMemory"/>): a monotone SLO.</summary>
    private sealed class Threshold(int answer, long minMemory = 0) : IPlanEvaluator
    {
        public ProbeMetrics Evaluate(PlanPoint point, int replication) =>
            new(true, 0, point.Guests <= answer && (point.HostMemoryBytes ?? long.MaxValue) >= minMemory ? 0 : 1, 0);
    }

    private static Slo StallAtMost50 => new([new SloLimit(SloMetric.MeanStallFraction, 0.5)]);

    /// <summary>
    /// The plan's memory guard counts probe runs with <see cref="PlanRunner.MaxGuestSearchProbes"/>: brute force over
    /// every answer and several start hints, the search never makes more probes than that, and the bound is not loose
    /// by more than three probes (it is tight within two from 8 guests up).
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(8)]
    [InlineData(64)]
    [InlineData(100)]
    [InlineData(1000)]
    public void TheGuestSearchNeverMakesMoreProbesThanTheGuardCounts(int maxGuests)
    {
        int bound = PlanRunner.MaxGuestSearchProbes(maxGuests), most = 0;
        foreach (int? hint in new int?[] { null, 1, 2, maxGuests / 3, maxGuests / 2, maxGuests - 1, maxGuests })
            for (int answer = 0; answer <= maxGuests; answer++)
            {
                var planner = new CapacityPlanner(new Threshold(answer), StallAtMost50, replications: 1, maxGuests);
                Assert.Equal(answer, planner.FindMaxGuests(Platform.Power7, startHint: hint).MaxGuests);
                Assert.True(planner.Probes.Count <= bound, $"max {maxGuests}, answer {answer}, hint {hint}: {planner.Probes.Count} probes > {bound}");
                most = Math.Max(most, planner.Probes.Count);
            }
        Assert.True(most >= bound - (maxGuests < 8 ? 3 : 2), $"max {maxGuests}: at most {most} probes, bound {bound}");
    }

    [Theory]
    [InlineData(1, 4, 1)]
    [InlineData(1, 4, 2)]
    [InlineData(1, 64, 1)]
    [InlineData(3, 100, 7)]
    public void TheMemorySearchNeverMakesMoreProbesThanTheGuardCounts(long fromGiB, long toGiB, long stepGiB)
    {
        const long GiB = 1L << 30;
        var q = new MemoryQuestion(Platform.Power7, 4, fromGiB * GiB, toGiB * GiB, stepGiB * GiB);
        int bound = PlanRunner.MaxMemorySearchProbes(q), most = 0;
        for (long need = 0; need <= toGiB + stepGiB; need++)
        {
            var planner = new CapacityPlanner(new Threshold(int.MaxValue, need * GiB), StallAtMost50, replications: 1, maxGuests: 8);
            planner.FindMinHostMemory(q.Platform, q.Guests, q.FromBytes, q.ToBytes, q.StepBytes);
            Assert.True(planner.Probes.Count <= bound, $"need {need} GiB: {planner.Probes.Count} probes > {bound}");
            most = Math.Max(most, planner.Probes.Count);
        }
        Assert.True(most >= bound - 1, $"at most {most} probes, bound {bound}");
    }
}

public class PlanFolderTests : IDisposable
{
    private readonly TempFolders _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void PlanFolderRegeneratesFromPlanCsvAndPlanProbesCsvAlone()
    {
        var dir = _temp.New("hvsim-analysis-");
        var slo = new Slo([new SloLimit(SloMetric.MeanStallFraction, 0.05)]);
        var planner = new CapacityPlanner(new LinearSlowdown(), slo, replications: 2, maxGuests: 32);
        // slowdown = 0.004·n ± 0.0001: the CI upper bound 0.004n + 12.706·0.0001 ≤ 0.05 -> n ≤ 12.18.
        var p7 = planner.FindMaxGuests(Platform.Power7);
        var p970 = planner.FindMaxGuests(Platform.Ppc970);
        Assert.Equal(12, p7.MaxGuests);
        Assert.Equal(12, p970.MaxGuests);
        PlanFiles.Write(dir, new PlanResult("study", slo, 2, 32, [p7, p970]));
        // Nothing but the two tables (docs/analysis.md: `hvsim plot` redraws the plan plot and report from plan.csv and
        // plan_probes.csv alone; the plot's points are the probes).
        Assert.Equal([PlanFiles.PlanFile, PlanFiles.ProbesFile], Directory.GetFiles(dir).Select(Path.GetFileName).Order(StringComparer.Ordinal));

        var output = ReportBuilder.Build(dir);
        Assert.Contains(output.Figures, f => f.Name == "plan_mean_stall_fraction");
        string html = File.ReadAllText(output.ReportHtml);
        Assert.Contains("Capacity plan", html);
        Assert.Contains("1.00×", html); // consolidation ratio 12 / 12
        Assert.Contains("<td class=\"l\">mean_stall_fraction ≤ 5 %</td>", html); // the 0.05 bound in the verdict's unit
        Assert.Contains("<td>4.8 % [", html); // mean 0.048 at 12 guests
        var row = PlanFiles.TryRead(dir)!.Plan.First(r => r.Platform == "power7");
        Assert.Equal(0.048, row.Mean!.Value, 9);
    }

    private sealed class LinearSlowdown : IPlanEvaluator
    {
        public ProbeMetrics Evaluate(PlanPoint point, int replication) =>
            new(true, 0, 0.004 * point.Guests + (replication == 1 ? -0.0001 : 0.0001), 0);
    }
}
