using HvSim.Engine;
using HvSim.Model.Workloads;

namespace HvSim.Model.Tests.Workloads;

public class ComposedWorkloadTests
{
    private static List<GuestAccess> Take(IAccessSource source, int count, Func<int, long>? time = null)
    {
        var list = new List<GuestAccess>();
        var access = new GuestAccess();
        for (int i = 0; i < count && source.Next(time?.Invoke(i) ?? 0, ref access); i++) list.Add(access);
        return list;
    }

    [Fact]
    public void StridedScanVisitsEveryPageOncePerPassInStrideOrder()
    {
        var source = new SequentialWorkload { Stride = 3, Passes = 2 }.Create(10, 0, 1, new RngStream(1, "s"));
        int[] pages = [.. Take(source, 100).Select(a => a.Page)];
        int[] pass = [0, 3, 6, 9, 1, 4, 7, 2, 5, 8];
        Assert.Equal([.. pass, .. pass], pages);
    }

    [Fact]
    public void SequentialSlicesPartitionTheGuestBetweenVcpus()
    {
        const int pages = 103, vcpus = 4;
        var seen = new int[pages];
        for (int v = 0; v < vcpus; v++)
            foreach (var a in Take(new SequentialWorkload { Passes = 1 }.Create(pages, v, vcpus, new RngStream(1, "s")), 1000))
                seen[a.Page]++;
        Assert.All(seen, count => Assert.Equal(1, count));
    }

    [Fact]
    public void HotColdSendsTheHotFractionOfAccessesToTheHotPages()
    {
        // 80% of accesses to 5% of 2000 pages (100 pages). 200k draws: sd of the fraction 0.0009, tolerance 0.005.
        var spec = new HotColdWorkload { HotAccessFraction = 0.8, HotPageFraction = 0.05 };
        var layout = new PagePermutation(2000, spec.LayoutSeed);
        var hot = Enumerable.Range(0, spec.HotPages(2000)).Select(layout.Map).ToHashSet();
        Assert.Equal(100, hot.Count);
        var accesses = Take(spec.Create(2000, 0, 1, new RngStream(9, "hc")), 200_000);
        double hotShare = accesses.Count(a => hot.Contains(a.Page)) / (double)accesses.Count;
        Assert.InRange(hotShare, 0.795, 0.805);
        // Every cold page is reachable: 1900 cold pages, ~21 draws each.
        Assert.Equal(2000, accesses.Select(a => a.Page).Distinct().Count());
    }

    [Theory]
    [InlineData(0.25, 1.0)]
    [InlineData(1.0, 0.1)]
    public void WorkingSetGrowsAndShrinksLinearlyOverTheRamp(double start, double end)
    {
        const int pages = 1000;
        const long ramp = 1_000_000;
        var spec = new WorkingSetWorkload { StartFraction = start, EndFraction = end, RampNs = ramp };
        Assert.Equal((int)Math.Ceiling(start * pages), spec.SizeAt(0, pages));
        Assert.Equal((int)Math.Ceiling((start + end) / 2 * pages), spec.SizeAt(ramp / 2, pages));
        Assert.Equal((int)Math.Ceiling(end * pages), spec.SizeAt(5 * ramp, pages));
        // The stream's clock starts at its first access (t = 1000 here), and each access stays inside the set.
        var source = spec.Create(pages, 0, 1, new RngStream(2, "ws"));
        var access = new GuestAccess();
        int maxEarly = 0, maxLate = 0;
        for (int i = 0; i < 20_000; i++) { source.Next(1000, ref access); maxEarly = Math.Max(maxEarly, access.Page); }
        for (int i = 0; i < 20_000; i++) { source.Next(1000 + 2 * ramp, ref access); maxLate = Math.Max(maxLate, access.Page); }
        Assert.Equal(spec.SizeAt(0, pages) - 1, maxEarly);
        Assert.Equal(spec.SizeAt(ramp, pages) - 1, maxLate);
    }

    [Fact]
    public void PhasesSwitchAtTheirDurationsAndLoop()
    {
        // Two scans of a 10-page guest told apart by their sequences: A (stride 1) 0,1,2,…; B (stride 5) 0,5,1,6,…
        // A lasts 100 ns and B 50 ns, so one cycle is 150 ns.
        var a = new SequentialWorkload { Stride = 1 };
        var b = new SequentialWorkload { Stride = 5 };
        var spec = new PhasedWorkload { Phases = [new(a, 100), new(b, 50)], Loop = true };
        var source = spec.Create(10, 0, 1, new RngStream(3, "ph"));
        var access = new GuestAccess();
        int[] at(long t) { source.Next(t, ref access); return [access.Page]; }
        Assert.Equal([0], at(0));     // A: 0
        Assert.Equal([1], at(99));    // A: 1
        Assert.Equal([0], at(100));   // B starts: 0
        Assert.Equal([5], at(149));   // B: 5
        Assert.Equal([2], at(150));   // loop: A resumes where it stopped
        Assert.Equal([1], at(400));   // phases since 150: A to 250, B to 300, A to 400, then B, which resumes with 1
    }

