using System.Text;
using HvSim.Analysis.Planning;
using HvSim.Analysis.Plots;
using HvSim.Analysis.Report;
using HvSim.Analysis.Statistics;
using static HvSim.Analysis.Report.HtmlReport;

namespace HvSim.Analysis.Compare;

/// <summary>report.html of `hvsim compare`: the verdict per configuration first, then the key metrics of A and B side by side, the plots, and how to read the intervals.</summary>
public static class CompareReport
{
    public static string Html(FolderComparison c, IReadOnlyList<Figure> figures)
    {
        string a = string.Join(", ", c.ScenariosA), b = string.Join(", ", c.ScenariosB);
        var html = new StringBuilder(Head($"HvSim comparison: {a} (A) vs {b} (B)"));
        html.Append($"<p class=\"note\">A: <code>{E(Path.GetFullPath(c.DirectoryA))}</code>; B: <code>{E(Path.GetFullPath(c.DirectoryB))}</code>. " +
                    $"Every difference is B − A, with its {c.Confidence:P0} confidence interval in brackets. The full table, every metric and guest, is <a href=\"{CompareOutput.TableFile}\">{CompareOutput.TableFile}</a>.</p>\n");
        foreach (var note in c.Notes) html.Append($"<p class=\"note\">{E(note)}</p>\n");

        var key = c.Rows.Where(r => r.Guest == "" && KeyNumbersRow.Columns.Contains(r.Metric)).GroupBy(r => r.Group).ToList();
        html.Append("<h2>Verdict</h2>\n<ul>\n");
        foreach (var g in key)
        {
            var significant = g.Where(r => r.Difference.Significant).ToList();
            string what = significant.Count > 0
                ? string.Join("; ", significant.Select(r => $"{r.Metric.Name} {(r.Difference.Difference > 0 ? "higher" : "lower")} in B ({MetricText.Value(r.Metric, r.Difference.MeanA)} → {MetricText.Value(r.Metric, r.Difference.MeanB)})"))
                : g.All(r => !r.Difference.HasInterval)
                    ? "no interval: a side has a single run, so no difference can be called significant (see below)"
                    : $"{MetricDifference.NoSignificantDifference} in any key metric";
            html.Append($"<li><b>{E(g.Key.ToString())}</b>: {E(what)}.</li>\n");
        }
        html.Append("</ul>\n");
        if (c.PlanA is not null && c.PlanB is not null) AppendPlans(html, c.PlanA, c.PlanB);

        html.Append("<h2>Key metrics</h2>\n");
        foreach (var g in key)
        {
            html.Append($"<h3>{E(g.Key.ToString())}</h3>\n<table><tr><th class=\"l\">Metric</th><th>A</th><th>B</th><th>B − A [{c.Confidence:P0} CI]</th><th>Change</th><th class=\"l\">Verdict</th></tr>\n");
            foreach (var r in g)
            {
                var d = r.Difference;
                string ci = $"<span class=\"ci\">{E(MetricText.Interval(r.Metric, d))}</span>";
                string change = d.Relative is { } rel ? (rel > 0 ? "+" : rel < 0 ? "−" : "") + Num(Math.Abs(rel) * 100) + " %" : "–";
                string verdict = d.Significant ? $"<b>{E(d.Verdict)}</b>" : E(d.Verdict);
                html.Append($"<tr><td class=\"l\">{E(r.Metric.Name)}</td><td>{Side(r.Metric, d.MeanA, d.NA)}</td><td>{Side(r.Metric, d.MeanB, d.NB)}</td>" +
                            $"<td>{E(MetricText.Difference(r.Metric, d.Difference))}{ci}</td><td>{change}</td><td class=\"l\">{verdict}</td></tr>\n");
            }
            html.Append("</table>\n");
        }
        html.Append($"<p class=\"note\">{E(IntervalNote(c))}</p>\n");

        if (figures.Count > 0)
        {
            html.Append("<h2>Plots</h2>\n");
            foreach (var f in figures) html.Append(FigureHtml(f));
        }
        html.Append("</body></html>\n");
        return html.ToString();
    }

    private static string Side(Metric m, double mean, int n) => n == 0 ? "–" : $"{E(MetricText.Value(m, mean))}<span class=\"ci\"> (n={n})</span>";

    /// <summary>What the intervals of this comparison mean, for each method it used.</summary>
    private static string IntervalNote(FolderComparison c)
    {
        var methods = c.Rows.Select(r => r.Difference.Method).ToHashSet();
        var parts = new List<string>();
        if (methods.Contains(IntervalMethod.PairedT))
            parts.Add("Paired: both folders ran the same replications with the same seeds, so each replication of B is set against the one of A with the same random numbers; the interval is Student-t over those per-pair differences, and the noise both runs of a pair share cancels.");
        if (methods.Contains(IntervalMethod.WelchT))
            parts.Add("Independent: the replications of A and B used different seeds; the interval is Welch's t (unequal variances, Welch–Satterthwaite degrees of freedom) on the difference of the means.");
        if (methods.Contains(IntervalMethod.None))
            parts.Add("One run on a side: a single run says nothing about how much a metric moves from seed to seed, so there is no interval and no difference is called significant; the difference shown is that of the runs. Give both scenarios replications: 3 or more for an interval.");
        parts.Add($"An interval that excludes 0 is a significant difference at {c.Confidence:P0}. Each metric is tested on its own (no correction for testing many): among metrics that do not really differ, about 1 in {Math.Round(1 / (1 - c.Confidence))} is still flagged, so decide from the key metrics.");
        return string.Join(" ", parts);
    }

    private static void AppendPlans(StringBuilder html, PlanTables a, PlanTables b)
    {
        html.Append("<h2>Capacity plans</h2>\n<table><tr><th class=\"l\">Platform</th><th>Max guests A</th><th>Max guests B</th><th class=\"l\">SLO A</th><th class=\"l\">SLO B</th></tr>\n");
        foreach (var platform in a.Plan.Select(r => r.Platform).Union(b.Plan.Select(r => r.Platform)))
        {
            var ra = a.Plan.Where(r => r.Platform == platform).ToList();
            var rb = b.Plan.Where(r => r.Platform == platform).ToList();
            static string Max(List<PlanRow> rows) => rows.Count == 0 ? "–" : rows[0].MaxGuests + (rows[0].SearchCapReached ? " (cap)" : "");
            static string Slo(List<PlanRow> rows) => string.Join(" and ", rows.Select(r =>
                SloLimit.TryParse(r.SloMetric, out var m) ? new SloLimit(m, r.Limit).ToString() : $"{r.SloMetric} ≤ {Num(r.Limit)}"));
            html.Append($"<tr><td class=\"l\">{E(SeriesColors.PlatformLabel(platform))}</td><td>{Max(ra)}</td><td>{Max(rb)}</td><td class=\"l\">{E(Slo(ra))}</td><td class=\"l\">{E(Slo(rb))}</td></tr>\n");
        }
        html.Append("</table>\n<p class=\"note\">Each plan's answer is the result of its own search (no interval); the metrics below compare the probes both plans ran.</p>\n");
    }
}
