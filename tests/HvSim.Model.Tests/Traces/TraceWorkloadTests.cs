using HvSim.Engine;
using HvSim.Model.Workloads;
using HvSim.Traces;

namespace HvSim.Model.Tests.Traces;

public sealed class TraceWorkloadTests : IDisposable
{
    private readonly TempFiles _files = new();

    public void Dispose() => _files.Dispose();

    private static List<GuestAccess> Drain(IAccessSource source, int max = 10_000)
    {
        var list = new List<GuestAccess>();
        var access = new GuestAccess();
        while (list.Count < max && source.Next(0, ref access)) list.Add(access);
        return list;
    }

    [Fact]
    public void VcpusSplitTheRecordsRoundRobinOverOneDensePageNumbering()
    {
        string path = _files.Text("t.csv", "1,900,1,R\n2,5,1,W\n3,900,1,R\n4,7,1,W\n5,5,1,R\n");
        var spec = new TraceWorkload { Path = path };
        Assert.Equal(3, spec.DistinctPages);
        var v0 = Drain(spec.Create(3, 0, 2, new RngStream(1, "a")));
        var v1 = Drain(spec.Create(3, 1, 2, new RngStream(1, "b")));
        // Dense pages in order of first appearance: 900 -> 0, 5 -> 1, 7 -> 2.
        Assert.Equal([0, 0, 1], v0.Select(a => a.Page));
        Assert.Equal([1, 2], v1.Select(a => a.Page));
        Assert.Equal([false, false, false], v0.Select(a => a.IsWrite));
        Assert.Equal([true, true], v1.Select(a => a.IsWrite));
    }

    [Fact]
    public void TimeScaleTurnsTraceGapsIntoThinkTimeAndLoopsRepeat()
    {
        string path = _files.Text("t.csv", "10,1,1,R\n10.5,2,1,R\n12,1,1,R\n");
        var spec = new TraceWorkload { Path = path, TimeScale = 0.001, Loops = 2 };
        var accesses = Drain(spec.Create(2, 0, 1, new RngStream(1, "t")));
        Assert.Equal([0, 1, 0, 0, 1, 0], accesses.Select(a => a.Page));
        Assert.Equal([0L, 500_000, 1_500_000, 0, 500_000, 1_500_000], accesses.Select(a => a.ThinkNs));
        Assert.Equal(100, Drain(new TraceWorkload { Path = path, Loops = 0 }.Create(2, 0, 1, new RngStream(1, "t")), 100).Count);
    }

    [Fact]
    public void ASmallTraceLoopedForeverIsReadFromTheFileOnce()
    {
        // The file is opened by the scan only: once it is gone, two vCPUs still replay it loop after loop, and the same
        // accesses as a streamed replay (records v, v + k, ... of each loop) come out.
        string path = _files.Text("loop.csv", "1,10,1,R\n2,20,1,W\n3,10,1,R\n4,30,1,W\n5,20,1,R\n");
        var spec = new TraceWorkload { Path = path, Loops = 0 };
        var v0 = spec.Create(3, 0, 2, new RngStream(1, "a"));
        var v1 = spec.Create(3, 1, 2, new RngStream(1, "b"));
        File.Delete(path);
        var a0 = Drain(v0, 300);
        var a1 = Drain(v1, 200);
        // Dense pages 10 -> 0, 20 -> 1, 30 -> 2. vCPU 0 gets records 1, 3, 5; vCPU 1 records 2, 4; every loop.
        Assert.Equal(Enumerable.Repeat(new[] { 0, 0, 1 }, 100).SelectMany(x => x), a0.Select(a => a.Page));
        Assert.Equal(Enumerable.Repeat(new[] { 1, 2 }, 100).SelectMany(x => x), a1.Select(a => a.Page));
    }

    [Fact]
    public void TheMemoryEstimateCountsATracesPageMapAndKeptRequests()
    {
        // 6 requests over 5 distinct pages. The map's dictionary grows 0 -> 3 -> 7 slots (.NET's prime sizes) and each slot
        // costs a 24-byte entry and a 4-byte bucket: 7 x 28 = 196 B. The requests are kept: 6 x 32 B (TraceRequest) = 192 B.
        string path = _files.Text("est.csv", "1,1,1,R\n2,2,1,R\n3,3,1,R\n4,4,1,R\n5,5,1,R\n6,1,1,R\n");
        var table = Assert.Single(new TraceWorkload { Path = path }.Tables(5));
        Assert.Equal(196 + 192, table.Bytes);
    }

    [Fact]
    public void ExpandedRequestsEmitOneAccessPerPageWithTheThinkTimeOnTheFirst()
    {
        // LBN 0 with 8 KiB covers 4 KiB pages 0 and 1; LBN 8 with 4 KiB is page 1 again.
        string path = _files.Text("t.csv", "1,0,8192,W\n3,8,4096,R\n");
        var spec = new TraceWorkload { Path = path, Mapping = PageMapping.Expand(), TimeScale = 1 };
        var accesses = Drain(spec.Create(2, 0, 1, new RngStream(1, "e")));
        Assert.Equal([0, 1, 1], accesses.Select(a => a.Page));
        Assert.Equal([true, true, false], accesses.Select(a => a.IsWrite));
        Assert.Equal([0L, 0, 2_000_000_000], accesses.Select(a => a.ThinkNs));
    }

    [Fact]
    public void ATraceLargerThanTheGuestOrABadFileIsRejectedUpFront()
    {
        string path = _files.Text("t.csv", "1,1,1,R\n2,2,1,R\n3,3,1,R\n");
        var e = Assert.Throws<ArgumentException>(() => new TraceWorkload { Path = path }.Create(2, 0, 1, new RngStream(1, "x")));
        Assert.Contains("touches 3 distinct pages, more than the guest's 2 pages", e.Message);
        string bad = _files.Text("bad.csv", "1,1,1,R\n2,x,1,R\n");
        Assert.Contains("record 2", Assert.Throws<TraceException>(() => new TraceWorkload { Path = bad }.Create(8, 0, 1, new RngStream(1, "x"))).Message);
        Assert.Contains("loops must be >= 0", Assert.Throws<ArgumentException>(() => new TraceWorkload { Path = path, Loops = -1 }).Message);
        Assert.Contains("time scale", Assert.Throws<ArgumentException>(() => new TraceWorkload { Path = path, TimeScale = double.NaN }).Message);
    }
}
