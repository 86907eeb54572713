using System.Globalization;
using System.Net;
using System.Text;
using HvSim.Analysis.Plots;
using HvSim.Analysis.Results;
using HvSim.Analysis.Statistics;
using HvSim.Analysis.Tables;

namespace HvSim.Analysis.Report;

/// <summary>report.html: one self-contained page (plots embedded as base64 PNG): key numbers, plan, plots, scenario as run.</summary>
public static class HtmlReport
{
    public const string FileName = "report.html";

    public static void Write(string path, ResultsFolder folder, IReadOnlyList<StatRow> stats, IReadOnlyList<Figure> figures, IReadOnlyList<string> extraSections, IReadOnlyList<string>? plotNotes = null)
    {
        var html = new StringBuilder();
        string scenarios = string.Join(", ", stats.Select(s => s.Scenario).Concat(PlanScenario(folder.Directory)).Distinct());
        if (scenarios.Length == 0) scenarios = Path.GetFileName(Path.GetFullPath(folder.Directory));
        html.Append(Head($"HvSim report: {scenarios}"));
        html.Append($$"""
            <p class="note">Results folder <code>{{E(Path.GetFullPath(folder.Directory))}}</code>.{{(stats.Count > 0 ? StatsNote : "")}}</p>

            """);
        if (folder.Manifest.AnyRunAgesByUnmap()) html.Append($"<p class=\"note\">{E(UnmapAgeingNote)}</p>\n");
        // A capacity plan's answer comes first; the key numbers of its probe runs follow.
        foreach (var section in extraSections) html.Append(section);
        if (stats.Count > 0 || (extraSections.Count == 0 && folder.Mrc.Count == 0)) AppendKeyNumbers(html, stats, folder);
        if ((folder.Runs?.Parameters.Count ?? 0) == 0) AppendPerGuest(html, stats);
        if (figures.Count > 0)
        {
            html.Append("<h2>Plots</h2>\n");
            foreach (var note in plotNotes ?? []) html.Append($"<p class=\"note\">{E(note)}</p>\n");
            foreach (var f in figures) html.Append(FigureHtml(f));
        }
        html.Append("<h2>Scenario as run</h2>\n");
        html.Append(folder.Manifest.Text.Length > 0
            ? $"<details><summary>manifest.json</summary><p class=\"note\">Tool version, scenario file and hash, seed, replications, then each run with its fully resolved configuration; the scenario language's defaults come last.</p>\n<pre>{E(folder.Manifest.ResolvedFirstText())}</pre></details>\n"
            : "<p class=\"note\">This folder has no manifest.json.</p>\n");
        html.Append("</body></html>\n");
        byte[] bytes = new UTF8Encoding(false).GetBytes(html.ToString());
        AtomicFile.Write(path, s => s.Write(bytes));
    }

