using HvSim.Model.Config;

namespace HvSim.Analysis.Results;

/// <summary>The key every results row starts with.</summary>
public sealed record RunKey(string Scenario, Platform Platform, int Replication, ulong Seed)
{
    public string PlatformName => Scenarios.Language.ScenarioKeys.PlatformName(Platform);
}
