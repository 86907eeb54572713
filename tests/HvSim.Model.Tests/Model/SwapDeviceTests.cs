using HvSim.Engine;
using HvSim.Model.Config;
using HvSim.Model.Mm;
using static HvSim.Model.Tests.Model.ScriptedWorkload;

namespace HvSim.Model.Tests.Model;

/// <summary>The swap device's queues (CFQ read priority, request limits) and the reclaim writeback throttling (F18).</summary>
public class SwapDeviceTests
{
    /// <summary>Records every completed request with its completion time.</summary>
    private sealed class Recorder(Simulation sim) : ISwapCompletion
    {
        public List<(SwapRequest Request, long At)> Done { get; } = new();
        public void EndIo(in SwapRequest request) => Done.Add((request, sim.Now));
    }

    private static (Simulation, SwapDevice, Recorder) Device(SwapDeviceConfig cfg)
    {
        var sim = new Simulation(1);
        var rec = new Recorder(sim);
        return (sim, new SwapDevice(sim, cfg, new RngStream(7, "lat"), rec), rec);
    }

    private static SwapRequest WriteRq(int tag, long bytes, long at = 0) => new() { FirstSlot = tag, Bytes = bytes, QueuedAt = at };

    [Fact]
    public void SwapDeviceServesFifoThroughItsSlotsAndBandwidth()
    {
        var (sim, dev, rec) = Device(new SwapDeviceConfig { LatencyMeanNs = 100_000, LatencyCv = 0, ParallelSlots = 2, BandwidthBytesPerSecond = 1_000_000_000 });
        for (int i = 0; i < 3; i++) dev.Submit(WriteRq(i, 65536));
        sim.Run();
        // 65536 B at 1 GB/s = 65536 ns of transfer through one shared channel.
        Assert.Equal([(0, 100_000 + 65_536), (1, 100_000 + 2 * 65_536), (2, 100_000 + 65_536 + 100_000 + 65_536)],
            rec.Done.Select(d => (d.Request.FirstSlot, d.At)));
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(1.0)]
    [InlineData(2.0)]
    public void SwapLatencyHasTheConfiguredMeanAndCv(double cv)
    {
        var (sim, dev, rec) = Device(new SwapDeviceConfig { LatencyMeanNs = 200_000, LatencyCv = cv, ParallelSlots = 1, BandwidthBytesPerSecond = 0 });
        const int n = 200_000;
        for (int i = 0; i < n; i++) dev.Submit(WriteRq(i, 0));
        sim.Run();
        var samples = new double[n];
        for (int i = 0; i < n; i++) samples[i] = rec.Done[i].At - (i == 0 ? 0 : rec.Done[i - 1].At);
        double mean = samples.Average();
        double sd = Math.Sqrt(samples.Select(x => (x - mean) * (x - mean)).Average());
        Assert.InRange(mean, 200_000 * 0.98, 200_000 * 1.02);
        Assert.InRange(sd / mean, cv * 0.93, cv * 1.07);
    }

    [Fact]
    public void AMeasuredHistogramIsSampledWithItsOwnQuantiles()
    {
        // A device with a body near 50 us and a millisecond tail (what `hvsim calibrate swap` measures on virtio and
        // NVMe): the service times the device draws must have the histogram's quantiles to within a bucket width.
        // Truth, by hand from the weights (cumulative 0.30, 0.70, 0.90, 0.97, 1): q = 0.15 lies in bucket 1 halfway,
        // 0.5 in bucket 2 halfway (40 us + ... = 55 us), 0.8 halfway into bucket 3 (70 us), 0.935 halfway into
        // bucket 4 (1.5 ms), 0.985 halfway into bucket 5 (5 ms).
        LatencyBucket[] buckets =
        [
            new(40_000, 50_000, 30), new(50_000, 60_000, 40), new(60_000, 80_000, 20), new(1_000_000, 2_000_000, 7), new(2_000_000, 8_000_000, 3),
        ];
        (double Q, long Expected, long Width)[] truth =
            [(0.15, 45_000, 10_000), (0.5, 55_000, 10_000), (0.8, 70_000, 20_000), (0.935, 1_500_000, 1_000_000), (0.985, 5_000_000, 6_000_000)];
        var (sim, dev, rec) = Device(new SwapDeviceConfig { LatencyHistogram = new LatencyHistogram(buckets), ParallelSlots = 1, BandwidthBytesPerSecond = 0 });
        const int n = 100_000;
        for (int i = 0; i < n; i++) dev.Submit(WriteRq(i, 0));
        sim.Run();
        var samples = new long[n];
        for (int i = 0; i < n; i++) samples[i] = rec.Done[i].At - (i == 0 ? 0 : rec.Done[i - 1].At);
        Array.Sort(samples);
        Assert.All(samples, s => Assert.Contains(buckets, b => s >= b.LowerNs && s < b.UpperNs)); // nothing in the gaps
        foreach (var (q, expected, width) in truth)
            Assert.InRange(samples[(int)(q * n)], expected - width / 2, expected + width / 2);
        // Linear inside buckets: the median sits within 2 % of a bucket width of its exact place (55 us).
        Assert.InRange(samples[n / 2], 55_000 - 200, 55_000 + 200);
        // Mean = sum of weight x midpoint / 100 = (13.5 + 22 + 14 + 105 + 150) us = 304.5 us, pulled up by the tail.
        Assert.InRange(samples.Average(), 304_500 * 0.97, 304_500 * 1.03);
    }

