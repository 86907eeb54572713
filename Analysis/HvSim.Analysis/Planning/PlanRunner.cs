using System.Globalization;
using System.Text.Json.Nodes;
using HvSim.Analysis.Results;
using HvSim.Model.Config;
using HvSim.Scenarios.Language;

namespace HvSim.Analysis.Planning;

/// <summary>
/// Runs a loaded plan against the simulator and writes plan.csv, plan_probes.csv, every probe run's results tables
/// (summary, host, time series, fault latency, with `run_id` in front) and runs.csv, manifest.json, stats.csv, plots
/// and report.html.
/// </summary>
public static class PlanRunner
{
    public static PlanResult Run(PlanSpec spec, string outDir, int parallelism = 1, Action<Probe>? onProbe = null)
    {
        var evaluator = new SimulationEvaluator(spec.BaseConfig, spec.Mix, spec.SeedOf);
        var planner = new CapacityPlanner(evaluator, spec.Slo, spec.Replications, spec.MaxGuests) { Parallelism = parallelism, OnProbe = onProbe };
        var plans = spec.Platforms.Select(p => planner.FindMaxGuests(p, startHint: spec.StartHint)).ToList();
        MemoryAnswer? memory = null;
        if (spec.Memory is { } q)
            memory = new MemoryAnswer(ScenarioKeys.PlatformName(q.Platform), q.Guests,
                planner.FindMinHostMemory(q.Platform, q.Guests, q.FromBytes, q.ToBytes, q.StepBytes));
        var result = new PlanResult(spec.Scenario.Name, spec.Slo, spec.Replications, spec.MaxGuests, plans, memory) { Probes = planner.Probes.ToList() };

        Directory.CreateDirectory(outDir);
        PlanFiles.Write(outDir, result);
        var runs = RunsInOrder(evaluator.Runs);
        ResultsTables.WriteWithRunIds(outDir, runs.Select(r => (RunId(r), r.Rows)).ToList(), spec.Scenario.Template.Outputs);
        ResultsTables.WriteCsv(Path.Combine(outDir, Tables.ResultsFolder.RunsFile), RunsColumns, runs.Select(r => RunsRow(spec, r)));
        Manifest.Write(Path.Combine(outDir, ResultsTables.Manifest), ManifestOf(spec, runs));
        ReportBuilder.Build(outDir);
        return result;
    }

    /// <summary>Probe runs in an order that does not depend on how replications were scheduled: platform, host memory, count, replication.</summary>
    private static List<ProbeRun> RunsInOrder(IEnumerable<ProbeRun> runs) =>
        runs.OrderBy(r => r.Point.Platform).ThenBy(r => r.Point.HostMemoryBytes ?? -1).ThenBy(r => r.Point.Guests).ThenBy(r => r.Replication).ToList();

    /// <summary>`power7-n4-r1`, `ppc970-n2-m8GiB-r3` (a min_host_memory probe): a probe run's run_id, a safe file name.</summary>
    public static string RunId(ProbeRun r) =>
        string.Create(CultureInfo.InvariantCulture, $"{ScenarioKeys.PlatformName(r.Point.Platform)}-n{r.Point.Guests}")
        + (r.Point.HostMemoryBytes is { } m ? $"-m{Units.FormatSize(m)}" : "")
        + string.Create(CultureInfo.InvariantCulture, $"-r{r.Replication}");

    /// <summary>runs.csv of a plan folder: each probe run with its guest count and host memory as the parameters (a sweep's columns).</summary>
    private static readonly string[] RunsColumns = ["run_id", "scenario", "platform", "replication", "seed", "guests.count", "host.memory"];

    private static string?[] RunsRow(PlanSpec spec, ProbeRun r) =>
    [
        RunId(r), spec.Scenario.Name, ScenarioKeys.PlatformName(r.Point.Platform), r.Replication.ToString(CultureInfo.InvariantCulture),
        r.Config.Seed.ToString(CultureInfo.InvariantCulture), r.Point.Guests.ToString(CultureInfo.InvariantCulture), Units.FormatSize(r.Config.Host.MemoryBytes),
    ];

    /// <summary>
    /// The largest probes the plan can run, for the memory guard: each platform at the guest cap, and the memory
    /// question's guest count at its largest host memory.
    /// </summary>
    public static IReadOnlyList<SimulationConfig> LargestProbes(PlanSpec spec)
    {
        var evaluator = new SimulationEvaluator(spec.BaseConfig, spec.Mix, spec.SeedOf);
        var points = spec.Platforms.Select(p => new PlanPoint(p, spec.MaxGuests, null)).ToList();
        if (spec.Memory is { } q) points.Add(new PlanPoint(q.Platform, q.Guests, q.ToBytes));
        return points.Select(p => evaluator.ConfigAt(p, 1)).ToList();
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
        return manifest;
    }
}
