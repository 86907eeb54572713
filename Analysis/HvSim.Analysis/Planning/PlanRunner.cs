using System.Globalization;
using System.Text.Json.Nodes;
using HvSim.Analysis.Results;
using HvSim.Model.Config;
using HvSim.Scenarios.Language;
using HvSim.Scenarios.Planning;

namespace HvSim.Analysis.Planning;

/// <summary>
/// Runs a loaded plan against the simulator and writes plan.csv, plan_probes.csv, every probe run's results tables
/// (summary, host, time series, fault latency, with `run_id` in front) and runs.csv, manifest.json, stats.csv, plots
/// and report.html.
/// </summary>
public static class PlanRunner
{
    public static PlanResult Run(PlanSpec spec, string outDir, int parallelism = 1, IPlanProgress? progress = null)
    {
        var evaluator = new SimulationEvaluator(spec.TargetOf, spec.SeedOf) { Progress = progress };
        var planner = new CapacityPlanner(evaluator, spec.Slo, spec.Replications, spec.MaxGuests) { Parallelism = parallelism, OnProbe = progress is null ? null : progress.ProbeDone };
        // One search after another, in the plan's order: replications run in parallel, so the probes' order never depends on --jobs.
        var searched = spec.Searches.ToDictionary(s => s, s => planner.FindMaxGuests(s.Platform, startHint: spec.StartHint, lever: s.Lever));
        var plans = searched.Where(s => s.Key.Lever is null).Select(s => s.Value).ToList();
        MemoryAnswer? memory = null;
        if (spec.Memory is { } q)
            memory = new MemoryAnswer(ScenarioKeys.PlatformName(q.Platform), q.Guests,
                planner.FindMinHostMemory(q.Platform, q.Guests, q.FromBytes, q.ToBytes, q.StepBytes));
        var result = new PlanResult(spec.Scenario.Name, spec.Slo, spec.Replications, spec.MaxGuests, plans, memory)
        {
            Probes = planner.Probes.ToList(),
            Levers = spec.Levers.SelectMany(l => l.On.Select(o => new LeverPlan(l.Name, l.Overrides, o.Platform,
                o.Target is null ? null : searched[(l.Name == PlanKeys.Baseline ? null : l.Name, o.Platform)], o.Refused))).ToList(),
        };

        Directory.CreateDirectory(outDir);
        PlanFiles.Write(outDir, result);
        var runs = RunsInOrder(spec, evaluator.Runs);
        ResultsTables.WriteWithRunIds(outDir, runs.Select(r => (RunId(r), r.Rows)).ToList(), spec.Scenario.Template.Outputs);
        ResultsTables.WriteCsv(Path.Combine(outDir, Tables.ResultsFolder.RunsFile), RunsColumns(spec), runs.Select(r => RunsRow(spec, r)));
        Manifest.Write(Path.Combine(outDir, ResultsTables.Manifest), ManifestOf(spec, runs));
        ReportBuilder.Build(outDir);
        return result;
    }

    /// <summary>
    /// Probe runs in an order that does not depend on how replications were scheduled: lever (the scenario as it is
    /// first, then the plan's order), platform, host memory, count, replication.
    /// </summary>
    private static List<ProbeRun> RunsInOrder(PlanSpec spec, IEnumerable<ProbeRun> runs) =>
        runs.OrderBy(r => r.Point.Lever is null ? -1 : spec.Levers.ToList().FindIndex(l => l.Name == r.Point.Lever))
            .ThenBy(r => r.Point.Platform).ThenBy(r => r.Point.HostMemoryBytes ?? -1).ThenBy(r => r.Point.Guests).ThenBy(r => r.Replication).ToList();

