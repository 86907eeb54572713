using HvSim.Model.Workloads;

namespace HvSim.Scenarios.Language;

/// <summary>One `kind:` of a `workload:` block: the record it builds and the keys it takes besides the common ones.</summary>
public sealed class WorkloadKind
{
    public required string Name { get; init; }
    public required string Doc { get; init; }
    /// <summary>The record with the model's defaults; keys are applied to copies of it.</summary>
    public required WorkloadSpec Prototype { get; init; }
    public IReadOnlyList<KeyDef<WorkloadSpec>> Keys { get; init; } = [];

    public IEnumerable<KeyDef<WorkloadSpec>> AllKeys => Keys.Concat(WorkloadKinds.CommonKeys(Prototype));
}

/// <summary>The workload kinds a scenario can use: one table entry per kind, nothing else to change to add one.</summary>
public static class WorkloadKinds
{
    public static readonly IReadOnlyList<WorkloadKind> All =
    [
        new()
        {
            Name = "uniform", Doc = "Independent references, every guest page equally likely.",
            Prototype = new UniformWorkload(),
        },
        new()
        {
            Name = "zipf", Doc = "Independent references with Zipf(alpha) popularity; ranks are scattered over pages by a permutation shared by the guest's vCPUs.",
            Prototype = new ZipfWorkload(),
            Keys =
            [
                Key("alpha", ValueKind.Number, "Zipf exponent (0 = uniform; larger = more skewed).", new ZipfWorkload().Alpha,
                    (w, v) => ((ZipfWorkload)w) with { Alpha = (double)v! }, min: 0, max: 20),
                Key("layout_seed", ValueKind.Integer, "Seed of the rank-to-page scattering (same for every vCPU of a guest).", (long)new ZipfWorkload().LayoutSeed,
                    (w, v) => ((ZipfWorkload)w) with { LayoutSeed = (ulong)(long)v! }, min: 0),
            ],
        },
    ];

    public static WorkloadKind? Find(string name) => All.FirstOrDefault(k => k.Name == name);

    /// <summary>Keys every kind takes (the <see cref="WorkloadSpec"/> base members); defaults read from the kind's prototype.</summary>
    public static IReadOnlyList<KeyDef<WorkloadSpec>> CommonKeys(WorkloadSpec prototype) =>
    [
        Key("write_fraction", ValueKind.Fraction, "Fraction of accesses that are stores (they dirty the page, which changes writeback).",
            prototype.WriteFraction, (w, v) => w with { WriteFraction = (double)v! }, min: 0, max: 1),
        Key("think", ValueKind.Duration, "Mean guest compute time between accesses (exponentially distributed; 0 = back to back).",
            prototype.ThinkNs, (w, v) => w with { ThinkNs = (long)v! }, min: 0, max: 1_000_000_000),
    ];

    /// <summary>The `kind` key itself, for docs and schema.</summary>
    public static KeyDef<WorkloadSpec> KindKey => new()
    {
        Name = "kind", Kind = ValueKind.Choice, Required = true, Choices = All.Select(k => k.Name).ToList(),
        Doc = "Which access stream each vCPU runs; the other keys depend on it.", Apply = (w, _) => w,
    };

    private static KeyDef<WorkloadSpec> Key(string name, ValueKind kind, string doc, object def, Func<WorkloadSpec, object?, WorkloadSpec> apply, double? min = null, double? max = null) =>
        new() { Name = name, Kind = kind, Doc = doc, Default = def, Apply = apply, Min = min, Max = max };
}
