using System.Globalization;
using System.Text;
using HvSim.Analysis.Results;
using HvSim.Analysis.Tables;
using HvSim.Model.Config;

namespace HvSim.Analysis.Report;

/// <summary>
/// "What each lever bought" in report.html: for every platform and sweep point of runs that use an operator's lever
/// (per-guest memory cgroups, hugetlbfs backing, KSM, ballooning, zram, zswap, a host page cache and its swappiness), the
/// guests admitted, the host's reclaim and swap work, the page-cache pages reclaim took instead of guest pages, the guests'
/// stall and the CPU or stall the lever itself cost, means over replications. From the results files alone.
/// </summary>
public static class LeverReportSection
{
    /// <summary>The levers a run's configuration turns on, named as the scenario keys are ("none" for plain swapping).</summary>
    public static string Levers(SimulationConfig c)
    {
        var on = new List<string>();
        if (c.HasGuestMemcgs)
        {
            var limits = new List<string>();
            if (c.Guests.Any(g => g.MemoryMaxBytes != null)) limits.Add("max");
            if (c.Guests.Any(g => g.MemoryHighBytes != null)) limits.Add("high");
            if (c.Guests.Any(g => g.MemoryLowBytes != null)) limits.Add("low");
            on.Add($"memory cgroups ({string.Join(", ", limits)})");
        }
        if (c.Guests.Any(g => g.Backing == MemoryBacking.Hugetlbfs)) on.Add("hugetlbfs");
        if (c.Host.Ksm.Run) on.Add("KSM");
        if (c.Host.Swap.IsZram) on.Add("zram");
        if (c.Host.Zswap.Enabled) on.Add("zswap");
        if (c.Host.PageCache.Enabled) on.Add($"page cache (swappiness {c.Host.Swappiness})");
        if (c.Host.BalloonPolicy.Enabled) on.Add("balloon (MoM policy)");
        else if (c.Guests.Any(c.HasBalloon)) on.Add("balloon");
        return on.Count == 0 ? "none" : string.Join(" + ", on);
    }

