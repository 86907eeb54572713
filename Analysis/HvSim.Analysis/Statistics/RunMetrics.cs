using HvSim.Analysis.Results;
using HvSim.Analysis.Tables;
using HvSim.Model.Config;

namespace HvSim.Analysis.Statistics;

/// <summary>Computes every <see cref="Metric"/> of every run in a results folder: the per-run values that replications average.</summary>
public static class RunMetrics
{
    public static List<Observation> Compute(ResultsFolder folder, double? warmupSecondsOverride = null)
    {
        double warmup = warmupSecondsOverride ?? folder.Manifest.WarmupSeconds() ?? 0;
        double accessUs = folder.Manifest.AccessCostMicroseconds() ?? new CostConfig().AccessNs / 1e3;
        var observations = new List<Observation>();
        var hostByRun = folder.Host.ToDictionary(r => r.Run, r => r.Row);
        var bucketsByRun = folder.FaultLatency.GroupBy(r => r.Run).ToDictionary(g => g.Key, g => g.Select(r => r.Row).ToList());
        double? durationS = folder.Manifest.DurationSeconds();
        var seriesByRun = WarmupCut.Apply(folder.Timeseries, warmup).GroupBy(r => r.Run).ToDictionary(g => g.Key, g => g.Select(r => r.Row).ToList());

        foreach (var run in folder.Summary.GroupBy(r => r.Run))
        {
            var point = folder.PointOf(run.Key);
            var guests = run.Select(r => r.Row).ToList();
            var admitted = guests.Where(g => g.Admitted).ToList();
            var hostExtra = folder.HostExtra.GetValueOrDefault(run.Key);
            double seconds = MeasuredSeconds(hostExtra, durationS ?? guests.Max(g => g.SimulatedS), warmup);
            void Add(Metric m, double v, string guest = "") => observations.Add(new Observation(run.Key, point, guest, m, v));
            double Rate(double count) => seconds > 0 ? count / seconds : double.NaN;

            Add(Metric.AdmittedGuests, admitted.Count);
            Add(Metric.RefusedGuests, guests.Count - admitted.Count);
            if (admitted.Count > 0)
            {
                var stall = admitted.Select(g => g.StallFraction).ToList();
                Add(Metric.Slowdown, stall.Average());
                Add(Metric.SlowdownMax, stall.Max());
                long accesses = admitted.Sum(g => g.Accesses);
                if (accesses > 0) Add(Metric.EffectiveAccessTime, accessUs + admitted.Sum(g => g.StalledS) * 1e6 / accesses);
                Add(Metric.MajorFaultRatePerGuest, admitted.Average(g => Rate(g.MajorFaults)));
            }
            long faults = guests.Sum(g => g.HdsiFaults);
            if (faults > 0)
                Add(Metric.FaultLatencyMean, guests.Sum(g => (g.FaultLatencyMeanUs ?? 0) * g.HdsiFaults) / faults);
            if (bucketsByRun.TryGetValue(run.Key, out var runBuckets))
            {
                var buckets = runBuckets.Select(ToBucket).ToList();
                Add(Metric.FaultLatencyP50, BucketQuantile.Quantile(buckets, 0.5));
                Add(Metric.FaultLatencyP90, BucketQuantile.Quantile(buckets, 0.9));
                Add(Metric.FaultLatencyP99, BucketQuantile.Quantile(buckets, 0.99));
                Add(Metric.FaultLatencyP999, BucketQuantile.Quantile(buckets, 0.999));
            }
            Add(Metric.HdsiFaultRate, Rate(faults));
            Add(Metric.MinorFaultRate, Rate(guests.Sum(g => g.MinorFaults)));
            Add(Metric.MajorFaultRate, Rate(guests.Sum(g => g.MajorFaults)));
            Add(Metric.UnmapHvaRate, Rate(guests.Sum(g => g.UnmapHvaCalls)));
            Add(Metric.TlbieRate, Rate(guests.Sum(g => g.Tlbies)));
            Add(Metric.PagesSwappedOut, guests.Sum(g => g.SwapOuts));
            Add(Metric.PagesSwappedIn, guests.Sum(g => g.SwapIns));
            Add(Metric.PagesReclaimed, guests.Sum(g => g.PagesReclaimed));
            Add(Metric.PinnedPages, guests.Sum(g => g.PinnedPages));
            if (hostByRun.TryGetValue(run.Key, out var host))
            {
                Add(Metric.KswapdWakeups, host.KswapdWakeups);
                Add(Metric.DirectReclaims, host.DirectReclaims);
                Add(Metric.PagesScanned, host.PagesScanned);
                Add(Metric.SwapFullEvents, host.SwapFullEvents);
            }
            if (hostExtra is not null)
            {
                if (hostExtra.TryGetValue("pages_freed", out double freed) && freed > 0 && host is not null)
                    Add(Metric.ScannedPerFreed, host.PagesScanned / freed);
                if (hostExtra.TryGetValue("swap_busy_fraction", out double busy)) Add(Metric.SwapBusyFraction, busy);
                if (hostExtra.TryGetValue("swap_read_wait_p99_us", out double wait)) Add(Metric.SwapReadWaitP99, wait);
            }
            var guestExtra = folder.SummaryExtra.GetValueOrDefault(run.Key) ?? [];
            if (guestExtra.Any(e => e.ContainsKey("faults_in_flight_at_end")))
                Add(Metric.FaultsInFlightAtEnd, guestExtra.Sum(e => e.GetValueOrDefault("faults_in_flight_at_end")));
            if (guestExtra.Any(e => e.ContainsKey("oldest_fault_in_flight_us")))
                Add(Metric.OldestFaultInFlight, guestExtra.Max(e => e.GetValueOrDefault("oldest_fault_in_flight_us")));
            var series = seriesByRun.GetValueOrDefault(run.Key) ?? [];
            var hostSeries = series.Where(TimeseriesRows.IsHost).ToList();
            if (hostSeries.Any(r => r.FreeBytes.HasValue)) Add(Metric.HostFreeMin, hostSeries.Where(r => r.FreeBytes.HasValue).Min(r => r.FreeBytes!.Value));
            if (hostSeries.Any(r => r.SwapUsedBytes.HasValue)) Add(Metric.SwapUsedMax, hostSeries.Where(r => r.SwapUsedBytes.HasValue).Max(r => r.SwapUsedBytes!.Value));

            foreach (var g in admitted)
            {
                Add(Metric.Slowdown, g.StallFraction, g.Guest);
                if (g.Accesses > 0) Add(Metric.EffectiveAccessTime, accessUs + g.StalledS * 1e6 / g.Accesses, g.Guest);
                Add(Metric.HdsiFaultRate, Rate(g.HdsiFaults), g.Guest);
                Add(Metric.MajorFaultRate, Rate(g.MajorFaults), g.Guest);
                if (runBuckets is not null)
                {
                    var own = runBuckets.Where(b => b.Guest == g.Guest).Select(ToBucket).ToList();
                    if (own.Count > 0) Add(Metric.FaultLatencyP99, BucketQuantile.Quantile(own, 0.99), g.Guest);
                }
                var resident = series.Where(r => r.Guest == g.Guest && r.ResidentBytes.HasValue).ToList();
                if (resident.Count > 0) Add(Metric.ResidentMean, resident.Average(r => (double)r.ResidentBytes!.Value), g.Guest);
            }
        }
        return observations;
    }

    /// <summary>
    /// The time the counters of summary.csv and host.csv cover: the model resets them when the warm-up ends, so
    /// host.csv's measured_s, else the run's duration less the warm-up.
    /// </summary>
    internal static double MeasuredSeconds(IReadOnlyDictionary<string, double>? hostExtra, double durationS, double warmupS) =>
        hostExtra is not null && hostExtra.TryGetValue("measured_s", out double measured) ? measured : durationS - warmupS;

    internal static LatencyBucket ToBucket(FaultLatencyRow r) => new(r.BucketLowerUs, r.BucketUpperUs, r.Count);
}
