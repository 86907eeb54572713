using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CsvHelper;
using HvSim.Analysis.Results;
using HvSim.Scenarios;
using HvSim.Traces;
using Spectre.Console;

namespace HvSim.Cli.Commands;

/// <summary>`hvsim mrc TRACE`: the LRU miss-ratio curve from stack distances, exact or SHARDS-sampled.</summary>
internal static class MrcCommand
{
    public static Command Create()
    {
        var command = new Command("mrc", "Compute the LRU miss-ratio curve of a trace from stack distances; write mrc.csv (capacity,miss_ratio), its plot and report.html");
        var input = new TraceInput(command);
        var sample = new Option<double>("--sample")
        {
            Description = "SHARDS spatial sampling rate in (0, 1]; 1 = exact (resolves capacities from about 10 / rate pages)",
            DefaultValueFactory = _ => 1.0,
        };
        var output = CliOptions.OutFolder("Folder to write mrc.csv, mrc.png/.svg and report.html into (default: results/mrc/<trace file name>)");
        var points = new Option<int>("--points")
        {
            Description = "At most this many evenly spaced capacities in mrc.csv (all capacities when there are fewer distinct pages)",
            DefaultValueFactory = _ => 1000,
        };
        command.Options.Add(sample);
        command.Options.Add(output);
        command.Options.Add(points);
        command.SetAction(parse =>
        {
            double rate = parse.GetValue(sample);
            if (!(rate > 0 && rate <= 1)) throw new UserInputException($"hvsim mrc: --sample must be > 0 and <= 1, got {rate}");
            int maxPoints = parse.GetValue(points);
            if (maxPoints < 2) throw new UserInputException($"hvsim mrc: --points must be >= 2, got {maxPoints}");
            string trace = input.Describe(parse);
            string folder = parse.GetValue(output) ?? Path.Combine("results", "mrc", OutputNames.Sanitize(trace));
            string? created = OutputFolder.OutermostMissing(folder);
            OutputFolder.Claim(folder, "mrc");
            MissRatioCurve curve;
            try
            {
                // Sampling streams the file and keeps only the sample, so it works for traces too large to hold.
                curve = rate == 1
                    ? input.Read(parse, "mrc", (reader, mapping) =>
                    {
                        var trace = DenseTrace.Load(reader, mapping);
                        return MissRatioCurve.Exact(trace.Pages, trace.UniquePages);
                    })
                    : input.Read(parse, "mrc", (reader, mapping) => MissRatioCurve.Shards(reader, mapping, rate));
            }
            catch (UserInputException)
            {
                // A trace it cannot read is bad input: nothing written, not even the folder the claim made.
                OutputFolder.Unclaim(folder, created);
                throw;
            }
            var rows = curve.Capacities(maxPoints).Select(c => (Capacity: c, MissRatio: curve.MissRatio(c))).ToList();
            string path = Write(folder, rows, trace, curve.SamplingRate);
            Summarise(curve, rows, trace, path);
            CliScenarios.WriteReport(folder);
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>
    /// Write to a temporary file and move it into place, so a failure never leaves half a mrc.csv; manifest.json
    /// names the trace (the plot's title) and the sampling rate.
    /// </summary>
    private static string Write(string folder, List<(long Capacity, double MissRatio)> rows, string trace, double rate)
    {
        string path = Path.Combine(folder, "mrc.csv");
        string temporary = path + ".tmp";
        try
        {
            Directory.CreateDirectory(folder);
            var manifest = new JsonObject { ["tool"] = "hvsim", ["kind"] = "mrc", ["trace"] = trace, ["sampling_rate"] = rate };
            File.WriteAllText(temporary, manifest.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
            File.Move(temporary, Path.Combine(folder, "manifest.json"), overwrite: true);
            using (var writer = CsvWriter.ToFile(temporary, CsvWriterOptions.Default with { NewLine = "\n" }))
            {
                writer.WriteHeader(["capacity", "miss_ratio"]);
                foreach (var (capacity, missRatio) in rows)
                    writer.WriteRecord([capacity.ToString(CultureInfo.InvariantCulture), missRatio.ToString("F6", CultureInfo.InvariantCulture)]);
            }
            File.Move(temporary, path, overwrite: true);
            return path;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            if (File.Exists(temporary)) File.Delete(temporary);
            throw new UserInputException($"hvsim mrc: --out: cannot write {path}: {e.Message}");
        }
    }

    private static void Summarise(MissRatioCurve curve, List<(long Capacity, double MissRatio)> rows, string source, string path)
    {
        string how = curve.SamplingRate == 1 ? "exact" : $"SHARDS at rate {curve.SamplingRate:G4}";
        var table = new Table().Title($"{Markup.Escape(source)}: LRU miss-ratio curve ({how}), {curve.DistinctPages:N0} distinct pages");
        table.AddColumn(new TableColumn("capacity (pages)").RightAligned());
        table.AddColumn(new TableColumn("% of distinct").RightAligned());
        table.AddColumn(new TableColumn("miss ratio").RightAligned());
        foreach (double fraction in new[] { 0.01, 0.05, 0.1, 0.25, 0.5, 1.0 })
        {
            long capacity = Math.Max(1, (long)Math.Round(fraction * curve.DistinctPages));
            table.AddRow(capacity.ToString("N0"), (fraction * 100).ToString("G3") + "%", curve.MissRatio(capacity).ToString("F4"));
        }
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine($"wrote {rows.Count:N0} points to [bold]{Markup.Escape(path)}[/]");
    }
}