    /// <summary>The section, or null when no run uses a lever.</summary>
    public static string? Html(ResultsFolder folder)
    {
        var runs = folder.Host.Select(h => h.Run).Distinct().ToList();
        if (!runs.Any(r => folder.ConfigOf(r) is { } c && Levers(c) != "none")) return null;
        var html = new StringBuilder("<h2>What each lever bought</h2>\n");
        html.Append("<p class=\"note\">Per platform and sweep point, means over replications: guests admitted, the host's reclaim work (inactive pages scanned) " +
            "and swap traffic, the page-cache pages reclaim freed (pages freed minus the guest pages it freed), the stall fraction of the admitted guests' vCPU time, and what the lever cost: ksmd's host CPU, " +
            "memory KSM saved (guest pages merged minus KSM pages kept, at the end of the run), stores that broke a merge, vCPU time " +
            "memory.high throttling slept (part of the stall), pages stored in and loaded from a compressed pool (zram, zswap; swap pages out / in are " +
            "the block device's), the CPU compressing and decompressing them (reclaimers, faulting vCPUs, zswap's worker), the pool's memory at the end, " +
            "memory the balloons held at the end of the run (under the MoM policy, where its last evaluation left them), host pages their inflations freed, " +
            "pages the guests took back from them (each a zero-fill fault on the host; a real guest would also re-read the page's contents " +
            "from its own disk, which the model does not have: the stall of a squeezed guest is a lower bound), and the time the balloons' requests " +
            "took (guest balloon thread and QEMU).</p>\n");
        html.Append("<table><tr><th class=\"l\">Platform</th><th class=\"l\">Point</th><th class=\"l\">Levers</th><th>Guests admitted</th><th>Pages scanned</th>" +
            "<th>Swap pages out / in</th><th>Page-cache pages freed</th><th>Stall</th><th>ksmd CPU (s)</th><th>KSM saved (MiB)</th><th>KSM COW faults</th><th>memory.high throttle (s)</th>" +
            "<th>Compressed out / in</th><th>Compression CPU (s)</th><th>Compressed pool (MiB)</th>" +
            "<th>Balloon held (MiB)</th><th>Balloon pages freed</th><th>Balloon refaults</th><th>Balloon CPU (s)</th></tr>\n");
        var summary = folder.Summary.ToLookup(s => s.Run);
        foreach (var group in folder.Host.GroupBy(h => (h.Run.Platform, Point: folder.PointOf(h.Run))))
        {
            var hosts = group.ToList();
            double n = hosts.Count;
            var guests = hosts.SelectMany(h => summary[h.Run]).Select(s => s.Row).ToList();
            var admitted = guests.Where(g => g.Admitted).ToList();
            double vcpu = admitted.Sum(g => g.VcpuS);
            string levers = folder.ConfigOf(hosts[0].Run) is { } config ? Levers(config) : "?";
            double savedMib = hosts.Average(h => (h.Row.KsmPagesSharing ?? 0) * (double)h.Row.PageSizeBytes) / (1 << 20);
            // A balloon's guest pages are host pages (ModelConfigValidator), so its pages times the host page size is its memory.
            double balloonMib = admitted.Sum(g => (g.BalloonPages ?? 0) * (double)hosts[0].Row.PageSizeBytes) / n / (1 << 20);
            html.Append($"<tr><td class=\"l\">{HtmlReport.E(group.Key.Platform)}</td>{HtmlReport.PointCell(group.Key.Point)}" +
                $"<td class=\"l\">{HtmlReport.E(levers)}</td><td>{F(admitted.Count / n, "0.#")}</td>" +
                $"<td>{F(hosts.Average(h => (double)h.Row.PagesScanned), "N0")}</td>" +
                $"<td>{F(hosts.Average(h => (double)(h.Row.SwapWrites ?? 0)), "N0")} / {F(hosts.Average(h => (double)(h.Row.SwapReads ?? 0)), "N0")}</td>" +
                $"<td>{F((hosts.Sum(h => (double)(h.Row.PagesFreed ?? 0)) - guests.Sum(g => (double)g.PagesReclaimed)) / n, "N0")}</td>" +
                $"<td>{(vcpu > 0 ? (admitted.Sum(g => g.StalledS) / vcpu).ToString("P1", CultureInfo.InvariantCulture) : "–")}</td>" +
                $"<td>{F(hosts.Average(h => h.Row.KsmCpuS ?? 0), "0.###")}</td><td>{F(savedMib, "0.#")}</td>" +
                $"<td>{F(guests.Sum(g => (double)(g.KsmCowFaults ?? 0)) / n, "N0")}</td>" +
                $"<td>{F(guests.Sum(g => g.MemcgHighThrottleS ?? 0) / n, "0.###")}</td>" +
                $"<td>{F(hosts.Average(h => (double)(h.Row.CompressedStores ?? 0)), "N0")} / {F(hosts.Average(h => (double)(h.Row.CompressedLoads ?? 0)), "N0")}</td>" +
                $"<td>{F(hosts.Average(h => h.Row.CompressCpuS ?? 0), "0.###")}</td>" +
                $"<td>{F(hosts.Average(h => (double)(h.Row.CompressedPoolBytes ?? 0)) / (1 << 20), "0.#")}</td>" +
                $"<td>{F(balloonMib, "0.#")}</td>" +
                $"<td>{F(guests.Sum(g => (double)(g.BalloonPagesFreed ?? 0)) / n, "N0")}</td>" +
                $"<td>{F(guests.Sum(g => (double)(g.BalloonDeflated ?? 0)) / n, "N0")}</td>" +
                $"<td>{F(guests.Sum(g => g.BalloonCpuS ?? 0) / n, "0.###")}</td></tr>\n");
        }
        return html.Append("</table>\n").ToString();
    }

    private static string F(double v, string format) => v.ToString(format, CultureInfo.InvariantCulture);
}
