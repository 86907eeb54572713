using HvSim.Analysis.Planning;
using HvSim.Analysis.Plots;
using HvSim.Analysis.Statistics;
using HvSim.Analysis.Tables;

namespace HvSim.Analysis.Compare;

/// <summary>A configuration both folders ran: scenario (empty when each folder holds one, whatever its name), platform and sweep point.</summary>
public sealed record RunGroup(string Scenario, string Platform, SweepPoint Point)
{
    /// <summary>"POWER7 (pageable), guests.count=4": how messages, tables and the report name the configuration.</summary>
    public override string ToString() =>
        string.Join(", ", new[] { Scenario, SeriesColors.PlatformLabel(Platform), Point.ToString() }.Where(s => s.Length > 0));
}

/// <summary>One metric of one configuration (host level when <see cref="Guest"/> is empty, else one guest) in both folders.</summary>
public sealed record ComparisonRow(RunGroup Group, string Guest, Metric Metric, MetricDifference Difference);

/// <summary>
/// Two results folders (runs, batches or plans) side by side: every metric of stats.csv, per configuration both ran,
/// B − A with its confidence interval. Folders that did not run the same configurations with the same guests do not
/// compare and are refused.
/// </summary>
public sealed record FolderComparison(
    string DirectoryA, string DirectoryB, IReadOnlyList<string> ScenariosA, IReadOnlyList<string> ScenariosB,
    IReadOnlyList<string> Parameters, IReadOnlyList<ComparisonRow> Rows, IReadOnlyList<string> Notes,
    PlanTables? PlanA, PlanTables? PlanB, double Confidence)
{
    /// <summary>At most this many configurations are listed by name in a refusal.</summary>
    private const int Listed = 5;

    /// <summary>Reads both folders (nothing is written) and compares them.</summary>
    /// <exception cref="ResultsFolderException">A folder that cannot be read, or two that do not compare.</exception>
    public static FolderComparison Compare(string directoryA, string directoryB, double confidence = ReplicationStats.DefaultConfidence)
    {
        var a = Side.Load(directoryA, "A");
        var b = Side.Load(directoryB, "B");
        if ((a.Plan is null) != (b.Plan is null))
        {
            var (plan, runs) = a.Plan is null ? (b, a) : (a, b);
            throw Refuse(a, b, $"{plan.Name} is a capacity plan (plan.csv) and {runs.Name} holds runs; a plan compares only with a plan");
        }
        bool plans = a.Plan is not null;
        // Folders of one scenario each compare whatever their scenarios are called (quickstart against quickstart-ssd).
        bool byScenario = a.Scenarios.Count > 1 || b.Scenarios.Count > 1;
        var groupsA = a.Groups(byScenario);
        var groupsB = b.Groups(byScenario);
        if (!a.Parameters.SequenceEqual(b.Parameters))
            throw Refuse(a, b, $"they sweep different parameters (A: {Names(a.Parameters)}; B: {Names(b.Parameters)})");
        var onlyA = groupsA.Keys.Except(groupsB.Keys).ToList();
        var onlyB = groupsB.Keys.Except(groupsA.Keys).ToList();
        var notes = new List<string>();
        if (!plans && (onlyA.Count > 0 || onlyB.Count > 0))
            throw Refuse(a, b, $"they did not run the same configurations ({Differences(onlyA, onlyB)})");
        var common = groupsA.Keys.Intersect(groupsB.Keys).OrderBy(g => g.Scenario, StringComparer.Ordinal)
            .ThenBy(g => g.Platform, StringComparer.Ordinal).ThenBy(g => g.Point.Values, SweepValueComparer.Instance).ToList();
        if (common.Count == 0)
            throw Refuse(a, b, $"the plans probed no configuration in common ({Differences(onlyA, onlyB)})");
        // A point is the same point whatever it is called: it takes A's label, else B's (a folder from before labels,
        // or a sweep without them, against one that names its points).
        var labelsB = groupsB.Keys.ToDictionary(g => g, g => g.Point.Label);
        common = common.Select(g => g with { Point = g.Point.Label.Length > 0 ? g.Point : g.Point.Named(labelsB[g]) }).ToList();
        if (plans && (onlyA.Count > 0 || onlyB.Count > 0))
            notes.Add($"Compared at the {common.Count} probed configurations both plans ran; {Differences(onlyA, onlyB)}.");
        foreach (var g in common)
            if (!groupsA[g].SequenceEqual(groupsB[g]))
                throw Refuse(a, b, $"their guests differ at {g} (A: {Names(groupsA[g])}; B: {Names(groupsB[g])})");

        var samplesA = a.Samples(byScenario);
        var samplesB = b.Samples(byScenario);
        var metricOrder = Metric.All.Select((m, i) => (m, i)).ToDictionary(t => t.m, t => t.i);
        var rows = new List<ComparisonRow>();
        foreach (var g in common)
        {
            var keys = samplesA.Keys.Concat(samplesB.Keys).Where(k => k.Group == g).Distinct()
                .OrderBy(k => k.Guest, StringComparer.Ordinal).ThenBy(k => metricOrder.GetValueOrDefault(k.Metric, int.MaxValue));
            foreach (var k in keys)
            {
                var d = MetricDifference.Of(samplesA.GetValueOrDefault(k) ?? [], samplesB.GetValueOrDefault(k) ?? [], confidence);
                if (d.NA > 0 || d.NB > 0) rows.Add(new ComparisonRow(g, k.Guest, k.Metric, d));
            }
        }
        return new FolderComparison(directoryA, directoryB, a.Scenarios, b.Scenarios, a.Parameters, rows, notes, a.Plan, b.Plan, confidence);
    }

    private static ResultsFolderException Refuse(Side a, Side b, string why) =>
        new($"{a.Directory} (A) and {b.Directory} (B) do not compare: {why}; nothing was written " +
            "(allowed: two results folders of runs, batches or plans with the same platforms, sweep points and guests)");

    private static string Differences(List<RunGroup> onlyA, List<RunGroup> onlyB)
    {
        static string List(List<RunGroup> g) =>
            string.Join("; ", g.Take(Listed)) + (g.Count > Listed ? $" and {g.Count - Listed} more" : "");
        var parts = new List<string>();
        if (onlyA.Count > 0) parts.Add($"only in A: {List(onlyA)}");
        if (onlyB.Count > 0) parts.Add($"only in B: {List(onlyB)}");
        return string.Join("; ", parts);
    }

    private static string Names(IReadOnlyList<string> names) => names.Count == 0 ? "none" : string.Join(", ", names);

    private readonly record struct SampleKey(RunGroup Group, string Guest, Metric Metric);

    /// <summary>One folder as the comparison reads it: its runs' metrics (computed in memory, nothing written) and guests.</summary>
    private sealed record Side(string Name, string Directory, ResultsFolder Folder, PlanTables? Plan, IReadOnlyList<Observation> Observations)
    {
        public IReadOnlyList<string> Scenarios => Folder.Summary.Select(r => r.Run.Scenario).Distinct().Order(StringComparer.Ordinal).ToList();
        public IReadOnlyList<string> Parameters => Plan is null ? Folder.Runs?.Parameters ?? [] : Plan.Levers.Count > 0 ? LeverPlanParameters : PlanParameters;

        public static Side Load(string directory, string name)
        {
            var folder = ResultsFolder.Load(directory);
            var plan = PlanFiles.TryRead(directory);
            if (folder.Summary.Count == 0)
                throw new ResultsFolderException(plan is not null
                    ? $"{directory}: a plan folder written before plans recorded their runs (no summary.csv), so it has no per-run values to compare (allowed: results folders of hvsim run, batch or plan; run the plan again)"
                    : $"{directory}: holds no simulation runs (no summary.csv) (allowed: results folders of hvsim run, batch or plan)");
            return new Side(name, directory, folder, plan, RunMetrics.Compute(folder));
        }

        private RunGroup GroupOf(RunIdentity run, bool byScenario) =>
            new(byScenario ? run.Scenario : "", run.Platform, Plan is null ? Folder.PointOf(run) : _planPoints.Value[run]);

        /// <summary>
        /// A plan's probes by what they ran, whichever searches made them: the guest count and the host memory (host.csv),
        /// so that a count-search probe of one plan meets the same probe of a plan that also searched memory; with
        /// levers, the lever first (runs.csv), so that two levers' probes at one count stay apart.
        /// </summary>
        private readonly Lazy<Dictionary<RunIdentity, SweepPoint>> _planPoints = new(() =>
        {
            var memory = Folder.Host.ToDictionary(h => h.Run, h => h.Row.MemoryBytes);
            bool levers = Plan!.Levers.Count > 0;
            string LeverOf(RunIdentity run) => Folder.PointOf(run) is var p && p.Parameters.Contains("lever") ? p.ValueOf("lever") : HvSim.Scenarios.Planning.PlanKeys.Baseline;
            return Folder.Summary.GroupBy(r => r.Run).ToDictionary(g => g.Key, g =>
            {
                string[] values = [g.Count().ToString(System.Globalization.CultureInfo.InvariantCulture), HvSim.Scenarios.Language.Units.FormatSize(memory.GetValueOrDefault(g.Key))];
                return levers ? new SweepPoint([LeverOf(g.Key), .. values], LeverPlanParameters) : new SweepPoint(values, PlanParameters);
            });
        });

        public static readonly IReadOnlyList<string> PlanParameters = ["guests.count", "host.memory"];
        public static readonly IReadOnlyList<string> LeverPlanParameters = ["lever", .. PlanParameters];

        /// <summary>Each configuration with its guests' names, sorted.</summary>
        public Dictionary<RunGroup, IReadOnlyList<string>> Groups(bool byScenario) =>
            Folder.Summary.GroupBy(r => GroupOf(r.Run, byScenario))
                .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.Select(r => r.Row.Guest).Distinct().Order(StringComparer.Ordinal).ToList());

        public Dictionary<SampleKey, List<Sample>> Samples(bool byScenario) =>
            Observations.GroupBy(o => new SampleKey(GroupOf(o.Run, byScenario), o.Guest, o.Metric))
                .ToDictionary(g => g.Key, g => g.Select(o => new Sample(o.Run.Replication, o.Run.Seed, o.Value)).ToList());
    }
}
