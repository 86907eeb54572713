using System.CommandLine;
using HvSim.Analysis;
using HvSim.Analysis.Tables;

namespace HvSim.Cli.Commands;

/// <summary>`hvsim plot DIR`: regenerate stats.csv, every plot and report.html of a results folder from its CSV files alone.</summary>
internal static class PlotCommand
{
    public static Command Create()
    {
        var dir = new Argument<string>("DIR") { Description = "Results folder written by `hvsim run`, `hvsim batch`, `hvsim mrc` or `hvsim plan`" };
        var warmup = new Option<double?>("--warmup") { Description = "Warm-up in seconds: cut from time series, and taken from the duration for rates when host.csv has no measured_s (default: the manifest's warm-up)" };
        var command = new Command("plot", "Regenerate statistics, plots (PNG + SVG) and report.html from a results folder's CSV files") { dir, warmup };
        command.SetAction(parse =>
        {
            string path = parse.GetValue(dir)!;
            double? w = parse.GetValue(warmup);
            if (w is < 0) throw new UserInputException($"hvsim plot: --warmup {w}: must be >= 0 seconds");
            try
            {
                var output = ReportBuilder.Build(path, w);
                if (output.StatsCsv is not null) Console.WriteLine($"{output.StatsCsv}: {output.Stats.Count} rows");
                foreach (var f in output.Figures) Console.WriteLine($"{f.PngPath} (+ .svg)");
                Console.WriteLine(output.ReportHtml);
                return ExitCodes.Ok;
            }
            catch (ResultsFolderException e)
            {
                throw new UserInputException($"hvsim plot: {e.Message}");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"hvsim plot: cannot write into {path}: {e.Message}");
                return ExitCodes.RunFailed;
            }
        });
        return command;
    }
}
