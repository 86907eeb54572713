using HvSim.Analysis.Results;
using HvSim.Analysis.Tables;
using HvSim.Model.Config;

namespace HvSim.Analysis.Statistics;

/// <summary>Computes every <see cref="Metric"/> of every run in a results folder: the per-run values that replications average.</summary>
public static class RunMetrics
{
    public static List<Observation> Compute(ResultsFolder folder, double? warmupSecondsOverride = null)
    {
        var observations = new List<Observation>();
        var hostByRun = folder.Host.ToDictionary(r => r.Run, r => r.Row);
        var bucketsByRun = folder.FaultLatency.GroupBy(r => r.Run).ToDictionary(g => g.Key, g => g.Select(r => r.Row).ToList());
        var seriesByRun = folder.Timeseries.GroupBy(r => r.Run)
            .ToDictionary(g => g.Key, g => WarmupCut.Apply(g, folder.WarmupSeconds(g.Key, warmupSecondsOverride)).Select(r => r.Row).ToList());

        foreach (var run in folder.Summary.GroupBy(r => r.Run))
        {
            var point = folder.PointOf(run.Key);
            var guests = run.Select(r => r.Row).ToList();
            var admitted = guests.Where(g => g.Admitted).ToList();
            var host = hostByRun.GetValueOrDefault(run.Key);
            // The run's own settings as it ran them; a folder whose manifest does not record them: the simulated time
            // and the model's default access cost.
            var config = folder.ConfigOf(run.Key);
            double warmup = folder.WarmupSeconds(run.Key, warmupSecondsOverride);
            double accessUs = config is null ? new CostConfig().AccessNs / 1e3 : config.Costs.AccessNs / ResultsFolder.NsPerS * 1e6;
            double durationS = config is null ? guests.Max(g => g.SimulatedS) : config.DurationNs / ResultsFolder.NsPerS;
            // The counters cover what the model measured after the warm-up: host.csv's measured_s, else duration less warm-up.
            double seconds = host?.MeasuredS ?? durationS - warmup;
            void Add(Metric m, double v, string guest = "") => observations.Add(new Observation(run.Key, point, guest, m, v));
            double Rate(double count) => seconds > 0 ? count / seconds : double.NaN;

            Add(Metric.AdmittedGuests, admitted.Count);
            Add(Metric.RefusedGuests, guests.Count - admitted.Count);
            if (host is not null && host.MemoryBytes > 0)
                Add(Metric.OvercommitRatio, admitted.Sum(g => (double)g.GuestMemoryBytes) / host.MemoryBytes);
            Add(Metric.HostThroughput, Rate(admitted.Sum(g => g.Accesses)));
            if (admitted.Count > 0)
            {
                var stall = admitted.Select(g => g.StallFraction).ToList();
                Add(Metric.StallFraction, stall.Average());
                Add(Metric.StallFractionMax, stall.Max());
                Add(Metric.SlowdownFactor, Slowdown.Factor(admitted.Sum(g => g.StalledS), admitted.Sum(g => g.VcpuS)));
                Add(Metric.SlowdownFactorMax, admitted.Max(g => Slowdown.Factor(g.StalledS, g.VcpuS)));
                double vcpu = admitted.Sum(g => g.VcpuS);
                foreach (var (m, partS) in Metric.StallParts)
                    if (vcpu > 0 && admitted.All(g => partS(g).HasValue)) Add(m, admitted.Sum(g => partS(g)!.Value) / vcpu);
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
            // Column totals: summed over the run's guests, or the run's host.csv value; absent where the cells are empty.
            foreach (var m in Metric.All)
            {
                if (m.Column is not { } column) continue;
                IEnumerable<object> rows = column.Table == ResultsTables.Host ? host is null ? [] : [host] : guests;
                var cells = rows.Select(column.ValueIn).ToList();
                if (cells.Any(v => v.HasValue)) Add(m, cells.Sum(v => v ?? 0));
            }
            if (host?.PagesFreed is > 0 and { } freed) Add(Metric.ScannedPerFreed, host.PagesScanned / (double)freed);
            if (guests.Any(g => g.OldestFaultInFlightUs.HasValue))
                Add(Metric.OldestFaultInFlight, guests.Max(g => g.OldestFaultInFlightUs ?? 0));
            var series = seriesByRun.GetValueOrDefault(run.Key) ?? [];
            var hostSeries = series.Where(TimeseriesRows.IsHost).ToList();
            if (hostSeries.Any(r => r.FreeBytes.HasValue)) Add(Metric.HostFreeMin, hostSeries.Where(r => r.FreeBytes.HasValue).Min(r => r.FreeBytes!.Value));
            if (hostSeries.Any(r => r.SwapUsedBytes.HasValue)) Add(Metric.SwapUsedMax, hostSeries.Where(r => r.SwapUsedBytes.HasValue).Max(r => r.SwapUsedBytes!.Value));

            foreach (var g in admitted)
            {
                Add(Metric.StallFraction, g.StallFraction, g.Guest);
                Add(Metric.SlowdownFactor, Slowdown.Factor(g.StalledS, g.VcpuS), g.Guest);
                Add(Metric.HostThroughput, Rate(g.Accesses), g.Guest);
                foreach (var (m, partS) in Metric.StallParts)
                    if (g.VcpuS > 0 && partS(g) is { } s) Add(m, s / g.VcpuS, g.Guest);
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
        AddWorkVsPpc970(observations);
        return observations;
    }

    /// <summary>
    /// Consolidation in work terms: each POWER7 run's host throughput over that of the PPC970 run it is paired with
    /// (same scenario, point, replication and seed: both platforms of a point run with the same seed).
    /// </summary>
    private static void AddWorkVsPpc970(List<Observation> observations)
    {
        string Power7 = Scenarios.Language.ScenarioKeys.PlatformName(Platform.Power7), Ppc970 = Scenarios.Language.ScenarioKeys.PlatformName(Platform.Ppc970);
        var throughput = observations.Where(o => o.Metric == Metric.HostThroughput && o.Guest == "").ToList();
        var ppc970 = throughput.Where(o => o.Run.Platform == Ppc970)
            .ToDictionary(o => (o.Run.Scenario, o.Run.Replication, o.Run.Seed, o.Point), o => o.Value);
        foreach (var p7 in throughput.Where(o => o.Run.Platform == Power7))
            if (ppc970.TryGetValue((p7.Run.Scenario, p7.Run.Replication, p7.Run.Seed, p7.Point), out var pinned) && pinned > 0)
                observations.Add(p7 with { Metric = Metric.WorkVsPpc970, Value = p7.Value / pinned });
    }

    internal static LatencyBucket ToBucket(FaultLatencyRow r) => new(r.BucketLowerUs, r.BucketUpperUs, r.Count);
}
