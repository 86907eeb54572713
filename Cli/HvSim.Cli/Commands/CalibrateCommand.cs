using System.CommandLine;
using System.Globalization;
using HvSim.Analysis.Calibration;
using HvSim.Scenarios.Language;
using HvSim.Traces;
using Spectre.Console;

namespace HvSim.Cli.Commands;

/// <summary>`hvsim calibrate swap PATH`: measure a swap device and write the `swap:` block a scenario extends.</summary>
internal static class CalibrateCommand
{
    public static Command Create()
    {
        var calibrate = new Command("calibrate", "Measure this host and write scenario blocks from the measurements");
        calibrate.Subcommands.Add(Swap());
        return calibrate;
    }

    private static Command Swap()
    {
        var path = new Argument<string>("PATH") { Description = "File or block device to measure: a new file is created (--size), written and deleted afterwards; an existing file or device is only read" };
        var size = new Option<string>("--size") { Description = "Size of the new file, or the span of an existing one that is read (e.g. 256MiB)", DefaultValueFactory = _ => "1GiB" };
        var output = new Option<string>("--out") { Description = "File to write the `host: swap:` block into", DefaultValueFactory = _ => "swap.yaml" };
        var ios = new Option<int>("--ios") { Description = "I/Os per page size, direction and queue depth", DefaultValueFactory = _ => 2000 };
        var depth = new Option<int>("--depth") { Description = "Queue depths 1..N are measured", DefaultValueFactory = _ => 4 };
        var pageSize = new Option<string>("--page-size") { Description = "The page size (4KiB or 64KiB, as host.page_size) whose reads become the scenario's service-time histogram", DefaultValueFactory = _ => "64KiB" };
        var command = new Command("swap", "Random O_DIRECT reads and writes at HvSim's page sizes (4KiB, 64KiB) and queue depths 1..N; print the service-time distribution and write a `host: swap:` block (latency_histogram, slots) that scenarios take with `extends:`")
        {
            path, size, output, ios, depth, pageSize,
        };
        command.SetAction(parse =>
        {
            string target = parse.GetValue(path)!;
            string outFile = parse.GetValue(output)!;
            if (!Units.TryParseSize(parse.GetValue(size)!, out long bytes) || bytes < (1 << 20))
                throw new UserInputException($"hvsim calibrate swap: --size '{parse.GetValue(size)}' is not allowed (allowed: a size of at least 1MiB, e.g. 256MiB)");
            if (!Units.TryParseSize(parse.GetValue(pageSize)!, out long page) || page is not ((4 << 10) or (64 << 10)))
                throw new UserInputException($"hvsim calibrate swap: --page-size '{parse.GetValue(pageSize)}' is not allowed (allowed: 4KiB, 64KiB)");
            int count = parse.GetValue(ios), maxDepth = parse.GetValue(depth);
            if (count < 10 || count > 10_000_000) throw new UserInputException($"hvsim calibrate swap: --ios {count} is not allowed (allowed: 10 to 10000000)");
            if (maxDepth < 1 || maxDepth > 64) throw new UserInputException($"hvsim calibrate swap: --depth {maxDepth} is not allowed (allowed: 1 to 64)");
            // Told by statx before anything is opened: reading a FIFO's first line would block, a device's never ends.
            foreach (string file in new[] { outFile, outFile + ".tmp" })
            {
                var kind = FileKinds.Of(file);
                if (kind is not (FileKind.Missing or FileKind.Regular))
                    throw new UserInputException($"hvsim calibrate swap: --out {outFile}: {file} is {FileKinds.Describe(kind)}, not a regular file; nothing was touched (allowed: a new file, or an earlier calibration)");
            }
            if (File.Exists(outFile) && !File.ReadLines(outFile).FirstOrDefault("").Contains(SwapCalibration.ScenarioHeader, StringComparison.Ordinal))
                throw new UserInputException($"hvsim calibrate swap: --out {outFile} exists and was not written by `hvsim calibrate swap`; nothing was touched (allowed: a new file, or an earlier calibration)");
            bool created = !File.Exists(target) && !Directory.Exists(target);
            if (Directory.Exists(target)) throw new UserInputException($"hvsim calibrate swap: {target} is a folder (allowed: a file or block device; a new file is created)");
            var plan = new SwapCalibrationPlan
            {
                Path = target, SizeBytes = bytes, MaxDepth = maxDepth, IosPerPoint = count, Writes = created, ScenarioPageSize = (int)page,
            };
            try
            {
                var points = Measure(plan, created);
                Print(plan, points);
                string provenance = $"{target} ({(created ? "a new file of " + Units.FormatSize(bytes) : "read only")}) on {Environment.MachineName}, " +
                    $"{DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC, kernel {Environment.OSVersion.Version}.";
                string temporary = outFile + ".tmp";
                File.WriteAllText(temporary, SwapCalibration.ScenarioBlock(plan, points, provenance));
                File.Move(temporary, outFile, overwrite: true);
                AnsiConsole.MarkupLine($"wrote the swap block to [bold]{Markup.Escape(outFile)}[/] (a scenario takes it with `extends: {Markup.Escape(Path.GetFileName(outFile))}`)");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or PlatformNotSupportedException)
            {
                throw new UserInputException($"hvsim calibrate swap: {e.Message}");
            }
            finally
            {
                if (created && File.Exists(target)) File.Delete(target);
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    private static List<SwapCalibrationPoint> Measure(SwapCalibrationPlan plan, bool create)
    {
        var points = new List<SwapCalibrationPoint>();
        var work = plan.Points().ToList();
        if (ConsoleSetup.LiveProgress)
        {
            AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                .Start(ctx =>
                {
                    if (create)
                    {
                        var fill = ctx.AddTask($"writing {Units.FormatSize(plan.SizeBytes)} to {Markup.Escape(plan.Path)}", maxValue: plan.SizeBytes);
                        SwapCalibration.Fill(plan.Path, plan.SizeBytes, n => fill.Increment(n));
                    }
                    var task = ctx.AddTask($"{work.Count} points x {plan.IosPerPoint} I/Os", maxValue: work.Count * (double)plan.IosPerPoint);
                    foreach (var (size, write, depth) in work)
                    {
                        task.Description = $"{Units.FormatSize(size)} {(write ? "writes" : "reads")}, queue depth {depth}";
                        points.Add(SwapCalibration.Measure(plan, size, write, depth, () => { lock (task) task.Increment(1); }));
                    }
                });
        }
        else
        {
            if (create) SwapCalibration.Fill(plan.Path, plan.SizeBytes, _ => { });
            foreach (var (size, write, depth) in work)
            {
                Console.WriteLine($"measuring {Units.FormatSize(size)} {(write ? "writes" : "reads")} at queue depth {depth} ({plan.IosPerPoint} I/Os)");
                points.Add(SwapCalibration.Measure(plan, size, write, depth, () => { }));
            }
        }
        return points;
    }

    private static void Print(SwapCalibrationPlan plan, List<SwapCalibrationPoint> points)
    {
        var table = new Table().Title($"[bold]{Markup.Escape(plan.Path)}[/]: service time per I/O (us)").SimpleBorder();
        table.AddColumns("page", "op", "depth");
        foreach (var c in new[] { "I/Os", "mean", "p50", "p90", "p99", "p99.9", "max", "IOPS" }) table.AddColumn(new TableColumn(c).RightAligned());
        static string Us(double ns) => (ns / 1000).ToString("0.0", CultureInfo.InvariantCulture);
        foreach (var p in points)
            table.AddRow(Units.FormatSize(p.PageSize), p.Write ? "write" : "read", p.Depth.ToString(CultureInfo.InvariantCulture),
                p.Latency.Count.ToString(CultureInfo.InvariantCulture), Us(p.Latency.Mean), Us(p.Latency.Quantile(0.5)), Us(p.Latency.Quantile(0.9)),
                Us(p.Latency.Quantile(0.99)), Us(p.Latency.Quantile(0.999)), Us(p.Latency.Max), p.Iops.ToString("0", CultureInfo.InvariantCulture));
        AnsiConsole.Write(table);
    }
}
