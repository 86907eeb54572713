using HvSim.Model.Replacement;
using HvSim.Model.Workloads;
using HvSim.Scenarios.Language;
using HvSim.Traces;

namespace HvSim.Scenarios.Tests;

/// <summary>
/// docs/architecture.md says a policy, a trace format or a workload kind is one new file plus one registry line, and
/// that everything else derives from the registry. These check the registries against the classes that exist, found
/// by reflection: a class written but not registered would be missing from the scenario language and the CLI.
/// </summary>
public class RegistryTests
{
    private static IEnumerable<Type> Concrete<T>(params Type[] inAssembliesOf) =>
        inAssembliesOf.Select(t => t.Assembly).Distinct().SelectMany(a => a.GetTypes())
            .Where(t => typeof(T).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false }).OrderBy(t => t.FullName);

    [Fact]
    public void EveryReplacementPolicyClassIsRegisteredOnceUnderItsOwnName()
    {
        var registered = ReplacementPolicies.All.Select(p => p.Create(new PolicySize(8, 4))).ToList();
        Assert.Equal(Concrete<IReplacementPolicy>(typeof(IReplacementPolicy)), registered.Select(p => p.GetType()).OrderBy(t => t.FullName));
        Assert.Equal(ReplacementPolicies.Names, registered.Select(p => p.Name));
        Assert.Equal(ReplacementPolicies.Names.Distinct(), ReplacementPolicies.Names);
        // host.policy offers exactly the registry's names.
        Assert.Equal(ReplacementPolicies.Names, ScenarioKeys.Host.Find("policy")!.Choices);
    }

    [Fact]
    public void EveryWorkloadRecordHasOneKind()
    {
        var kinds = WorkloadKinds.All.Select(k => k.Prototype.GetType()).OrderBy(t => t.FullName).ToList();
        Assert.Equal(Concrete<WorkloadSpec>(typeof(WorkloadSpec), typeof(TraceWorkload)), kinds);
        Assert.All(WorkloadKinds.All, k => Assert.Same(k, WorkloadKinds.Of(k.Prototype)));
    }

    [Fact]
    public void TraceFormatsAreNamedOnceAndOfferedByTheScenarioKey()
    {
        Assert.Equal(TraceFormats.Names.Distinct(StringComparer.OrdinalIgnoreCase), TraceFormats.Names);
        var format = WorkloadKinds.Find("trace")!.AllKeys.Single(k => k.Name == "format");
        Assert.Equal(TraceFormats.Names, format.Choices);
        // Every extension implies one format only.
        Assert.Equal(TraceFormats.All.SelectMany(f => f.Extensions).Distinct(), TraceFormats.All.SelectMany(f => f.Extensions));
        Assert.Same(OracleGeneralReader.Format, TraceFormats.FromExtension("/x/cloudPhysicsIO.oracleGeneral.bin"));
    }
}
