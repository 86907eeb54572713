using HvSim.Model.Results;

namespace HvSim.Analysis.Results;

/// <summary>The rows one run contributes to each results table.</summary>
public sealed record RunRows(
    IReadOnlyList<SummaryRow> Summary, IReadOnlyList<HostRow> Host, IReadOnlyList<TimeseriesRow> Timeseries, IReadOnlyList<FaultLatencyRow> FaultLatency)
{
    private const double NsPerUs = 1_000;
    private const double NsPerS = 1_000_000_000;

    public static RunRows From(RunKey key, RunResult r)
    {
        var summary = r.Guests.Select(g => new SummaryRow
        {
            Scenario = key.Scenario, Platform = key.PlatformName, Replication = key.Replication, Seed = key.Seed,
            Guest = g.Guest, Admitted = g.Admitted, RefusalReason = g.RefusalReason, GuestMemoryBytes = g.GuestMemoryBytes,
            Accesses = g.Accesses, HpteHits = g.HpteHits, HEnterCalls = g.HEnterCalls, HdsiFaults = g.HdsiFaults,
            MinorFaults = g.MinorFaults, MajorFaults = g.MajorFaults, FaultRetries = g.FaultRetries, UnmapHvaCalls = g.UnmapHvaCalls,
            HptesInvalidated = g.HptesInvalidated, Tlbies = g.Tlbies, AgeHvaCalls = g.AgeHvaCalls, PagesReclaimed = g.PagesReclaimed,
            SwapIns = g.SwapIns, SwapOuts = g.SwapOuts, PinnedPages = g.PinnedPages,
            FaultLatencyMeanUs = Us(g.FaultLatency.Mean), // NaN (empty) when the guest took no fault or was refused
            FaultLatencyP50Us = Us(g.FaultLatency.Quantile(0.5)),
            FaultLatencyP90Us = Us(g.FaultLatency.Quantile(0.9)),
            FaultLatencyP99Us = Us(g.FaultLatency.Quantile(0.99)),
            FaultLatencyP999Us = Us(g.FaultLatency.Quantile(0.999)),
            StalledSCell = g.Admitted ? g.StalledNs / NsPerS : null, VcpuSCell = g.Admitted ? g.VcpuNs / NsPerS : null,
            StallFractionCell = g.Admitted ? g.StallFraction : null, SimulatedS = r.SimulatedNs / NsPerS,
            HRemoveCalls = g.HRemoveCalls, ProtectionFaults = g.ProtectionFaults, Exits = g.Exits, VcoreExits = g.VcoreExits,
            FaultsInFlightAtEnd = g.FaultsInFlightAtEnd, OldestFaultInFlightUs = g.OldestFaultInFlightNs / NsPerUs,
            SiblingWaitS = g.SiblingWaitNs / NsPerS,
        }).ToList();

        var h = r.Host;
        var host = new List<HostRow>
        {
            new()
            {
                Scenario = key.Scenario, Platform = key.PlatformName, Replication = key.Replication, Seed = key.Seed,
                MemoryBytes = h.MemoryBytes, PageSizeBytes = h.PageSizeBytes,
                WatermarkMinBytes = h.WatermarkMinPages * h.PageSizeBytes, WatermarkLowBytes = h.WatermarkLowPages * h.PageSizeBytes,
                WatermarkHighBytes = h.WatermarkHighPages * h.PageSizeBytes,
                KswapdWakeups = h.KswapdWakeups, DirectReclaims = h.DirectReclaims, PagesScanned = h.PagesScanned, SwapFullEvents = h.SwapFullEvents,
                MeasuredS = h.MeasuredNs / NsPerS, SwapReads = h.SwapReads, SwapWrites = h.SwapWrites,
                SwapReadRequests = h.SwapReadRequests, SwapWriteRequests = h.SwapWriteRequests, PagesFreed = h.PagesFreed,
                PagesDeactivated = h.PagesDeactivated, WriteRequestWaits = h.WriteRequestWaits, KswapdCongestionWaits = h.KswapdCongestionWaits,
                SwapTokenReferences = h.SwapTokenReferences,
                SwapBusyFraction = h.SwapBusyFraction,
                SwapReadWaitP50Us = Us(h.SwapReadWait.Quantile(0.5)), SwapReadWaitP99Us = Us(h.SwapReadWait.Quantile(0.99)),
                SwapWriteWaitP50Us = Us(h.SwapWriteWait.Quantile(0.5)), SwapWriteWaitP99Us = Us(h.SwapWriteWait.Quantile(0.99)),
            },
        };

        // Host rows and guest rows of one interval sit together, host first, then guests in config order.
        var series = new List<TimeseriesRow>();
        var guestSamples = r.GuestSeries.ToLookup(s => s.TimeNs);
        foreach (var hs in r.HostSeries)
        {
            series.Add(new TimeseriesRow
            {
                Scenario = key.Scenario, Platform = key.PlatformName, Replication = key.Replication, Seed = key.Seed,
                TimeS = hs.TimeNs / NsPerS, Guest = "host", FreeBytes = hs.FreeBytes, SwapUsedBytes = hs.SwapUsedBytes, SwapCacheBytes = hs.SwapCacheBytes,
                SwapQueuedReads = hs.SwapQueuedReads, SwapQueuedWrites = hs.SwapQueuedWrites, WritebackBytes = hs.WritebackBytes,
            });
            foreach (var gs in guestSamples[hs.TimeNs].OrderBy(s => s.Guest))
                series.Add(new TimeseriesRow
                {
                    Scenario = key.Scenario, Platform = key.PlatformName, Replication = key.Replication, Seed = key.Seed,
                    TimeS = gs.TimeNs / NsPerS, Guest = r.Guests[gs.Guest].Guest, ResidentBytes = gs.ResidentBytes,
                    Accesses = gs.Accesses, HdsiFaults = gs.HdsiFaults, MinorFaults = gs.MinorFaults, MajorFaults = gs.MajorFaults,
                    UnmapHvaCalls = gs.UnmapHvaCalls, Tlbies = gs.Tlbies,
                });
        }

        var latency = r.Guests.SelectMany(g => g.FaultLatency.Buckets().Select(b => new FaultLatencyRow
        {
            Scenario = key.Scenario, Platform = key.PlatformName, Replication = key.Replication, Seed = key.Seed,
            Guest = g.Guest, BucketLowerUs = b.Lower / NsPerUs, BucketUpperUs = b.Upper / NsPerUs, Count = b.Count,
        })).ToList();

        return new RunRows(summary, host, series, latency);
    }

    private static double? Us(double ns) => double.IsNaN(ns) ? null : ns / NsPerUs;
}
