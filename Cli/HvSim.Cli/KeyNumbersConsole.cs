using HvSim.Analysis.Report;
using HvSim.Analysis.Statistics;
using HvSim.Analysis.Tables;
using Spectre.Console;

namespace HvSim.Cli;

/// <summary>
/// The report's key numbers on the console, one line per platform (and sweep point), from the same statistics and
/// with the same units and rounding as report.html's first table, then its measured-window warnings.
/// </summary>
internal static class KeyNumbersConsole
{
    private const int MaxRows = 24;

    public static void Print(IReadOnlyList<StatRow> stats, ResultsFolder folder)
    {
        var rows = KeyNumbersRow.From(stats);
        if (rows.Count == 0) return;
        var display = KeyNumbersRow.Columns.ToDictionary(m => m, m => MetricDisplay.For(m, MetricDisplay.Largest(rows.Select(r => r.Values.GetValueOrDefault(m)))));
        bool scenarios = rows.Select(r => r.Scenario).Distinct().Count() > 1;
        AnsiConsole.MarkupLine("[bold]Key numbers[/] [grey](mean over replications; report.html has the confidence intervals)[/]");
        foreach (var r in rows.Take(MaxRows))
        {
            var parts = KeyNumbersRow.Columns.Where(r.Values.ContainsKey)
                .Select(m => (d: display[m], s: r.Values[m])).Where(c => c.s.N > 0 && double.IsFinite(c.s.Mean))
                .Select(c => $"{c.d.Label} {c.d.Format(c.s.Mean)}{Unit(c.d)}");
            string who = (scenarios ? r.Scenario + " " : "") + MetricDisplay.Who(r.Platform, r.Point);
            AnsiConsole.MarkupLine($"  [bold]{Markup.Escape(who)}[/]: {Markup.Escape(string.Join(", ", parts))}");
        }
        if (rows.Count > MaxRows) AnsiConsole.MarkupLine($"[grey]  ... {rows.Count - MaxRows} more rows in stats.csv[/]");
        foreach (var w in MeasuredWindow.Warnings(folder))
            AnsiConsole.MarkupLine($"[yellow]warning[/]: {Markup.Escape(MetricDisplay.Who(w.Platform, w.Point) + ": " + w.Text)}");
    }

    private static string Unit(MetricDisplay d) => d.Unit switch { "" => "", "%" => " %", "×" => "×", var u => " " + u };
}