    [Fact]
    public void AReadQueuedBehindWritesIsServedBeforeThem()
    {
        // One slot, 10 ms per request: three writes queued at 0, a swap-in read at 1 ms. CFQ serves the sync read as
        // soon as the write in service finishes (10 ms), not after all writes (30 ms): read done at 20 ms.
        var (sim, dev, rec) = Device(new SwapDeviceConfig { LatencyMeanNs = 10_000_000, LatencyCv = 0, ParallelSlots = 1, BandwidthBytesPerSecond = 0 });
        for (int i = 0; i < 3; i++) dev.Submit(WriteRq(i, 65536));
        sim.Schedule(1_000_000, () => dev.Submit(new SwapRequest { IsRead = true, FirstSlot = 99, Bytes = 65536, QueuedAt = sim.Now }));
        sim.Run();
        Assert.Equal([(0, false, 10_000_000L), (99, true, 20_000_000L), (1, false, 30_000_000L), (2, false, 40_000_000L)],
            rec.Done.Select(d => (d.Request.FirstSlot, d.Request.IsRead, d.At)));
        Assert.Equal(1, dev.ReadWait.Count);
        Assert.Equal(9_000_000, dev.ReadWait.Max); // queued at 1 ms, dispatched at 10 ms
        Assert.Equal(40_000_000, dev.BusyNs(sim.Now));
    }

    [Fact]
    public void BusyTimeCountsOnlyTimeWithARequestInService()
    {
        var (sim, dev, _) = Device(new SwapDeviceConfig { LatencyMeanNs = 1_000, LatencyCv = 0, ParallelSlots = 2, BandwidthBytesPerSecond = 0 });
        dev.Submit(WriteRq(0, 0));
        dev.Submit(WriteRq(1, 0)); // in parallel on the second slot: busy 0..1000 once
        sim.Schedule(5_000, () => dev.Submit(WriteRq(2, 0, sim.Now)));
        sim.Run();
        Assert.Equal(2_000, dev.BusyNs(sim.Now));
    }

    [Fact]
    public void WriteCongestionTurnsOnAt113QueuedWritesAndOffBelow103()
    {
        // 3.4 block/blk-core.c blk_queue_congestion_threshold with nr_requests 128: on = 128 - 128 / 8 + 1 = 113, off =
        // 128 - 128 / 8 - 128 / 16 - 1 = 103. One slot, 1 us per write: at 9.5 us 9 are done, at 11.5 us 11.
        var (sim, dev, _) = Device(new SwapDeviceConfig { LatencyMeanNs = 1_000, LatencyCv = 0, ParallelSlots = 1, BandwidthBytesPerSecond = 0 });
        for (int i = 0; i < 112; i++) dev.Submit(WriteRq(i, 0));
        Assert.False(dev.WriteCongested);
        dev.Submit(WriteRq(112, 0));
        Assert.True(dev.WriteCongested);
        sim.Run(9_500); // 9 done: 104 queued, still congested
        Assert.Equal(104, dev.QueuedWrites);
        Assert.True(dev.WriteCongested);
        sim.Run(11_500); // 11 done: 102 < 103
        Assert.False(dev.WriteCongested);
    }

