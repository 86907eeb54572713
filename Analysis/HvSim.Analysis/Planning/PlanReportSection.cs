using System.Globalization;
using System.Text;
using HvSim.Analysis.Report;

namespace HvSim.Analysis.Planning;

/// <summary>The capacity-planning section of report.html, from plan.csv.</summary>
public static class PlanReportSection
{
    public static string Html(PlanTables plan)
    {
        var html = new StringBuilder("<h2>Capacity plan</h2>\n");
        var first = plan.Plan.FirstOrDefault();
        if (first is null) return html.Append("<p class=\"note\">plan.csv is empty.</p>\n").ToString();
        html.Append($"<p class=\"note\">Largest guest count meeting every SLO bound with {first.Confidence:P0} confidence (the upper end of the Student-t interval over {first.Replications} replication{(first.Replications == 1 ? "" : "s")} at or below the limit), found by galloping and bisection on the count.</p>\n");
        html.Append("<table><tr><th class=\"l\">Platform</th><th>Max guests</th><th class=\"l\">SLO bound</th><th>Metric at max guests (mean [95 % CI])</th><th>Consolidation POWER7/PPC970</th><th class=\"l\">Verdict</th></tr>\n");
        foreach (var r in plan.Plan)
        {
            // The row names its metric: read back as a bound, it shows the limit and the values in the metric's unit,
            // as the verdict does (a folder from another version may name one this version lacks: plain numbers then).
            var limit = SloLimit.TryParse(r.SloMetric, out var metric) ? new SloLimit(metric, r.Limit) : null;
            string Show(double v) => limit?.Format(v) ?? HtmlReport.Num(v);
            string bound = limit?.ToString() ?? $"{r.SloMetric} ≤ {HtmlReport.Num(r.Limit)}";
            string value = r.Mean is { } m ? Show(m) + (r.CiLow is { } lo && r.CiHigh is { } hi ? $" [{Show(lo)}, {Show(hi)}]" : "") : "–";
            string ratio = Ratio(r.ConsolidationRatio);
            string cap = r.SearchCapReached ? " (cap)" : "";
            html.Append($"<tr><td class=\"l\">{HtmlReport.E(r.Platform)}</td><td>{r.MaxGuests}{cap}</td><td class=\"l\">{HtmlReport.E(bound)}</td><td>{value}</td><td>{ratio}</td><td class=\"l\">{HtmlReport.E(r.Verdict)}</td></tr>\n");
        }
        html.Append("</table>\n");
        AppendLevers(html, plan.Levers);
        foreach (var r in plan.Plan.Where(r => r.MinHostMemoryGuests.HasValue).DistinctBy(r => r.Platform))
            html.Append(r.MinHostMemoryBytes is { } bytes
                ? $"<p>{HtmlReport.E(r.Platform)}: the smallest host memory for {Guests(r.MinHostMemoryGuests!.Value)} is {bytes / (double)(1L << 30):0.##} GiB.</p>\n"
                : $"<p>{HtmlReport.E(r.Platform)}: no host memory in the searched range lets {Guests(r.MinHostMemoryGuests!.Value)} meet the SLO.</p>\n");
        AppendProbes(html, plan.LeverProbes.Count > 0 ? plan.LeverProbes : plan.Probes.Select(p => new LeverProbeRow { Row = p }).ToList());
        return html.ToString();
    }