    /// <summary>
    /// `power7-n4-r1`, `ppc970-n2-m8GiB-r3` (a min_host_memory probe), `ksm-power7-n4-r1` (a lever's): a probe run's
    /// run_id, a safe file name (lever names are checked to be one).
    /// </summary>
    public static string RunId(ProbeRun r) =>
        (r.Point.Lever is { } lever ? lever + "-" : "")
        + string.Create(CultureInfo.InvariantCulture, $"{ScenarioKeys.PlatformName(r.Point.Platform)}-n{r.Point.Guests}")
        + (r.Point.HostMemoryBytes is { } m ? $"-m{Units.FormatSize(m)}" : "")
        + string.Create(CultureInfo.InvariantCulture, $"-r{r.Replication}");

    /// <summary>
    /// runs.csv of a plan folder: each probe run with its guest count and host memory as the parameters (a sweep's
    /// columns), and with levers its lever (`none` for the scenario as it is).
    /// </summary>
    private static string[] RunsColumns(PlanSpec spec) =>
        ["run_id", "scenario", "platform", "replication", "seed", .. spec.Levers.Count > 0 ? ["lever"] : Array.Empty<string>(), "guests.count", "host.memory"];

    private static string?[] RunsRow(PlanSpec spec, ProbeRun r) =>
    [
        RunId(r), spec.Scenario.Name, ScenarioKeys.PlatformName(r.Point.Platform), r.Replication.ToString(CultureInfo.InvariantCulture),
        r.Config.Seed.ToString(CultureInfo.InvariantCulture), .. spec.Levers.Count > 0 ? [r.Point.Lever ?? PlanKeys.Baseline] : Array.Empty<string>(),
        r.Point.Guests.ToString(CultureInfo.InvariantCulture), Units.FormatSize(r.Config.Host.MemoryBytes),
    ];

    /// <summary>
    /// The largest probes the plan can run, for the memory guard: each search (platform, lever) at the guest cap, and
    /// the memory question's guest count at its largest host memory.
    /// </summary>
    public static IReadOnlyList<SimulationConfig> LargestProbes(PlanSpec spec)
    {
        var evaluator = SimulationEvaluator.For(spec);
        var points = spec.Searches.Select(s => new PlanPoint(s.Platform, spec.MaxGuests, null, s.Lever)).ToList();
        if (spec.Memory is { } q) points.Add(new PlanPoint(q.Platform, q.Guests, q.ToBytes));
        return points.Select(p => evaluator.ConfigAt(p, 1)).ToList();
    }

    /// <summary>Expected cost of one replication of a probe (<see cref="Progress.RunCost"/>), to weight the plan's ETA.</summary>
    public static Func<PlanPoint, double> ReplicationCost(PlanSpec spec)
    {
        var evaluator = SimulationEvaluator.For(spec);
        return point => Progress.RunCost.Expected(evaluator.ConfigAt(point, 1));
    }

    /// <summary>
    /// The most probes the plan's searches make when the SLO is monotone in the guest count (the planner's
    /// assumption): per search (platform, lever), galloping and bisection over [1, max_guests] take at most
    /// 2⌈log2 max_guests⌉ + 1 probes and the confirmation one more; the memory question's bisection over its steps ⌈log2 steps⌉ + 2.
    /// </summary>
    public static int MaxProbes(PlanSpec spec) =>
        spec.Searches.Count * MaxGuestSearchProbes(spec.MaxGuests) + (spec.Memory is { } q ? MaxMemorySearchProbes(q) : 0);

    /// <summary>Most probes of <see cref="CapacityPlanner.FindMaxGuests"/> over [1, <paramref name="maxGuests"/>] with a monotone SLO, from any start.</summary>
    public static int MaxGuestSearchProbes(int maxGuests) => 2 * CeilLog2(maxGuests) + 2;

    /// <summary>Most probes of <see cref="CapacityPlanner.FindMinHostMemory"/> for the memory question (its two ends, then bisection).</summary>
    public static int MaxMemorySearchProbes(MemoryQuestion q) => CeilLog2(q.ToBytes / q.StepBytes - q.FromBytes / q.StepBytes) + 2;

    private static int CeilLog2(long n) => n <= 1 ? 0 : System.Numerics.BitOperations.Log2((ulong)(n - 1)) + 1;

