namespace HvSim.Analysis.Tables;

/// <summary>
/// The values of the swept parameters for one batch run, and the point's name when the sweep gave it one (`labels:`);
/// <see cref="None"/> outside a sweep. The values are the point: two points with the same values are the same point
/// (the same runs and seeds) whatever they are called, so the label takes no part in equality.
/// </summary>
public sealed class SweepPoint : IEquatable<SweepPoint>
{
    public static readonly SweepPoint None = new([], []);

    public IReadOnlyList<string> Parameters { get; }
    public IReadOnlyList<string> Values { get; }
    /// <summary>The point's name from the sweep's `labels:`; empty when it has none.</summary>
    public string Label { get; }
    /// <summary>Its place in the scenario's sweep (runs.csv's `point`), which orders named points; -1 when not known.</summary>
    public int Index { get; }

    public SweepPoint(IReadOnlyList<string> values, IReadOnlyList<string> parameters, string label = "", int index = -1)
    {
        Values = values;
        Parameters = parameters;
        Label = label;
        Index = index;
    }

    /// <summary>The same point named <paramref name="label"/> (kept as it is when that is empty).</summary>
    public SweepPoint Named(string label) => label.Length == 0 || label == Label ? this : new SweepPoint(Values, Parameters, label, Index);

    /// <summary>
    /// Points in the order a reader expects: named points as the scenario lists them (their names were chosen in that
    /// order: none, KSM, cgroups ...), others by their values.
    /// </summary>
    public static IOrderedEnumerable<T> InOrder<T>(IOrderedEnumerable<T> items, Func<T, SweepPoint> point) =>
        items.ThenBy(i => point(i).Label.Length > 0 ? point(i).Index : -1).ThenBy(i => point(i).Values, Statistics.SweepValueComparer.Instance);

    /// <summary>"p1=v1, p2=v2": the point by its values, whether or not it has a label (a tooltip, a note of what a label stands for).</summary>
    public string ValuesText => LabelWithout("");

    public string ValueOf(string parameter)
    {
        for (int i = 0; i < Parameters.Count; i++) if (Parameters[i] == parameter) return Values[i];
        return "";
    }

    /// <summary>
    /// How a parameter is named to a reader: without the `sweep.` prefix that runs.csv gives a swept top-level key
    /// (`sweep.aging` reads `aging`).
    /// </summary>
    public static string DisplayName(string parameter) =>
        parameter.StartsWith(Batch.BatchAggregator.SweepColumnPrefix, StringComparison.Ordinal) ? parameter[Batch.BatchAggregator.SweepColumnPrefix.Length..] : parameter;

    /// <summary>"p1=v1, p2=v2" without the given parameter: names a line (variant) on a sweep curve.</summary>
    public string LabelWithout(string parameter) =>
        string.Join(", ", Parameters.Select((p, i) => (p, v: Values[i])).Where(t => t.p != parameter).Select(t => Assignment(t.p, t.v)));

    /// <summary>"p=v" as a reader wants it: the parameter's display name, the value as a scenario file writes it.</summary>
    public static string Assignment(string parameter, string value) => $"{DisplayName(parameter)}={DisplayValue(parameter, value)}";

    /// <summary>
    /// A swept value as the scenario file would write it (16GiB, 50us, 100MB/s), from the canonical form runs.csv keeps
    /// (bytes, ns, bytes/s); words, plain numbers and parameters the scenario language does not know as they are.
    /// </summary>
    public static string DisplayValue(string parameter, string value) =>
        Scenarios.Loading.SweepPaths.Find(DisplayName(parameter))?.FormatCanonical(value) ?? value;

    /// <summary>How a display names the point: its label, else its values.</summary>
    public override string ToString() => Label.Length > 0 ? Label : ValuesText;
    public bool Equals(SweepPoint? other) => other is not null && Values.SequenceEqual(other.Values) && Parameters.SequenceEqual(other.Parameters);
    public override bool Equals(object? obj) => Equals(obj as SweepPoint);
    public override int GetHashCode() => Values.Aggregate(17, (h, v) => h * 31 + v.GetHashCode());
}