    [Fact]
    public void PhasedWithoutLoopEndsAfterTheLastPhaseAndEarlyWhenAllStreamsEnd()
    {
        var spec = new PhasedWorkload { Phases = [new(new UniformWorkload(), 100)] };
        var source = spec.Create(10, 0, 1, new RngStream(3, "ph"));
        var access = new GuestAccess();
        // The phase clock starts at the stream's first access (t = 7).
        Assert.True(source.Next(7, ref access));
        Assert.True(source.Next(106, ref access));
        Assert.False(source.Next(107, ref access));
        Assert.False(source.Next(50, ref access));
        // A looping phase whose one stream ends, one pass over 4 pages, ends the workload after those 4 accesses.
        var finite = new PhasedWorkload { Phases = [new(new SequentialWorkload { Passes = 1 }, 1_000_000)], Loop = true };
        Assert.Equal(4, Take(finite.Create(4, 0, 1, new RngStream(3, "f")), 100).Count);
    }

    [Fact]
    public void MixInterleavesStreamsInProportionToWeight()
    {
        // In a 2-page guest the hot set is one page: stream 0 only touches it and always writes, stream 1 only
        // touches the other page and never writes.
        var onlyFirst = new HotColdWorkload { HotAccessFraction = 1, HotPageFraction = 0.5, WriteFraction = 1 };
        var onlySecond = new HotColdWorkload { HotAccessFraction = 0, HotPageFraction = 0.5, WriteFraction = 0 };
        var spec = new MixWorkload { Streams = [new(onlyFirst, 3), new(onlySecond, 1)] };
        var accesses = Take(spec.Create(2, 0, 1, new RngStream(4, "mix")), 100_000);
        // Each stream carries its own write fraction: writes identify stream 0. Share 0.75, sd 0.0014, tol 0.007.
        double first = accesses.Count(a => a.IsWrite) / (double)accesses.Count;
        Assert.InRange(first, 0.743, 0.757);
        Assert.Equal(2, accesses.Select(a => a.Page).Distinct().Count());
    }

    [Fact]
    public void MixDropsEndedStreamsAndEndsWhenAllHave()
    {
        // One pass over 10 pages plus two passes: 10 + 20 = 30 accesses, then the mix ends (the 1000 asked are never reached).
        var spec = new MixWorkload { Streams = [new(new SequentialWorkload { Passes = 1 }, 1), new(new SequentialWorkload { Passes = 2 }, 1)] };
        Assert.Equal(30, Take(spec.Create(10, 0, 1, new RngStream(5, "m")), 1000).Count);
    }

    [Fact]
    public void BadParametersNameTheValueAndTheAllowedRange()
    {
        string Message(Action make) => Assert.Throws<ArgumentException>(make).Message;
        Assert.Contains("between 0 and 1, got 1.2", Message(() => _ = new HotColdWorkload { HotAccessFraction = 1.2 }));
        Assert.Contains("> 0 and <= 1, got 0", Message(() => _ = new HotColdWorkload { HotPageFraction = 0 }));
        Assert.Contains("stride must be >= 1 page, got 0", Message(() => _ = new SequentialWorkload { Stride = 0 }));
        Assert.Contains("got -1", Message(() => _ = new SequentialWorkload { Passes = -1 }));
        Assert.Contains("start fraction", Message(() => _ = new WorkingSetWorkload { StartFraction = 0 }));
        Assert.Contains("end fraction", Message(() => _ = new WorkingSetWorkload { EndFraction = 1.5 }));
        Assert.Contains("ramp duration", Message(() => _ = new WorkingSetWorkload { RampNs = -5 }));
        Assert.Contains("phase duration must be > 0 ns, got 0", Message(() => _ = new WorkloadPhase(new UniformWorkload(), 0)));
        Assert.Contains("at least one phase", Message(() => _ = new PhasedWorkload { Phases = [] }));
        Assert.Contains("weight must be a finite number > 0, got -2", Message(() => _ = new MixStream(new UniformWorkload(), -2)));
        Assert.Contains("at least one stream", Message(() => _ = new MixWorkload { Streams = [] }));
    }
}