    /// <summary>
    /// Replications to run at once (<paramref name="jobs"/>, at most the plan's replications). Throws
    /// <see cref="Batch.BatchInputException"/> before anything runs when that many of the largest probe's runs, plus
    /// the results every probe run keeps until the plan is written (<see cref="MaxProbes"/> × replications of them,
    /// each counted at the largest probe), are estimated to need more than <paramref name="maxMemoryBytes"/>.
    /// </summary>
    public static int Workers(PlanSpec spec, int jobs, long maxMemoryBytes)
    {
        var largest = LargestProbes(spec);
        int workers = Math.Max(1, Math.Min(jobs, spec.Replications));
        long perRun = largest.Max(MemoryEstimate.Bytes);
        int probes = MaxProbes(spec);
        long probeRuns = (long)probes * spec.Replications;
        long kept = probeRuns * largest.Max(MemoryEstimate.KeptRunBytes);
        long total = perRun * workers + kept;
        if (total > maxMemoryBytes)
            throw new Batch.BatchInputException(
                $"estimated memory {Units.FormatSizeApprox(total)} ({workers} parallel run(s) of up to {Units.FormatSizeApprox(perRun)}, and " +
                $"{Units.FormatSizeApprox(kept)} for the results of up to {probeRuns:N0} probe runs ({probes} probes × {spec.Replications} replications), " +
                $"kept until the plan is written) exceeds the limit {Units.FormatSizeApprox(maxMemoryBytes)} " +
                "(allowed: raise --max-memory, lower --jobs, or fewer replications, a smaller max_guests or a shorter scenario)");
        return workers;
    }

    private static JsonObject ManifestOf(PlanSpec spec, IReadOnlyList<ProbeRun> runs)
    {
        var manifest = Manifest.Header("hvsim plan");
        manifest["kind"] = "plan";
        manifest["plan_file"] = spec.File;
        manifest["scenario_file"] = spec.Scenario.File;
        manifest["scenario_sha256"] = spec.Scenario.Sha256;
        manifest["slo"] = spec.Slo.ToString();
        manifest["confidence"] = spec.Slo.Confidence;
        manifest["replications"] = spec.Replications;
        manifest["max_guests"] = spec.MaxGuests;
        manifest["search_start"] = spec.StartHint ?? 1;
        manifest["platforms"] = new JsonArray(spec.Platforms.Select(p => (JsonNode)ScenarioKeys.PlatformName(p)).ToArray());
        if (spec.Levers.Count > 0)
            manifest["levers"] = new JsonArray(spec.Levers.Select(l => (JsonNode)new JsonObject
            {
                ["name"] = l.Name,
                ["sets"] = l.Overrides,
                ["refused"] = new JsonObject(l.On.Where(o => o.Refused is not null).Select(o => KeyValuePair.Create(ScenarioKeys.PlatformName(o.Platform), (JsonNode?)o.Refused))),
            }).ToArray());
        manifest["mix"] = new JsonObject(spec.Mix.Shares.Select(s => KeyValuePair.Create(s.Profile.Name, (JsonNode?)s.Proportion)));
        manifest["config"] = Manifest.Config(spec.BaseConfig with { Guests = spec.Mix.Shares.Select(s => s.Profile).ToList() });
        // As `hvsim run` lists its runs: each probe run's identity and resolved configuration (warm-up, duration, costs for the statistics).
        manifest["runs"] = new JsonArray(runs.Select(r => (JsonNode)new JsonObject
        {
            ["run_id"] = RunId(r),
            ["platform"] = ScenarioKeys.PlatformName(r.Point.Platform),
            ["replication"] = r.Replication,
            ["seed"] = r.Config.Seed,
            ["config"] = Manifest.Config(r.Config),
        }).ToArray());
        // A lever's runs say which lever they ran (as runs.csv does): read back as the sweep point of the run.
        foreach (var (run, node) in runs.Zip(manifest["runs"]!.AsArray()))
            if (spec.Levers.Count > 0) node!["lever"] = run.Point.Lever ?? PlanKeys.Baseline;
        return manifest;
    }
}
