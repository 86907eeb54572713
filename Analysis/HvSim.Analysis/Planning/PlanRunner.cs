using System.Text.Json.Nodes;
using HvSim.Analysis.Results;
using HvSim.Scenarios.Language;

namespace HvSim.Analysis.Planning;

/// <summary>Runs a loaded plan against the simulator and writes plan.csv, plan_probes.csv, manifest.json, plots and report.html.</summary>
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
        var result = new PlanResult(spec.Scenario.Name, spec.Slo, spec.Replications, spec.MaxGuests, plans, memory);

        Directory.CreateDirectory(outDir);
        PlanFiles.Write(outDir, result);
        Manifest.Write(Path.Combine(outDir, ResultsTables.Manifest), ManifestOf(spec));
        ReportBuilder.Build(outDir);
        return result;
    }

    private static JsonObject ManifestOf(PlanSpec spec)
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
        return manifest;
    }
}
