using System.Globalization;
using HvSim.Scenarios.Language;

namespace HvSim.Scenarios.Loading;

/// <summary>One swept key set to one value in one sweep point.</summary>
public sealed record SweepAssignment(string Path, Node Value, string Canonical)
{
    /// <summary>The value as the file spells it (64MiB, 8ms), for messages: <see cref="Canonical"/> is raw bytes and nanoseconds.</summary>
    public string AsWritten => Value is ScalarNode { Value: var text } ? text : Canonical;
}

/// <summary>`sweep:` — parameter paths mapped to value lists, combined as a grid (default) or zipped.</summary>
internal static class SweepParser
{
    public const int MaxPoints = 100_000;
    private static readonly string[] NotSweepable = ScenarioKeys.Root.Keys.Where(k => !k.Sweepable).Select(k => k.Name).ToArray();

    /// <summary>Every path a sweep may set, with its key definition.</summary>
    public static IEnumerable<(string Path, KeyDef Key)> SweepablePaths()
    {
        foreach (var (path, section) in ScenarioKeys.Root.Tree())
        {
            string prefix = path.Length == 0 ? "" : path + ".";
            if (section == ScenarioKeys.Workload)
            {
                // Every kind's keys under one path each: a sweep may change the kind and its keys together.
                yield return (prefix + WorkloadKinds.KindKey.Name, WorkloadKinds.KindKey);
                var seen = new HashSet<string>();
                foreach (var kind in WorkloadKinds.All)
                    foreach (var k in kind.AllKeys.Where(k => k.Kind is not (ValueKind.WorkloadList or ValueKind.Path)))
                        if (seen.Add(k.Name)) yield return (prefix + k.Name, k);
            }
            foreach (var k in section.KeyDefs.Where(k => k.Sweepable))
                yield return (prefix + k.Name, k);
        }
    }

    /// <summary>The points of the sweep in order (grid: the first key varies slowest); one empty point without a sweep.</summary>
    public static List<IReadOnlyList<SweepAssignment>>? Parse(Node? sweep, Diagnostics d, out string mode)
    {
        mode = "grid";
        if (sweep is null) return [[]];
        if (sweep is not MappingNode map)
        {
            d.Add(sweep, $"'sweep' must be a mapping of key paths to value lists, not {sweep.KindName}", "e.g. guests.count: [2, 4, 6, 8]");
            return null;
        }
        var paths = SweepablePaths().ToDictionary(p => p.Path, p => p.Key, StringComparer.Ordinal);
        var axes = new List<(string Path, List<SweepAssignment> Values, Node At)>();
        bool ok = true;
        foreach (var entry in map.Entries)
        {
            var name = entry.Key.Value;
            if (name == "mode")
            {
                if (entry.Value is ScalarNode { Value: "grid" or "zip" } m) mode = m.Value;
                else { d.Add(entry.Value, "'mode' must be grid or zip", "grid (every combination) or zip (the i-th values together)"); ok = false; }
                continue;
            }
            if (!paths.TryGetValue(name, out var key))
            {
                var why = NotSweepable.Contains(name) ? $"'{name}' cannot be swept" : $"unknown sweep key path '{ValueParser.Shorten(name)}'" + ValueParser.DidYouMean(name, paths.Keys);
                d.Add(entry.Key, why, "mode, or a key path such as guests.count, host.memory, host.swap.device, guests.workload.alpha (see docs/scenarios.md)");
                ok = false;
                continue;
            }
            if (entry.Value is not SequenceNode { Items.Count: > 0 } list)
            {
                d.Add(entry.Value, $"sweep values of '{ValueParser.Shorten(name)}' must be a non-empty list", "[value, value, ...]");
                ok = false;
                continue;
            }
            var values = new List<SweepAssignment>();
            foreach (var item in list.Items)
            {
                if (ValueParser.TryParse(key, item, d, out var v)) values.Add(new SweepAssignment(name, item, Canonical(v)));
                else ok = false;
            }
            axes.Add((name, values, entry.Value));
        }
        if (!ok) return null;
        if (axes.Count == 0) return [[]];
        if (mode == "zip")
        {
            int n = axes[0].Values.Count;
            foreach (var axis in axes.Where(a => a.Values.Count != n))
            {
                d.Add(axis.At, $"zipped sweep lists differ in length: '{axes[0].Path}' has {n} values, '{axis.Path}' has {axis.Values.Count}", "lists of equal length with mode: zip");
                return null;
            }
            return Distinct(Enumerable.Range(0, n).Select(i => (IReadOnlyList<SweepAssignment>)axes.Select(a => a.Values[i]).ToList()).ToList(), d);
        }
        long total = axes.Aggregate(1L, (acc, a) => Math.Min(acc * a.Values.Count, MaxPoints + 1L));
        if (total > MaxPoints)
        {
            d.Add(sweep, $"sweep has more than {MaxPoints} points", $"at most {MaxPoints} points per scenario");
            return null;
        }
        var points = new List<IReadOnlyList<SweepAssignment>> { Array.Empty<SweepAssignment>() };
        foreach (var axis in axes)
            points = points.SelectMany(p => axis.Values.Select(v => (IReadOnlyList<SweepAssignment>)[.. p, v])).ToList();
        return Distinct(points, d);
    }

    /// <summary>Two points with the same values would be the same runs with the same seeds: refuse the repeat.</summary>
    private static List<IReadOnlyList<SweepAssignment>>? Distinct(List<IReadOnlyList<SweepAssignment>> points, Diagnostics d)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        bool ok = true;
        for (int i = 0; i < points.Count; i++)
        {
            var key = string.Join(";", points[i].Select(a => $"{a.Path}={a.Canonical}"));
            if (seen.TryAdd(key, i)) continue;
            d.Add(points[i][^1].Value, $"sweep point {i} ({key}) repeats point {seen[key]}", "distinct sweep values (equal points would be the same runs with the same seeds)");
            ok = false;
        }
        return ok ? points : null;
    }

    /// <summary>The value as the seed derivation and runs.csv see it (8GiB and 8192MiB are the same value).</summary>
    public static string Canonical(object? v) => v switch
    {
        null => "auto",
        double x => x.ToString("R", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        IEnumerable<string> list => string.Join("+", list),
        _ => v.ToString() ?? "",
    };

    /// <summary>The document with <paramref name="value"/> written at the path; a path through a guest list sets every profile.</summary>
    public static Node Apply(Node node, ReadOnlySpan<string> segments, Node value)
    {
        if (node is SequenceNode seq)
        {
            var items = new List<Node>();
            foreach (var item in seq.Items) items.Add(Apply(item, segments, value));
            return seq with { Items = items };
        }
        if (node is not MappingNode map) return node; // wrong shape: the binder reports it at its own location
        var name = segments[0];
        var key = map.Entries.FirstOrDefault(e => e.Key.Value == name)?.Key
                  ?? new ScalarNode(value.File, value.Line, value.Column, name, false);
        if (segments.Length == 1) return map.With(key, value);
        var child = map.Get(segments[0]) ?? new MappingNode(value.File, value.Line, value.Column, []);
        return map.With(key, Apply(child, segments[1..], value));
    }
}
