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
        var summary = r.Guests.Select(g => GuestCounters.CopyTo(g, new SummaryRow
        {
            Guest = g.Guest, Admitted = g.Admitted, RefusalReason = g.RefusalReason,
            FaultLatencyMeanUs = Us(g.FaultLatency.Mean), // NaN (empty) when the guest took no fault or was refused
            FaultLatencyP50Us = Us(g.FaultLatency.Quantile(0.5)),
            FaultLatencyP90Us = Us(g.FaultLatency.Quantile(0.9)),
            FaultLatencyP99Us = Us(g.FaultLatency.Quantile(0.99)),
            FaultLatencyP999Us = Us(g.FaultLatency.Quantile(0.999)),
            StalledSCell = g.Admitted ? g.StalledNs / NsPerS : null, VcpuSCell = g.Admitted ? g.VcpuNs / NsPerS : null,
            StallFractionCell = g.Admitted ? g.StallFraction : null, SimulatedS = r.SimulatedNs / NsPerS,
        })).ToList();

        var h = r.Host;
        var host = new List<HostRow>
        {
            HostCounters.CopyTo(h, new HostRow
            {
                WatermarkMinBytes = h.WatermarkMinPages * h.PageSizeBytes, WatermarkLowBytes = h.WatermarkLowPages * h.PageSizeBytes,
                WatermarkHighBytes = h.WatermarkHighPages * h.PageSizeBytes,
                ReclaimStartS = h.FirstReclaimNs >= 0 ? h.FirstReclaimNs / NsPerS : null,
                SwapReadWaitP50Us = Us(h.SwapReadWait.Quantile(0.5)), SwapReadWaitP99Us = Us(h.SwapReadWait.Quantile(0.99)),
                SwapWriteWaitP50Us = Us(h.SwapWriteWait.Quantile(0.5)), SwapWriteWaitP99Us = Us(h.SwapWriteWait.Quantile(0.99)),
            }),
        };

        // Host rows and guest rows of one interval sit together, host first, then guests in config order.
        var series = new List<TimeseriesRow>();
        var guestSamples = r.GuestSeries.ToLookup(s => s.TimeNs);
        foreach (var hs in r.HostSeries)
        {
            series.Add(new TimeseriesRow
            {
                TimeS = hs.TimeNs / NsPerS, Guest = "host", FreeBytes = hs.FreeBytes, SwapUsedBytes = hs.SwapUsedBytes, SwapCacheBytes = hs.SwapCacheBytes,
                SwapQueuedReads = hs.SwapQueuedReads, SwapQueuedWrites = hs.SwapQueuedWrites, WritebackBytes = hs.WritebackBytes,
            });
            foreach (var gs in guestSamples[hs.TimeNs].OrderBy(s => s.Guest))
                series.Add(new TimeseriesRow
                {
                    TimeS = gs.TimeNs / NsPerS, Guest = r.Guests[gs.Guest].Guest, ResidentBytes = gs.ResidentBytes,
                    Accesses = gs.Accesses, HdsiFaults = gs.HdsiFaults, MinorFaults = gs.MinorFaults, MajorFaults = gs.MajorFaults,
                    UnmapHvaCalls = gs.UnmapHvaCalls, Tlbies = gs.Tlbies,
                });
        }

        var latency = r.Guests.SelectMany(g => g.FaultLatency.Buckets().Select(b => new FaultLatencyRow
        {
            Guest = g.Guest, BucketLowerUs = b.Lower / NsPerUs, BucketUpperUs = b.Upper / NsPerUs, Count = b.Count,
        })).ToList();

        foreach (var row in summary.Concat<RunKeyColumns>(host).Concat(series).Concat(latency))
            (row.Scenario, row.Platform, row.Replication, row.Seed) = (key.Scenario, key.PlatformName, key.Replication, key.Seed);
        return new RunRows(summary, host, series, latency);
    }

    private static readonly SameNamedCounters<GuestResult, SummaryRow> GuestCounters = new();
    private static readonly SameNamedCounters<HostResult, HostRow> HostCounters = new();

    private static double? Us(double ns) => double.IsNaN(ns) ? null : ns / NsPerUs;
}

/// <summary>
/// Copies every counter of a model result into the row column that declares it by name: GuestResult.MajorFaults into
/// SummaryRow.MajorFaults (the `major_faults` column), a time GuestResult.SiblingWaitNs into SummaryRow.SiblingWaitS
/// (unit s) or HostResult.OldestFaultInFlightNs into ...Us (unit us), a ratio of the same name as is. A counter the
/// model keeps needs only its column declared in <see cref="SummaryRow"/> or <see cref="HostRow"/>; columns computed
/// from several results (quantiles, pages to bytes, cells left empty for refused guests) are set by hand in <see cref="RunRows"/>.
/// </summary>
internal sealed class SameNamedCounters<TResult, TRow>
{
    private readonly (System.Reflection.PropertyInfo From, System.Reflection.PropertyInfo To, double Divisor)[] _pairs =
        ResultColumns.All.Where(c => c.Property.DeclaringType == typeof(TRow) && c.Property.CanWrite)
            .Select(c => Source(c) is var (from, divisor) ? (from, c.Property, divisor) : default)
            .Where(p => p.from is not null)
            .ToArray();

    /// <summary>The result property a column copies, and what its value is divided by (ns to the column's s or µs).</summary>
    private static (System.Reflection.PropertyInfo, double)? Source(ResultColumn c)
    {
        var to = Nullable.GetUnderlyingType(c.Property.PropertyType) ?? c.Property.PropertyType;
        string name = c.Property.Name;
        var (fromName, divisor) = (c.Unit, to) switch
        {
            ("s", _) when to == typeof(double) && name.EndsWith('S') => (name[..^1] + "Ns", 1e9),
            ("us", _) when to == typeof(double) && name.EndsWith("Us", StringComparison.Ordinal) => (name[..^2] + "Ns", 1e3),
            _ => (name, 1.0),
        };
        var from = typeof(TResult).GetProperty(fromName);
        bool whole = to == typeof(long) && (from?.PropertyType == typeof(long) || from?.PropertyType == typeof(int));
        bool ratio = to == typeof(double) && from?.PropertyType == typeof(double) && divisor == 1;
        bool time = to == typeof(double) && from?.PropertyType == typeof(long) && divisor != 1;
        return from is not null && (whole || ratio || time) ? (from, divisor) : null;
    }

    public TRow CopyTo(TResult result, TRow row)
    {
        foreach (var (from, to, divisor) in _pairs)
        {
            var value = from.GetValue(result)!;
            object cell = divisor == 1 && value is not double ? (object)Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture)
                : Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture) / divisor;
            to.SetValue(row, cell);
        }
        return row;
    }
}
