using System.CommandLine;
using HvSim.Analysis.Compare;
using HvSim.Analysis.Report;
using HvSim.Analysis.Results;
using Spectre.Console;

namespace HvSim.Cli.Commands;

/// <summary>`hvsim compare A B [--out DIR]`: two results folders side by side, B − A with confidence intervals.</summary>
internal static class CompareCommand
{
    public static Command Create()
    {
        var a = new Argument<string>("A") { Description = "Results folder of `hvsim run`, `hvsim batch` or `hvsim plan` (the baseline)" };
        var b = new Argument<string>("B") { Description = "Results folder of the same kind, same platforms, sweep points and guests" };
        var outDir = CliOptions.OutFolder("Folder for compare.csv, plots and report.html (default: results/compare-<A>-vs-<B>/)");
        var cmd = new Command("compare", "Compare two results folders: every metric side by side, B − A with confidence intervals over replications, a plot and report.html")
        {
            a, b, outDir,
        };
        cmd.SetAction(parse =>
        {
            string dirA = parse.GetValue(a)!, dirB = parse.GetValue(b)!;
            // Both folders are read and checked before anything is written: a refusal leaves no folder behind.
            var comparison = FolderComparison.Compare(dirA, dirB);
            var dir = parse.GetValue(outDir) ?? Path.Combine("results", $"compare-{Name(dirA)}-vs-{Name(dirB)}");
            OutputFolder.Claim(dir, "compare");
            CompareOutput.Write(dir, comparison);
            Print(comparison);
            AnsiConsole.MarkupLine($"[grey]compare.csv, plots and report.html in[/] {Markup.Escape(dir)}");
            return ExitCodes.Ok;
        });
        return cmd;
    }

    private static string Name(string dir) => Path.GetFileName(Path.GetFullPath(dir).TrimEnd('/'));

    /// <summary>The key metrics of each configuration: A, B, B − A with its interval, and the verdict.</summary>
    private static void Print(FolderComparison c)
    {
        foreach (var g in c.Rows.Where(r => r.Guest == "" && KeyNumbersRow.Columns.Contains(r.Metric)).GroupBy(r => r.Group))
        {
            var table = new Table().Title($"[bold]{Markup.Escape(g.Key.ToString())}: B − A[/]").RoundedBorder();
            table.AddColumns("metric", "A", "B", $"B − A [[{c.Confidence:P0} CI]]", "verdict");
            foreach (var r in g)
            {
                var d = r.Difference;
                string diff = MetricText.Difference(r.Metric, d.Difference) + MetricText.Interval(r.Metric, d);
                table.AddRow(Markup.Escape(r.Metric.Name), Markup.Escape(d.NA > 0 ? MetricText.Value(r.Metric, d.MeanA) : "-"),
                    Markup.Escape(d.NB > 0 ? MetricText.Value(r.Metric, d.MeanB) : "-"), Markup.Escape(diff),
                    d.Significant ? $"[bold]{Markup.Escape(d.Verdict)}[/]" : Markup.Escape(d.Verdict));
            }
            AnsiConsole.Write(table);
        }
        foreach (var note in c.Notes) Console.WriteLine(note);
    }
}
