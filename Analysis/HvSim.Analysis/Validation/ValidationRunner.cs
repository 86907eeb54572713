using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using CsvHelper;
using HvSim.Analysis.Results;
using HvSim.Model;
using HvSim.Model.Results;
using HvSim.Scenarios;
using HvSim.Scenarios.Planning;

namespace HvSim.Analysis.Validation;

/// <summary>What `hvsim validation` compares: the real CSV, the template, an optional calibrated swap block, the kernel mode.</summary>
public sealed record ValidationOptions
{
    public required string RealCsv { get; init; }
    public required string OutDir { get; init; }
    public required string TemplatePath { get; init; }
    /// <summary>A `host: swap:` block from `hvsim calibrate swap` the scenarios extend; null = the ssd preset.</summary>
    public string? SwapBlockPath { get; init; }
    public KernelMode Kernel { get; init; } = KernelMode.Linux34;
    /// <summary>
    /// host.swap.readahead; null = the real host's 2^page_cluster for linux-6.18, whose VMA readahead adapts its window
    /// as the real kernel's does (swap_vma_readahead), and 1 for linux-3.4, whose fixed cluster would read 2^page_cluster
    /// pages on every fault where the real kernel reads one on these random streams.
    /// </summary>
    public int? ReadaheadPages { get; init; }
    /// <summary>Give HvSim the real host's fault and reclaim costs measured by the CSV itself (<see cref="FaultCosts"/>); false = HvSim's defaults.</summary>
    public bool MeasuredCosts { get; init; } = true;
    /// <summary>Set by <see cref="ValidationRunner.Run"/>: the costs every scenario gets; null = HvSim's defaults.</summary>
    public FaultCosts? Costs { get; init; }
}

/// <summary>
/// Runs HvSim for every completed row of the real experiment over the same access window and writes comparison.csv,
/// comparison.md, the plots, the generated scenarios and manifest.json into the output folder.
/// </summary>
public static class ValidationRunner
{
    public const string ComparisonFile = "comparison.csv";
    public const string TableFile = "comparison.md";

    /// <summary>The rows of a validation/run.sh CSV; anything else is refused naming the file and what is missing.</summary>
    public static List<RealRunRow> ReadReal(string path)
    {
        try
        {
            using var reader = CsvReader.FromFile(path);
            return reader.GetRecords<RealRunRow>().ToList();
        }
        catch (Exception e) when (e is KeyNotFoundException or FormatException or CsvFormatException or CsvValidationException or InvalidCastException)
        {
            throw new InvalidDataException($"{path} is not a CSV written by validation/run.sh: {e.Message}");
        }
    }

    public static List<ComparisonRow> Run(ValidationOptions options, Action<string> progress)
    {
        string template = File.ReadAllText(options.TemplatePath);
        var real = ReadReal(options.RealCsv);
        if (options.MeasuredCosts) options = options with { Costs = FaultCosts.Measure(real) };
        if (options.Costs is { } costs) progress($"measured costs: zero_fill {costs.ZeroFillNs} ns, swap_in {costs.SwapInNs} ns, reclaim_page {costs.ReclaimPageNs} ns");
        string scenarios = Path.Combine(options.OutDir, "scenarios");
        Directory.CreateDirectory(scenarios);
        var rows = new List<ComparisonRow>();
        foreach (var row in real)
        {
            if (!row.Complete)
            {
                progress($"{row.PointName}: skipped, the real run did not complete (exit code {row.ExitCode})");
                continue;
            }
            progress(row.PointName);
            rows.Add(Compare(row, template, options, Path.Combine(scenarios, row.PointName + ".yaml")));
        }
        ResultsTables.WriteCsv(Path.Combine(options.OutDir, ComparisonFile), rows);
        AtomicFile.Write(Path.Combine(options.OutDir, TableFile), s => s.Write(Encoding.UTF8.GetBytes(Markdown(rows))));
        ValidationPlots.Write(options.OutDir, rows);
        var manifest = Manifest.Header("hvsim");
        manifest["kind"] = "validation";
        manifest["kernel_mode"] = options.Kernel.Name;
        manifest["real_csv"] = Path.GetFullPath(options.RealCsv);
        manifest["template"] = Path.GetFullPath(options.TemplatePath);
        manifest["swap_block"] = options.SwapBlockPath is null ? null : Path.GetFullPath(options.SwapBlockPath);
        manifest["readahead_pages"] = options.ReadaheadPages;
        manifest["costs"] = options.Costs is { } c ? new JsonObject { ["zero_fill_ns"] = c.ZeroFillNs, ["swap_in_ns"] = c.SwapInNs, ["reclaim_page_ns"] = c.ReclaimPageNs } : null;
        manifest["points"] = new JsonArray(rows.Select(r => (JsonNode)r.Point).ToArray());
        Manifest.Write(Path.Combine(options.OutDir, ResultsTables.Manifest), manifest);
        return rows;
    }

