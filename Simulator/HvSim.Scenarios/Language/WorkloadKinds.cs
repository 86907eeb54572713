using HvSim.Model.Workloads;
using HvSim.Traces;

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

/// <summary>A nested workload list item as the binder hands it to a <see cref="ValueKind.WorkloadList"/> key.</summary>
public sealed record WorkloadItem(object? Value, WorkloadSpec Workload);

/// <summary>The workload kinds a scenario can use: one table entry per kind, nothing else to change to add one.</summary>
public static class WorkloadKinds
{
    private static readonly ZipfWorkload Zipf = new();
    private static readonly HotColdWorkload HotCold = new();
    private static readonly SequentialWorkload Sequential = new();
    private static readonly WorkingSetWorkload WorkingSet = new();
    private static readonly TraceWorkload Trace = new() { Path = "unset" };

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
            Prototype = Zipf,
            Keys =
            [
                Key("alpha", ValueKind.Number, "Zipf exponent (0 = uniform; larger = more skewed).", Zipf.Alpha,
                    (w, v) => ((ZipfWorkload)w) with { Alpha = (double)v! }, min: 0, max: 20),
                Key("layout_seed", ValueKind.Integer, "Seed of the rank-to-page scattering (same for every vCPU of a guest). Guest i of a profile with count: uses layout_seed + i, so identical guests get distinct layouts.", (long)Zipf.LayoutSeed,
                    (w, v) => ((ZipfWorkload)w) with { LayoutSeed = (ulong)(long)v! }, min: 0),
            ],
        },
        new()
        {
            Name = "hotcold", Doc = "hot_access_fraction of the accesses go uniformly to a hot set of hot_page_fraction of the pages, the rest to the other pages.",
            Prototype = HotCold,
            Keys =
            [
                Key("hot_access_fraction", ValueKind.Fraction, "Share of accesses that go to the hot set.", HotCold.HotAccessFraction,
                    (w, v) => ((HotColdWorkload)w) with { HotAccessFraction = (double)v! }, min: 0, max: 1),
                Key("hot_page_fraction", ValueKind.Fraction, "Share of the guest's pages in the hot set (> 0).", HotCold.HotPageFraction,
                    (w, v) => ((HotColdWorkload)w) with { HotPageFraction = (double)v! }, min: 1e-9, max: 1),
                Key("layout_seed", ValueKind.Integer, "Seed of the scattering of hot pages over the guest. Guest i of a profile with count: uses layout_seed + i, so identical guests get distinct layouts.", (long)HotCold.LayoutSeed,
                    (w, v) => ((HotColdWorkload)w) with { LayoutSeed = (ulong)(long)v! }, min: 0),
            ],
        },
        new()
        {
            Name = "sequential", Doc = "A (strided) scan: each vCPU scans its own contiguous slice of the guest, stride pages apart, until every page of the slice was touched.",
            Prototype = Sequential,
            Keys =
            [
                Key("stride", ValueKind.Integer, "Pages between consecutive accesses (1 = plain sequential scan).", (long)Sequential.Stride,
                    (w, v) => ((SequentialWorkload)w) with { Stride = (int)(long)v! }, min: 1, max: int.MaxValue),
                Key("passes", ValueKind.Integer, "Passes over the slice before the stream ends; 0 = forever.", (long)Sequential.Passes,
                    (w, v) => ((SequentialWorkload)w) with { Passes = (int)(long)v! }, min: 0, max: int.MaxValue),
            ],
        },
        new()
        {
            Name = "working_set", Doc = "Uniform references over a working set that grows or shrinks linearly from start_fraction to end_fraction of the guest over ramp, then stays.",
            Prototype = WorkingSet,
            Keys =
            [
                Key("start_fraction", ValueKind.Fraction, "Working set at the start, as a share of guest memory (> 0).", WorkingSet.StartFraction,
                    (w, v) => ((WorkingSetWorkload)w) with { StartFraction = (double)v! }, min: 1e-9, max: 1),
                Key("end_fraction", ValueKind.Fraction, "Working set after the ramp (> 0).", WorkingSet.EndFraction,
                    (w, v) => ((WorkingSetWorkload)w) with { EndFraction = (double)v! }, min: 1e-9, max: 1),
                Key("ramp", ValueKind.Duration, "Duration of the linear ramp (0 = the end size from the start).", WorkingSet.RampNs,
                    (w, v) => ((WorkingSetWorkload)w) with { RampNs = (long)v! }, min: 0),
            ],
        },
        new()
        {
            Name = "phased", Doc = "Workloads one after another (e.g. boot, steady, batch job), each for its duration; each phase keeps its own write_fraction and think.",
            Prototype = new PhasedWorkload { Phases = [new WorkloadPhase(new UniformWorkload(), 1)] },
            Keys =
            [
                new()
                {
                    Name = "phases", Kind = ValueKind.WorkloadList, Required = true,
                    ItemKey = new KeyDef<WorkloadSpec> { Name = "duration", Kind = ValueKind.Duration, Min = 1, Doc = "How long the phase lasts.", Apply = (w, _) => w },
                    Doc = "The phases in order: each a `duration:` and a `workload:` block.",
                    Apply = (w, v) => ((PhasedWorkload)w) with
                    {
                        Phases = ((IReadOnlyList<WorkloadItem>)v!).Select(i => new WorkloadPhase(i.Workload, (long)i.Value!)).ToList(),
                    },
                },
                Key("loop", ValueKind.Boolean, "Start again with the first phase after the last; otherwise the stream ends.", false,
                    (w, v) => ((PhasedWorkload)w) with { Loop = (bool)v! }),
            ],
        },
        new()
        {
            Name = "mix", Doc = "Several streams interleaved at random in proportion to their weights; each access has its stream's write_fraction and think.",
            Prototype = new MixWorkload { Streams = [new MixStream(new UniformWorkload(), 1)] },
            Keys =
            [
                new()
                {
                    Name = "streams", Kind = ValueKind.WorkloadList, Required = true,
                    ItemKey = new KeyDef<WorkloadSpec> { Name = "weight", Kind = ValueKind.Number, Min = 1e-12, Doc = "Relative share of accesses (> 0).", Apply = (w, _) => w },
                    Doc = "The streams: each a `weight:` and a `workload:` block.",
                    Apply = (w, v) => ((MixWorkload)w) with
                    {
                        Streams = ((IReadOnlyList<WorkloadItem>)v!).Select(i => new MixStream(i.Workload, (double)i.Value!)).ToList(),
                    },
                },
            ],
        },
        new()
        {
            Name = "trace", Doc = "A guest driven by a trace file (CSV timestamp,obj_id,size,op; libCacheSim oracleGeneral; vSCSI); vCPU v of k replays records v, v+k, ...",
            Prototype = Trace,
            Keys =
            [
                new() { Name = "path", Kind = ValueKind.Path, Required = true, Doc = "Trace file, relative to the scenario file.", Apply = (w, v) => ((TraceWorkload)w) with { Path = (string)v! } },
                new()
                {
                    Name = "format", Kind = ValueKind.Choice, Choices = TraceFormats.Names, Default = Trace.Format.Name,
                    Doc = "Trace file format.", Apply = (w, v) => ((TraceWorkload)w) with { Format = TraceFormats.Parse((string)v!) },
                },
                new()
                {
                    Name = "mapping", Kind = ValueKind.Choice, Choices = ["object", "expand"], Default = "object",
                    Doc = "object: each distinct object is one guest page; expand: each request touches every expand_page_size page its byte range [id*id_unit, +size) covers.",
                    Apply = (w, v) => ((TraceWorkload)w) with
                    {
                        Mapping = (string)v! == "expand" ? PageMapping.Expand(Trace.Mapping.PageSizeBytes, Trace.Mapping.IdUnitBytes) : PageMapping.ObjectPerPage,
                    },
                },
                Key("expand_page_size", ValueKind.Size, "Page size for mapping: expand.", (long)Trace.Mapping.PageSizeBytes,
                    (w, v) => ((TraceWorkload)w) with { Mapping = ((TraceWorkload)w).Mapping with { PageSizeBytes = (int)(long)v! } }, min: 1, max: 1 << 30),
                Key("id_unit", ValueKind.Size, "Bytes per unit of object id for mapping: expand (512: an LBN is a sector).", (long)Trace.Mapping.IdUnitBytes,
                    (w, v) => ((TraceWorkload)w) with { Mapping = ((TraceWorkload)w).Mapping with { IdUnitBytes = (int)(long)v! } }, min: 1, max: 1 << 30),
                Key("loops", ValueKind.Integer, "Times the trace is played; 0 = forever.", (long)Trace.Loops,
                    (w, v) => ((TraceWorkload)w) with { Loops = (int)(long)v! }, min: 0, max: int.MaxValue),
                Key("time_scale", ValueKind.Number, "Trace time to simulated time (0.5 = twice as fast); 0 = ignore timestamps and use think.", Trace.TimeScale,
                    (w, v) => ((TraceWorkload)w) with { TimeScale = (double)v! }, min: 0, max: 1e9),
            ],
        },
    ];

    public static WorkloadKind? Find(string name) => All.FirstOrDefault(k => k.Name == name);

    /// <summary>The kind a workload record is (its prototype's type).</summary>
    public static WorkloadKind Of(WorkloadSpec workload) =>
        All.FirstOrDefault(k => k.Prototype.GetType() == workload.GetType()) ?? throw new ArgumentException($"no workload kind builds {workload.GetType().Name}", nameof(workload));

    /// <summary>Keys every kind takes (the <see cref="WorkloadSpec"/> base members); defaults read from the kind's prototype.</summary>
    public static IReadOnlyList<KeyDef<WorkloadSpec>> CommonKeys(WorkloadSpec prototype) =>
    [
        Key("write_fraction", ValueKind.Fraction, "Fraction of accesses that are stores (they dirty the page, which changes writeback).",
            prototype.WriteFraction, (w, v) => w with { WriteFraction = (double)v! }, min: 0, max: 1),
        Key("think", ValueKind.Duration, "Mean guest compute time between accesses (exponentially distributed; 0 = back to back).",
            prototype.ThinkNs, (w, v) => w with { ThinkNs = (long)v! }, min: 0, max: 1_000_000_000),
    ];

    /// <summary>The `kind` key itself, for docs and schema.</summary>
    public static KeyDef<WorkloadSpec> KindKey { get; } = new()
    {
        Name = "kind", Kind = ValueKind.Choice, Required = true, Choices = All.Select(k => k.Name).ToList(),
        Doc = "Which access stream each vCPU runs; the other keys depend on it.", Apply = (w, _) => w,
    };

    private static KeyDef<WorkloadSpec> Key(string name, ValueKind kind, string doc, object def, Func<WorkloadSpec, object?, WorkloadSpec> apply, double? min = null, double? max = null) =>
        new() { Name = name, Kind = kind, Doc = doc, Default = def, Apply = apply, Min = min, Max = max };
}
