using HvSim.Model.Config;

namespace HvSim.Scenarios.Planning;

/// <summary>One simulation to run: a scenario's sweep point on one platform, one replication (1-based).</summary>
public sealed record PlannedRun(string RunId, Scenario Scenario, ScenarioPoint Point, Platform Platform, int Replication, SimulationConfig Config)
{
    public ulong Seed => Config.Seed;
}

/// <summary>Expands scenarios into runs: points × platforms × replications, in a fixed order.</summary>
public static class RunPlanner
{
    /// <summary>The number of runs <see cref="Plan"/> makes of <paramref name="scenario"/>, counted without making them.</summary>
    public static long Count(Scenario scenario) =>
        scenario.Points.Sum(p => (long)p.Template.Platforms.Count * p.Template.Replications);

    public static List<PlannedRun> Plan(Scenario scenario, ulong? seedOverride = null)
    {
        var runs = new List<PlannedRun>();
        ulong seed = seedOverride ?? scenario.Template.Config.Seed;
        bool swept = scenario.SweepPaths.Count > 0;
        foreach (var point in scenario.Points)
            foreach (var platform in point.Template.Platforms)
                for (int r = 1; r <= point.Template.Replications; r++)
                {
                    var runSeed = SeedDerivation.Derive(seed, point.Key, r);
                    var id = swept
                        ? $"{scenario.Name}.p{point.Index:D3}.{Language.ScenarioKeys.PlatformName(platform)}.r{r}"
                        : $"{scenario.Name}.{Language.ScenarioKeys.PlatformName(platform)}.r{r}";
                    runs.Add(new PlannedRun(id, scenario, point, platform, r, point.Template.ToConfig(scenario.Name, platform, runSeed)));
                }
        return runs;
    }
}
