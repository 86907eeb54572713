using System.CommandLine;
using System.Globalization;
using HvSim.Analysis.Results;
using HvSim.Analysis.Validation;
using Spectre.Console;

namespace HvSim.Cli.Commands;

/// <summary>`hvsim validation REAL.csv`: HvSim against the real kernel's measurements (validation/run.sh), point by point.</summary>
internal static class ValidationCommand
{
    public static Command Create()
    {
        var real = new Argument<string>("REAL.csv") { Description = "The real experiment's CSV (validation/run.sh --out)" };
        var output = CliOptions.OutFolder("Folder for comparison.csv, comparison.md, the plots and the generated scenarios (default: results/validation)");
        var template = new Option<string>("--template") { Description = "Scenario template with ${...} placeholders", DefaultValueFactory = _ => Path.Combine("validation", "scenario-template.yaml") };
        var swap = new Option<string?>("--swap") { Description = "A `host: swap:` block from `hvsim calibrate swap` that every scenario extends (default: the ssd preset)" };
        var kernel = new Option<string>("--kernel") { Description = "Host-kernel model: " + KernelMode.Allowed, DefaultValueFactory = _ => KernelMode.Linux34.Name };
        var readahead = new Option<int?>("--readahead") { Description = "host.swap.readahead in HvSim (default: the real host's 2^page_cluster for linux-6.18, whose VMA readahead adapts as the kernel's; 1 for linux-3.4, whose fixed cluster would read that many on every fault)" };
        var costs = new Option<string>("--costs") { Description = "measured: the real host's fault and reclaim costs from the CSV itself (costs.zero_fill, swap_in, reclaim_page; docs/validation.md); default: HvSim's defaults", DefaultValueFactory = _ => "measured" };
        var command = new Command("validation", "Run HvSim's scenario for every point of a real-kernel experiment over the same access window; write the comparison (major faults, all faults, swap-outs and stall per access), plots and the scenarios")
        {
            real, output, template, swap, kernel, readahead, costs,
        };
        command.SetAction(parse =>
        {
            string csv = parse.GetValue(real)!;
            var mode = KernelMode.Find(parse.GetValue(kernel)!)
                ?? throw new UserInputException($"hvsim validation: --kernel '{parse.GetValue(kernel)}' is not allowed (allowed: {KernelMode.Allowed})");
            foreach (var (what, file) in new[] { ("REAL.csv", csv), ("--template", parse.GetValue(template)!), ("--swap", parse.GetValue(swap)) })
                if (file is not null && !File.Exists(file)) throw new UserInputException($"hvsim validation: {what} {file}: file not found");
            int? pages = parse.GetValue(readahead);
            if (pages is < 1 or > 256) throw new UserInputException($"hvsim validation: --readahead {pages} is not allowed (allowed: 1 to 256, as host.swap.readahead)");
            string costMode = parse.GetValue(costs)!;
            if (costMode is not ("measured" or "default")) throw new UserInputException($"hvsim validation: --costs '{costMode}' is not allowed (allowed: measured, default)");
            var options = new ValidationOptions
            {
                RealCsv = csv, OutDir = parse.GetValue(output) ?? Path.Combine("results", "validation"), TemplatePath = parse.GetValue(template)!,
                SwapBlockPath = parse.GetValue(swap), Kernel = mode, ReadaheadPages = pages, MeasuredCosts = costMode == "measured",
            };
            OutputFolder.Claim(options.OutDir, "validation");
            List<ComparisonRow> rows;
            try
            {
                rows = ValidationRunner.Run(options, point => Console.Error.WriteLine($"hvsim validation: {point}"));
            }
            catch (InvalidDataException e)
            {
                throw new UserInputException($"hvsim validation: {e.Message}");
            }
            Print(rows);
            AnsiConsole.MarkupLine($"[grey]{rows.Count} point(s); comparison in[/] {Markup.Escape(Path.Combine(options.OutDir, ValidationRunner.ComparisonFile))}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static void Print(List<ComparisonRow> rows)
    {
        var table = new Table().Title("[bold]real kernel vs HvSim, per access[/]").SimpleBorder();
        table.AddColumn("point");
        foreach (var c in new[] { "IRM", "major real", "HvSim", "diff", "all real", "HvSim", "swap-outs real", "HvSim", "stall us real", "HvSim" }) table.AddColumn(new TableColumn(c).RightAligned());
        var ci = CultureInfo.InvariantCulture;
        string F(double? v, string f = "0.0000") => v is { } x ? x.ToString(f, ci) : "-";
        foreach (var r in rows)
            table.AddRow(Markup.Escape(r.Point), F(r.IrmMissRatio), F(r.RealMajorPerAccess), F(r.HvsimMajorPerAccess),
                r.MajorRelDiff is { } d ? d.ToString("+0.0%;-0.0%", ci) : "-", F(r.RealFaultsPerAccess), F(r.HvsimFaultsPerAccess), F(r.RealSwapoutsPerAccess), F(r.HvsimSwapoutsPerAccess),
                F(r.RealStallUsPerAccess, "0.0"), F(r.HvsimStallUsPerAccess, "0.0"));
        AnsiConsole.Write(table);
    }
}
