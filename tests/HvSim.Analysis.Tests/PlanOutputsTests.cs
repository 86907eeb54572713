using HvSim.Analysis.Planning;
using HvSim.Model.Config;

namespace HvSim.Analysis.Tests;

/// <summary>What plan_probes.csv records: every probe in search order, the min_host_memory steps, and why each failed.</summary>
public class PlanOutputsTests : IDisposable
{
    private readonly TempFolders _temp = new();

    public void Dispose() => _temp.Dispose();

    private const long MiB = 1L << 20;

    /// <summary>PPC970 admission by hand (kernel-model.md §2.9): n guests fit while n × guest memory ≤ host − 512 MiB reserved.</summary>
    private sealed class Pinned(long guestBytes) : IPlanEvaluator
    {
        public ProbeMetrics Evaluate(PlanPoint point, int replication) =>
            new(point.Guests * guestBytes <= point.HostMemoryBytes!.Value - 512 * MiB, double.NaN, 0, 0);
    }

    /// <summary>p99 = 10·n µs, replications at −1 and +1: mean 10n, sd √2.</summary>
    private sealed class Linear : IPlanEvaluator
    {
        public ProbeMetrics Evaluate(PlanPoint point, int replication) => new(true, point.Guests * 10 + (replication == 1 ? -1 : 1), 0, 0);
    }

    private PlanTables WriteAndRead(CapacityPlanner planner, Slo slo, PlanResult result)
    {
        var dir = _temp.New("hvsim-analysis-");
        PlanFiles.Write(dir, result with { Probes = planner.Probes.ToList() });
        return PlanFiles.TryRead(dir)!;
    }

    [Fact]
    public void TheMinHostMemorySearchStepsAreRecordedInOrderWithWhyEachFailed()
    {
        var slo = new Slo([new SloLimit(SloMetric.P99FaultLatencyUs, 1000)]);
        var planner = new CapacityPlanner(new Pinned(1024 * MiB), slo, replications: 1, maxGuests: 16);
        // 7 guests need 512 + 7 × 1024 = 7680 MiB. Bisection on 64 MiB steps between 1024 and 65536 MiB, by hand:
        // ends (65536 meets, 1024 fails), then the midpoints 33280, 17152, 9088 (meet), 5056, 7040 (fail), 8064 (meets),
        // 7552 (fails), 7808, 7680 (meet), 7616 (fails): the answer is 7680 MiB.
        long? answer = planner.FindMinHostMemory(Platform.Ppc970, 7, 1024 * MiB, 65536 * MiB, 64 * MiB);
        Assert.Equal(7680 * MiB, answer);
        var tables = WriteAndRead(planner, slo, new PlanResult("study", slo, 1, 16, [], new MemoryAnswer("ppc970", 7, answer)));
        var steps = tables.Probes.Where(p => p.Search == "min_host_memory").OrderBy(p => p.Order).ToList();
        Assert.Equal([65536, 1024, 33280, 17152, 9088, 5056, 7040, 8064, 7552, 7808, 7680, 7616], steps.Select(p => p.HostMemoryBytes!.Value / MiB));
        Assert.Equal(Enumerable.Range(1, 12), steps.Select(p => p.Order!.Value));
        foreach (var p in steps)
        {
            bool fits = p.HostMemoryBytes >= 7680 * MiB;
            Assert.Equal(fits, p.MeetsSlo);
            Assert.Equal(fits ? "meets the SLO (no HDSI faults, so no p99_fault_latency_us to exceed the bound)" : "7 guests do not all fit (a guest was refused)", p.Verdict);
        }
    }

    [Fact]
    public void AFailingCountRecordsTheBoundItFailedMeasuredAgainstTheLimit()
    {
        var slo = new Slo([new SloLimit(SloMetric.P99FaultLatencyUs, 205)]);
        var planner = new CapacityPlanner(new Linear(), slo, replications: 2, maxGuests: 100);
        var plan = planner.FindMaxGuests(Platform.Power7);
        // 10n + t(0.975, 1) · √2 / √2 = 10n + 12.7062047 ≤ 205 up to n = 19 (t from a printed table).
        Assert.Equal(19, plan.MaxGuests);
        var tables = WriteAndRead(planner, slo, new PlanResult("study", slo, 2, 100, [plan]));
        var failed = tables.Probes.Single(p => p.Guests == 20);
        Assert.False(failed.MeetsSlo);
        Assert.False(failed.MeetsLimit);
        Assert.Equal(200 + 12.7062047, failed.UpperBound!.Value, 6);
        Assert.Equal("p99_fault_latency_us upper 95 % bound 212.7 us > 205 us", failed.Verdict);
        var held = tables.Probes.Single(p => p.Guests == 19);
        Assert.True(held.MeetsLimit);
        Assert.Equal(190 + 12.7062047, held.UpperBound!.Value, 6);
        // Search order: 1, 2, 4, …, 32 (fails), then bisection 24, 20, 18, 19.
        Assert.Equal([1, 2, 4, 8, 16, 32, 24, 20, 18, 19], tables.Probes.OrderBy(p => p.Order).Select(p => p.Guests));
        Assert.All(tables.Probes, p => Assert.Equal("max_guests", p.Search));
    }
}