    /// <summary>The page's head and style, shared by every HvSim HTML page (the run report, `hvsim compare`), with <paramref name="title"/> as its title and first heading.</summary>
    internal static string Head(string title) => $$"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>{{E(title)}}</title>
            <style>
            body { font-family: "DejaVu Sans", Verdana, sans-serif; margin: 2em auto; max-width: 1100px; color: #222; line-height: 1.4; }
            h1 { font-size: 1.7em; margin-bottom: 0.2em; } h2 { border-bottom: 2px solid #ddd; padding-bottom: 0.2em; margin-top: 1.8em; }
            table { border-collapse: collapse; margin: 0.8em 0; font-size: 0.88em; max-width: 100%; }
            th, td { border: 1px solid #ccc; padding: 0.3em 0.45em; text-align: right; } th { font-size: 0.92em; }
            th { background: #f0f3f7; } td.l, th.l { text-align: left; } td { white-space: nowrap; }
            .ci { color: #666; font-size: 0.85em; display: block; } figure { margin: 1.2em 0; } figure img { width: 100%; border: 1px solid #eee; }
            figcaption { color: #444; font-size: 0.92em; } pre { background: #f7f7f7; padding: 1em; overflow-x: auto; font-size: 0.85em; }
            .note { color: #555; font-size: 0.9em; } .warn { color: #8a4b00; font-size: 0.9em; }
            details { margin: 1em 0; } summary { cursor: pointer; font-weight: bold; }
            </style></head><body>
            <h1>{{E(title)}}</h1>

            """;

    /// <summary>A plot embedded as base64 PNG with its caption and links to the PNG and SVG files beside the page.</summary>
    internal static string FigureHtml(Figure f)
    {
        string png = Convert.ToBase64String(File.ReadAllBytes(f.PngPath));
        return $"""
            <figure id="{E(f.Name)}">
            <img alt="{E(f.Title)}" src="data:image/png;base64,{png}">
            <figcaption>{E(f.Caption)} Files: <a href="{E(Path.GetFileName(f.PngPath))}">PNG</a>, <a href="{E(Path.GetFileName(f.SvgPath))}">SVG</a>.</figcaption></figure>

            """;
    }

    /// <summary>Said wherever the unmap ageing variant is offered: it is a what-if, not a kernel anyone ran.</summary>
    public const string UnmapAgeingNote =
        "Runs with aging: unmap age guest pages by unmapping them (kvm_age_hva as 342d3db first had it). No released kernel " +
        "has that variant: Linux 3.4, the first release with the change, clears the HPTE R bit (aging: rbit). Read those runs as a what-if.";

    private const string StatsNote = """
         Every number is the mean over replications
        with its 95 % Student-t confidence interval (± half-width, or [low, high] where the interval was cut at 0 or 100 %)
        and the number of replications n. Statistics leave out the warm-up: counts cover the measured time after it, and
        rates divide them by that time.
        The full table is <a href="stats.csv">stats.csv</a>.
        """;

    /// <summary>A table cell naming a sweep point: its label, with its values as the tooltip when it has one.</summary>
    internal static string PointCell(SweepPoint point) =>
        point.Label.Length > 0 ? $"<td class=\"l\" title=\"{E(point.ValuesText)}\">{E(point.Label)}</td>" : $"<td class=\"l\">{E(point.ToString())}</td>";

    private static void AppendKeyNumbers(StringBuilder html, IReadOnlyList<StatRow> stats, ResultsFolder folder)
    {
        var rows = KeyNumbersRow.From(stats);
        // Named points (the sweep's `labels:`) take one column of names; unnamed ones a column per swept parameter.
        bool named = rows.Any(r => r.Point.Label.Length > 0);
        var parameters = named ? [] : folder.Runs?.Parameters ?? [];
        var swapLatencyUs = SwapLatencyMicroseconds(folder);
        html.Append("<h2>Key numbers</h2>\n");
        if (rows.Count == 0)
        {
            html.Append("<p class=\"note\">No simulation runs in this folder.</p>\n");
            return;
        }
        // One scenario (the usual case) is named in the title: its column would only take width.
        bool scenarios = rows.Select(r => r.Scenario).Distinct().Count() > 1;
        html.Append(scenarios ? "<table><tr><th class=\"l\">Scenario</th><th class=\"l\">Platform</th>" : "<table><tr><th class=\"l\">Platform</th>");
        if (named) html.Append("<th class=\"l\">Point</th>");
        foreach (var p in parameters) html.Append($"<th class=\"l\">{E(SweepPoint.DisplayName(p))}</th>");
        // A column no row has (a total older folders lack, the PPC970 ratio without PPC970 runs) is left out.
        var columns = KeyNumbersRow.Columns.Where(m => rows.Any(r => r.Values.ContainsKey(m))).ToList();
        var display = columns.ToDictionary(m => m, m => MetricDisplay.For(m, MetricDisplay.Largest(rows.Select(r => r.Values.GetValueOrDefault(m)))));
        foreach (var m in columns) html.Append($"<th>{E(display[m].Header)}</th>");
        html.Append("</tr>\n");
        var notes = new List<string>();
        foreach (var r in rows)
        {
            html.Append(scenarios ? $"<tr><td class=\"l\">{E(r.Scenario)}</td>" : "<tr>").Append($"<td class=\"l\">{E(SeriesColors.PlatformLabel(r.Platform))}</td>");
            if (named) html.Append(PointCell(r.Point));
            foreach (var p in parameters) html.Append($"<td class=\"l\">{E(r.Point.ValueOf(p))}</td>");
            foreach (var m in columns)
                html.Append("<td>").Append(r.Values.TryGetValue(m, out var s) ? Cell(s, display[m].Scale) : "–").Append("</td>");
            html.Append("</tr>\n");
            string point = r.Point.Parameters.Count > 0 ? $" ({r.Point})" : "";
            notes.AddRange(r.Notes(swapLatencyUs.GetValueOrDefault((r.Scenario, r.Platform, r.Point))).Select(n => $"{SeriesColors.PlatformLabel(r.Platform)}{point}: {n}"));
        }
        html.Append("</table>\n");
        foreach (var w in MeasuredWindow.Warnings(folder))
            html.Append($"<p class=\"warn\">{E(MetricDisplay.Who(w.Platform, w.Point))}: {E(w.Text)}</p>\n");
        foreach (var note in notes) html.Append($"<p class=\"note\">{E(note)}</p>\n");
    }

    /// <summary>
    /// The swap device's mean service latency in µs of each row of the key numbers (scenario, platform, sweep point),
    /// from its runs' own configurations; absent when they do not record it or do not agree.
    /// </summary>
    private static Dictionary<(string, string, SweepPoint), double?> SwapLatencyMicroseconds(ResultsFolder folder) =>
        folder.Summary.Select(r => r.Run).Distinct()
            .GroupBy(run => (run.Scenario, run.Platform, folder.PointOf(run)))
            .ToDictionary(g => g.Key, g =>
            {
                var latencies = g.Select(run => folder.ConfigOf(run)?.Host.Swap.LatencyMeanNs).Distinct().ToList();
                return latencies is [long ns] ? ns / ResultsFolder.NsPerS * 1e6 : (double?)null;
            });

    private static IEnumerable<string> PlanScenario(string directory) =>
        Planning.PlanFiles.TryRead(directory)?.Plan.Select(r => r.Scenario).Take(1) ?? [];

    private static readonly Metric[] GuestColumns =
    [
        Metric.StallFraction, Metric.SlowdownFactor, Metric.HostThroughput, Metric.EffectiveAccessTime, Metric.HdsiFaultRate,
        Metric.MajorFaultRate, Metric.FaultLatencyP99, Metric.ResidentMean,
    ];

    /// <summary>Per-guest metrics of a single scenario (sweeps have too many rows: stats.csv has them).</summary>
    private static void AppendPerGuest(StringBuilder html, IReadOnlyList<StatRow> stats)
    {
        var guests = stats.Where(r => r.Guest != "").GroupBy(r => (r.Scenario, r.Platform, r.Guest)).ToList();
        if (guests.Count == 0 || guests.Count > 64) return;
        html.Append("<h2>Per guest</h2>\n<table><tr><th class=\"l\">Platform</th><th class=\"l\">Guest</th>");
        var display = GuestColumns.ToDictionary(m => m, m => MetricDisplay.For(m, MetricDisplay.Largest(stats.Where(r => r.Guest != "" && r.Metric == m).Select(r => r.Stats)), perGuest: true));
        foreach (var m in GuestColumns) html.Append($"<th>{E(display[m].Header)}</th>");
        html.Append("</tr>\n");
        foreach (var g in guests)
        {
            html.Append($"<tr><td class=\"l\">{E(SeriesColors.PlatformLabel(g.Key.Platform))}</td><td class=\"l\">{E(g.Key.Guest)}</td>");
            foreach (var m in GuestColumns)
            {
                var row = g.FirstOrDefault(r => r.Metric == m);
                html.Append("<td>").Append(row is null ? "–" : Cell(row.Stats, display[m].Scale)).Append("</td>");
            }
            html.Append("</tr>\n");
        }
        html.Append("</table>\n<p class=\"note\">Refused guests have no row.</p>\n");
    }

    /// <summary>
    /// "mean ± half-width (n)" with four significant digits; "mean [low, high] (n)" when the interval was clamped to
    /// the values the metric can take (it is then no longer symmetric, and ± half-width would understate one side).
    /// </summary>
    internal static string Cell(ReplicationStats s, double scale = 1)
    {
        if (s.N == 0 || !double.IsFinite(s.Mean)) return "–";
        string mean = Num(s.Mean * scale);
        string ci = "";
        if (double.IsFinite(s.CiLow) && double.IsFinite(s.CiHigh))
        {
            double below = s.Mean - s.CiLow, above = s.CiHigh - s.Mean;
            bool symmetric = Math.Abs(below - above) <= 1e-9 * Math.Max(Math.Abs(below) + Math.Abs(above), double.Epsilon);
            ci = symmetric ? $" ± {Num(s.HalfWidth * scale)}" : $" [{Num(s.CiLow * scale)}, {Num(s.CiHigh * scale)}]";
        }
        return $"{mean}<span class=\"ci\">{ci} (n={s.N})</span>";
    }

    /// <summary>
    /// Integers and values ≥ 1000 with thousands separators ("21,496"), others to four significant digits in fixed
    /// notation without trailing zeros ("98.57", "343", "0.1234"); never exponent notation. Values below 0.000001 read as 0.
    /// </summary>
    internal static string Num(double v)
    {
        if (v == Math.Floor(v) || Math.Abs(v) >= 1000) return v.ToString("N0", CultureInfo.InvariantCulture);
        int decimals = Math.Clamp(3 - (int)Math.Floor(Math.Log10(Math.Abs(v))), 1, 6);
        string text = v.ToString("F" + decimals, CultureInfo.InvariantCulture).TrimEnd('0').TrimEnd('.');
        return text is "0" or "-0" or "" ? "0" : text;
    }

    internal static string E(string text) => WebUtility.HtmlEncode(text);
}