    /// <summary>
    /// HvSim over the real run's window: a first run from time 0 finds when the guest has made pages +
    /// warmup_accesses and pages + warmup_accesses + accesses accesses (the first write of every page, then the stream) (its time series, interpolated within a sampling interval); the scenario
    /// written with that warm-up and duration is then run as `hvsim run` would, and its counters are the window's.
    /// </summary>
    public static ComparisonRow Compare(RealRunRow row, string template, ValidationOptions options, string scenarioPath)
    {
        long k = row.Accesses!.Value;
        long w = ValidationScenario.Pages(row) + row.WarmupAccesses!.Value; // the first write of every page comes first
        long realFaults = (row.WarmupMajFaults ?? 0) + row.MajFaults!.Value + (row.MinFaults ?? 0);
        long duration = (long)((w + k) * 150.0 + realFaults * 400_000.0) + 10_000_000;
        (long Start, long End)? window = null;
        for (int attempt = 0; attempt < 8 && window is null; attempt++, duration *= 2)
        {
            var series = RunScenario(scenarioPath, ValidationScenario.Text(template, row, options, 0, duration, Math.Max(1_000, duration / 4000))).GuestSeries;
            window = Window(series, w, w + k);
        }
        if (window is not { } found) throw new InvalidOperationException($"{row.PointName}: HvSim's guest did not make {w + k} accesses in {duration / 2e9:0.#} simulated seconds");
        long end = Math.Max(found.End, found.Start + 1_000);
        var result = RunScenario(scenarioPath, ValidationScenario.Text(template, row, options, found.Start, end, Math.Max(1_000, end / 200)));
        var g = result.Guests[0];
        double accesses = Math.Max(1, g.Accesses);
        long pages = ValidationScenario.Pages(row), available = ValidationScenario.AvailablePages(row);
        double realFaultsPerAccess = (double)(row.MajFaults!.Value + (row.MinFaults ?? 0)) / k;
        double hvsimFaultsPerAccess = (g.MajorFaults + g.MinorFaults) / accesses;
        return new ComparisonRow
        {
            Point = row.PointName, KernelMode = options.Kernel.Name, Runner = row.Runner, Pattern = row.Pattern + (row.Alpha is { } a ? a.ToString(CultureInfo.InvariantCulture) : ""),
            Ratio = row.Ratio, Turnovers = row.Turnovers, Pages = pages, AvailablePages = available,
            WarmupAccesses = row.WarmupAccesses!.Value, RealAccesses = k, HvsimAccesses = g.Accesses,
            IrmMissRatio = row.Pattern == "uniform" ? Math.Max(0, 1 - (double)available / pages) : null,
            RealMajorPerAccess = (double)row.MajFaults!.Value / k, HvsimMajorPerAccess = g.MajorFaults / accesses,
            RealFaultsPerAccess = realFaultsPerAccess, HvsimFaultsPerAccess = hvsimFaultsPerAccess,
            MajorRelDiff = row.MajFaults!.Value > 0 ? g.MajorFaults / accesses / ((double)row.MajFaults!.Value / k) - 1 : null,
            RealSwapoutsPerAccess = row.PswpOut is { } o ? (double)o / k : null, HvsimSwapoutsPerAccess = result.Host.SwapWrites / accesses,
            RealStallUsPerAccess = row.StallNs is { } s ? s / 1000.0 / k : null, HvsimStallUsPerAccess = g.StalledNs / 1000.0 / accesses,
            RealWallUsPerAccess = row.WallNs is { } wall ? wall / 1000.0 / k : null,
            RealSwapRa = row.SwapRa, HvsimSwapRa = result.Host.SwapRa, RealSwapRaHit = row.SwapRaHit, HvsimSwapRaHit = result.Host.SwapRaHit,
            RealWorkingsetRefault = row.WorkingsetRefault, HvsimWorkingsetRefault = result.Host.WorkingsetRefault,
            RealWorkingsetActivate = row.WorkingsetActivate, HvsimWorkingsetActivate = result.Host.WorkingsetActivate,
            Scenario = Path.GetFileName(scenarioPath),
        };
    }

    private static RunResult RunScenario(string path, string text)
    {
        File.WriteAllText(path, text);
        var run = RunPlanner.Plan(ScenarioLoader.Load(path)).Single();
        return SimulationRunner.Run(run.Config);
    }

    /// <summary>Simulated times at which the (single) guest's cumulative accesses reach <paramref name="from"/> and <paramref name="to"/>; null if they never do.</summary>
    public static (long Start, long End)? Window(IReadOnlyList<GuestSample> series, long from, long to)
    {
        long? start = from == 0 ? 0 : null, end = null;
        long cumulative = 0, previousTime = 0;
        foreach (var s in series)
        {
            long before = cumulative;
            cumulative += s.Accesses;
            long At(long target) => previousTime + (long)Math.Round((double)(target - before) / (cumulative - before) * (s.TimeNs - previousTime));
            if (start is null && cumulative >= from) start = At(from);
            if (cumulative >= to)
            {
                end = At(to);
                break;
            }
            previousTime = s.TimeNs;
        }
        return start is { } a && end is { } b ? (a, b) : null;
    }

    /// <summary>The comparison as the Markdown table docs/validation.md shows (one row per point).</summary>
    public static string Markdown(IReadOnlyList<ComparisonRow> rows)
    {
        var ci = CultureInfo.InvariantCulture;
        string F(double? v, string format = "0.0000") => v is { } x ? x.ToString(format, ci) : "";
        var sb = new StringBuilder();
        sb.Append("| point | warm-up accesses | C/N | 1 - C/N (IRM) | major faults/access real | HvSim | HvSim/real - 1 | all faults/access real | HvSim | swap-outs/access real | HvSim | stall us/access real | HvSim |\n");
        sb.Append("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
        foreach (var r in rows)
            sb.Append(ci, $"| {r.Point} | {r.WarmupAccesses} | {F((double)r.AvailablePages / r.Pages, "0.000")} | {F(r.IrmMissRatio)} | {F(r.RealMajorPerAccess)} | {F(r.HvsimMajorPerAccess)} | {(r.MajorRelDiff is { } d ? d.ToString("+0.0%;-0.0%", ci) : "")} | {F(r.RealFaultsPerAccess)} | {F(r.HvsimFaultsPerAccess)} | {F(r.RealSwapoutsPerAccess)} | {F(r.HvsimSwapoutsPerAccess)} | {F(r.RealStallUsPerAccess, "0.0")} | {F(r.HvsimStallUsPerAccess, "0.0")} |\n");
        return sb.ToString();
    }
}
