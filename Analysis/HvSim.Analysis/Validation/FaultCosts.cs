using System.Globalization;

namespace HvSim.Analysis.Validation;

/// <summary>
/// The real host's own fault and reclaim costs, measured by the real experiment itself (validation/run.sh) and given to
/// HvSim as costs (costs.zero_fill, costs.swap_in, costs.reclaim_page) for every point alike:
/// <list type="bullet">
/// <item>zero_fill: the first write of every page where the limit holds them all (ratio at least 1) takes one zero-fill
/// fault per page and reclaims nothing: write_ns / pages, the median over such runs (wall time: what the faulting
/// access waits, this machine's exception, page-table and hypervisor exits and its CPU contention included).</item>
/// <item>swap_in: a major fault's CPU besides its read runs the same exception, page allocation, memcg charge and PTE
/// update: taken equal to zero_fill.</item>
/// <item>reclaim_page: the system CPU of a paging window beyond its faults, per page scanned: (stime_ns - the stime of
/// the no-paging run of the same stream (its getrusage calls) - faults x the system CPU of one zero-fill fault) /
/// pgscan_anon, the median over paging runs; 0 when the CSV has no stime columns (runs before they were recorded).</item>
/// </list>
/// </summary>
public sealed record FaultCosts(long ZeroFillNs, long SwapInNs, long ReclaimPageNs)
{
    /// <summary>The costs measured by <paramref name="rows"/>; null when no run had a limit that holds every page.</summary>
    public static FaultCosts? Measure(IReadOnlyList<RealRunRow> rows)
    {
        var done = rows.Where(r => r.Complete).ToList();
        var whole = done.Where(r => r.Ratio >= 1 && r.WriteNs is > 0 && r.WriteMajFaults is null or 0).ToList();
        if (whole.Count == 0) return null;
        long zeroFill = (long)Median(whole.Select(r => (double)r.WriteNs!.Value / ValidationScenario.Pages(r)));
        var stimeWhole = whole.Where(r => r.WriteStimeNs is > 0).ToList();
        long reclaim = 0;
        if (stimeWhole.Count > 0)
        {
            double faultCpu = Median(stimeWhole.Select(r => (double)r.WriteStimeNs!.Value / ValidationScenario.Pages(r)));
            var perPage = new List<double>();
            foreach (var r in done.Where(r => r.StimeNs is not null && r.PgscanAnon is > 0 && r.MajFaults > 0))
            {
                var idle = whole.FirstOrDefault(w => w.StimeNs is not null && w.Pattern == r.Pattern && w.Alpha == r.Alpha && w.HotPages == r.HotPages
                    && w.Turnovers == r.Turnovers && w.Accesses == r.Accesses && w.Runner == r.Runner);
                if (idle is null) continue;
                double faultsCpu = (r.MajFaults!.Value + (r.MinFaults ?? 0)) * faultCpu;
                perPage.Add(Math.Max(0, r.StimeNs!.Value - idle.StimeNs!.Value - faultsCpu) / r.PgscanAnon!.Value);
            }
            if (perPage.Count > 0) reclaim = (long)Median(perPage);
        }
        return new FaultCosts(zeroFill, zeroFill, reclaim);
    }

    /// <summary>The scenario's costs: block.</summary>
    public string Yaml() => string.Create(CultureInfo.InvariantCulture,
        $"costs:\n  zero_fill: {ZeroFillNs}ns\n  swap_in: {SwapInNs}ns\n  reclaim_page: {ReclaimPageNs}ns\n");

    private static double Median(IEnumerable<double> values)
    {
        var v = values.OrderBy(x => x).ToList();
        return v.Count % 2 == 1 ? v[v.Count / 2] : (v[v.Count / 2 - 1] + v[v.Count / 2]) / 2;
    }
}