    /// <summary>
    /// Every probe in the order the searches made it, with its verdict: why a count (or a host memory) failed, bound by
    /// bound, measured against the limit. Folders written before plan_probes.csv had `order` list none.
    /// </summary>
    private static void AppendProbes(StringBuilder html, IReadOnlyList<LeverProbeRow> rows)
    {
        var steps = rows.Where(p => p.Row.Order.HasValue).GroupBy(p => p.Row.Order!.Value).OrderBy(g => g.Key).ToList();
        if (steps.Count == 0) return;
        bool memory = steps.Any(g => g.First().Row.HostMemoryBytes.HasValue);
        bool levers = rows.Any(p => p.Lever.Length > 0);
        html.Append("<h3>Search steps</h3>\n<table><tr><th>Step</th><th class=\"l\">Search</th>" + (levers ? "<th class=\"l\">Lever</th>" : "") + "<th class=\"l\">Platform</th><th>Guests</th>");
        if (memory) html.Append("<th>Host memory</th>");
        html.Append("<th class=\"l\">Bounds: upper CI end vs limit</th><th class=\"l\">Verdict</th></tr>\n");
        foreach (var g in steps)
        {
            var first = g.First().Row;
            string lever = levers ? $"<td class=\"l\">{HtmlReport.E(g.First().Lever)}</td>" : "";
            string bounds = string.Join("; ", g.Select(r => r.Row).Select(p =>
            {
                var limit = SloLimit.TryParse(p.SloMetric, out var metric) ? new SloLimit(metric, p.Limit) : null;
                string Show(double v) => limit?.Format(v) ?? HtmlReport.Num(v);
                return p.UpperBound is { } upper ? $"{p.SloMetric} {Show(upper)} {(p.MeetsLimit == true ? "≤" : ">")} {Show(p.Limit)}" : $"{p.SloMetric}: no value";
            }));
            html.Append($"<tr><td>{g.Key}</td><td class=\"l\">{HtmlReport.E(first.Search ?? "")}</td>{lever}<td class=\"l\">{HtmlReport.E(first.Platform)}</td><td>{first.Guests}</td>");
            if (memory) html.Append($"<td>{(first.HostMemoryBytes is { } b ? HtmlReport.E(HvSim.Scenarios.Language.Units.FormatSizeApprox(b)) : "–")}</td>");
            html.Append($"<td class=\"l\">{HtmlReport.E(bounds)}</td><td class=\"l\">{HtmlReport.E(first.Verdict ?? "")}</td></tr>\n");
        }
        html.Append("</table>\n<p class=\"note\">Every metric of every probe run, not only the SLO's, is in stats.csv and the key numbers above (one row per platform and guest count).</p>\n");
    }

    private static string Guests(int count) => $"{count} {PlatformPlan.GuestNoun(count)}";

    /// <summary>The levers side by side (plan_levers.csv): most guests under the SLO, and that over pinned PPC970 and over POWER7 swapping.</summary>
    private static void AppendLevers(StringBuilder html, IReadOnlyList<PlanLeverRow> levers)
    {
        if (levers.Count == 0) return;
        html.Append("<h3>Levers side by side</h3>\n<p class=\"note\">Each lever is the scenario with the keys it sets, searched like the scenario itself. " +
            "The ratios divide its count by the scenario as it is (<code>none</code>) pinned on PPC970 (3.3 and PPC970 in 3.4: every page pinned, a guest that does not fit refused) and swapping on POWER7 (3.4). A platform that refuses a lever's keys says why.</p>\n");
        html.Append("<table><tr><th class=\"l\">Lever</th><th class=\"l\">Platform</th><th class=\"l\">Sets</th><th>Max guests</th><th>× pinned PPC970</th><th>× POWER7 swapping</th><th class=\"l\">Verdict</th></tr>\n");
        foreach (var r in levers)
            html.Append($"<tr><td class=\"l\">{HtmlReport.E(r.Lever)}</td><td class=\"l\">{HtmlReport.E(r.Platform)}</td><td class=\"l\">{HtmlReport.E(r.Sets)}</td>" +
                $"<td>{(r.MaxGuests is { } n ? n + (r.SearchCapReached == true ? " (cap)" : "") : "refused")}</td><td>{Ratio(r.RatioVsPinned)}</td><td>{Ratio(r.RatioVsSwapping)}</td><td class=\"l\">{HtmlReport.E(r.Verdict)}</td></tr>\n");
        html.Append("</table>\n");
    }

    /// <summary>A consolidation ratio as the tables show it: `1.50×`, or a dash when there is none.</summary>
    public static string Ratio(double? ratio) => ratio is { } c ? c.ToString("0.00", CultureInfo.InvariantCulture) + "×" : "–";
}