    [Fact]
    public void SwapWritesOfConsecutiveSlotsFromOneShrinkZoneAreOneRequest()
    {
        // 3.4 shrink_mem_cgroup_zone plugs its writes (blk_start_plug .. blk_finish_plug) and blk_queue_bio merges a
        // bio into the plugged request its sector follows. FIFO over pages 1..6 (no young re-check): priorities 12..3
        // scan 6 >> p = 0 pages, priority 2 writes page 1 (slot 0), priority 1 pages 2, 3, 4 (slots 1-3), priority 0
        // pages 5, 6 (slots 4, 5) and meets 1-4 under writeback (kept). Three shrink_zone calls, three requests of 1, 3
        // and 2 pages; nothing is freed until the writes are done. 10 ms per request plus 1 ms per 64 KiB page.
        var swap = new SwapDeviceConfig { LatencyMeanNs = 10_000_000, LatencyCv = 0, ParallelSlots = 1, BandwidthBytesPerSecond = 65_536_000, CapacityBytes = 64 * ModelKit.Mib };
        var rig = new Rig(swap: swap, script: [[Write(1), Write(2), Write(3), Write(4), Write(5), Write(6)]]);
        rig.StartVcpus();
        rig.Sim.Run();
        long free = rig.Host.FreePages;
        long t0 = rig.Sim.Now;
        Assert.Equal(0, rig.Reclaim(32, t0, out long end));
        Assert.Equal(t0 + 6 * 2_000, end); // one tlbie per unmapped page
        Assert.Equal(6, rig.Vm.Counters.SwapOuts);
        Assert.Equal(3, rig.Host.SwapDevice.Requests);
        Assert.Equal(free, rig.Host.FreePages);
        rig.Sim.Run(); // the first request is queued after page 1's tlbie; the device serves the three back to back
        Assert.Equal(t0 + 2_000 + (10_000_000 + 1_000_000) + (10_000_000 + 3_000_000) + (10_000_000 + 2_000_000), rig.Sim.Now);
        // Written and rotated to the tail: the next pass frees all six without writing again.
        Assert.Equal(6, rig.Reclaim(32, rig.Sim.Now, out _));
        Assert.Equal(free + 6, rig.Host.FreePages);
        Assert.Equal(6, rig.Vm.Counters.SwapOuts);
    }

    [Fact]
    public void DirectReclaimWritesToACongestedQueue()
    {
        // pageout's comment: swap_backing_dev_info is bust, so may_write_to_queue never sees the swap device congested.
        var rig = new Rig(script: [[Write(1), Write(2)]]);
        rig.StartVcpus();
        rig.Sim.Run();
        for (int i = 0; i < SwapDevice.CongestionOn; i++) rig.Host.SwapDevice.Submit(new SwapRequest { QueuedAt = rig.Sim.Now });
        Assert.True(rig.Host.SwapDevice.WriteCongested);
        Assert.Equal(0, rig.Reclaim(32, rig.Sim.Now, out _));
        Assert.Equal(2, rig.Vm.Counters.SwapOuts);
        Assert.True(rig.Page(1).Has(HostPageFlags.Writeback));
        Assert.True(rig.Page(2).Has(HostPageFlags.Writeback));
    }

    [Fact]
    public void AReclaimerSleepsInGetRequestWaitWhenAll128WriteRequestsAreTaken()
    {
        // block/blk-core.c get_request_wait: with nr_requests (128) async requests allocated, submit_bio sleeps until
        // one is freed. Rig device: one slot, 100 us per request. FIFO over pages 1, 2 (tlbie 2 us each): priority 1
        // unmaps page 1 (t0 + 2 us) and its bio finds no request; the first dummy write completes at t0 + 100 us and
        // page 1 takes its request. Priority 0 (a new plug) unmaps page 2 (t0 + 102 us), whose bio again finds all 128
        // taken, until the second dummy completes at t0 + 200 us; page 1, under writeback, is kept.
        var rig = new Rig(script: [[Write(1), Write(2)]]);
        rig.StartVcpus();
        rig.Sim.Run();
        long t0 = rig.Sim.Now;
        for (int i = 0; i < SwapDevice.NrRequests; i++) rig.Host.SwapDevice.Submit(new SwapRequest { QueuedAt = t0 });
        var sc = new ScanControl(32);
        long end = -1;
        IEnumerable<Command> Pass()
        {
            sc.Begin(rig.Sim.Now, 32);
            while (!rig.Host.Vmscan.DoTryToFreePages(sc))
            {
                yield return rig.Host.Vmscan.GetRequestWait(sc);
                sc.T = Math.Max(sc.T, rig.Sim.Now);
            }
            end = sc.T;
        }
        rig.Sim.Start(Pass());
        rig.Sim.Run(t0 + 50_000);
        Assert.Equal(1, rig.Vm.Counters.SwapOuts); // page 1 is under writeback, its bio still waiting for a request
        Assert.True(rig.Page(1).Has(HostPageFlags.Writeback));
        Assert.Equal(SwapDevice.NrRequests, rig.Host.SwapDevice.QueuedWrites);
        rig.Sim.Run();
        Assert.Equal(t0 + 200_000, end);
        Assert.Equal(2, rig.Host.Counters.WriteRequestWaits);
        Assert.Equal(2, rig.Vm.Counters.SwapOuts);
    }
}
