using System.Globalization;
using System.Text;
using HvSim.Analysis.Plots;
using HvSim.Analysis.Report;
using HvSim.Analysis.Results;
using HvSim.Analysis.Statistics;
using HvSim.Analysis.Tables;

namespace HvSim.Analysis.Compare;

/// <summary>What `hvsim compare` writes into its folder: compare.csv, a plot per platform, report.html and manifest.json.</summary>
public static class CompareOutput
{
    public const string TableFile = "compare.csv";

    /// <summary>The columns of compare.csv before and after the swept parameters (docs/results-format.md).</summary>
    public static readonly IReadOnlyList<string> KeyColumns = ["scenario_a", "scenario_b", "platform"];
    public static readonly IReadOnlyList<string> ValueColumns =
        ["guest", "metric", "unit", "n_a", "mean_a", "n_b", "mean_b", "difference", "relative_difference", "ci_low", "ci_high", "confidence", "interval", "verdict"];

    /// <summary>Writes every file of the comparison into <paramref name="dir"/> (which the caller has claimed) and returns the figures.</summary>
    public static IReadOnlyList<Figure> Write(string dir, FolderComparison c)
    {
        Directory.CreateDirectory(dir);
        ResultsTables.WriteCsv(Path.Combine(dir, TableFile), [.. KeyColumns, .. c.Parameters, .. ValueColumns], c.Rows.Select(r => Row(c, r)));
        var figures = ComparePlot.Create(dir, c).ToList();
        byte[] html = new UTF8Encoding(false).GetBytes(CompareReport.Html(c, figures));
        AtomicFile.Write(Path.Combine(dir, HtmlReport.FileName), s => s.Write(html));
        var manifest = Manifest.Header("hvsim compare");
        manifest["kind"] = "compare";
        manifest["a"] = Path.GetFullPath(c.DirectoryA);
        manifest["b"] = Path.GetFullPath(c.DirectoryB);
        manifest["confidence"] = c.Confidence;
        Manifest.Write(Path.Combine(dir, ResultsTables.Manifest), manifest);
        return figures;
    }

    private static string?[] Row(FolderComparison c, ComparisonRow r)
    {
        var d = r.Difference;
        return
        [
            r.Group.Scenario.Length > 0 ? r.Group.Scenario : string.Join(" ", c.ScenariosA),
            r.Group.Scenario.Length > 0 ? r.Group.Scenario : string.Join(" ", c.ScenariosB),
            r.Group.Platform, .. c.Parameters.Select(p => r.Group.Point.ValueOf(p)), r.Guest, r.Metric.Name, r.Metric.Unit,
            Count(d.NA), StatsTable.Number(d.MeanA), Count(d.NB), StatsTable.Number(d.MeanB), StatsTable.Number(d.Difference),
            d.Relative is { } rel ? StatsTable.Number(rel) : "", StatsTable.Number(d.CiLow), StatsTable.Number(d.CiHigh),
            StatsTable.Number(d.Confidence), IntervalName(d.Method), d.Verdict,
        ];
    }

    /// <summary>compare.csv's `interval`: paired_t, welch_t or none.</summary>
    public static string IntervalName(IntervalMethod method) => method switch
    {
        IntervalMethod.PairedT => "paired_t",
        IntervalMethod.WelchT => "welch_t",
        _ => "none",
    };

    private static string Count(int n) => n.ToString(CultureInfo.InvariantCulture);
}
