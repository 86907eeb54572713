namespace HvSim.Analysis.Tables;

/// <summary>The values of the swept parameters for one batch run; <see cref="None"/> outside a sweep.</summary>
public sealed class SweepPoint : IEquatable<SweepPoint>
{
    public static readonly SweepPoint None = new([], []);

    public IReadOnlyList<string> Parameters { get; }
    public IReadOnlyList<string> Values { get; }

    public SweepPoint(IReadOnlyList<string> values, IReadOnlyList<string> parameters)
    {
        Values = values;
        Parameters = parameters;
    }

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
        string.Join(", ", Parameters.Select((p, i) => (p, v: Values[i])).Where(t => t.p != parameter).Select(t => $"{DisplayName(t.p)}={t.v}"));

    public override string ToString() => LabelWithout("");
    public bool Equals(SweepPoint? other) => other is not null && Values.SequenceEqual(other.Values) && Parameters.SequenceEqual(other.Parameters);
    public override bool Equals(object? obj) => Equals(obj as SweepPoint);
    public override int GetHashCode() => Values.Aggregate(17, (h, v) => h * 31 + v.GetHashCode());
}
