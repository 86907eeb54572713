using System.Globalization;
using HvSim.Scenarios.Language;

namespace HvSim.Scenarios.Loading;

/// <summary>One swept key set to one value in one sweep point.</summary>
public sealed record SweepAssignment(string Path, Node Value, string Canonical)
{
    /// <summary>The value as the file spells it (64MiB, 8ms), for messages: <see cref="Canonical"/> is raw bytes and nanoseconds.</summary>
    public string AsWritten => Value is ScalarNode { Value: var text } ? text : Canonical;
}

/// <summary>`sweep:` — parameter paths mapped to value lists, combined as a grid (default) or zipped, and the points' optional names.</summary>
internal static class SweepParser
{
    public const int MaxPoints = 100_000;

    /// <summary>The key that names the points; a name only, so it never reaches a run's configuration or seed.</summary>
    public const string LabelsKey = "labels";

    /// <summary>What `labels:` is, for the schema and docs/scenarios.md.</summary>
    public static readonly string LabelsDoc = "one name per sweep point, in point order, shown instead of the point's values in tables, notes and plots; " +
        $"with mode: zip or a single swept key path (a grid of several is refused); distinct, non-empty, at most {MaxLabelLength} characters; a name only: it changes no seed or result";

    /// <summary>Longest label: a label exists to be shorter than the point's values in a table row or a legend.</summary>
    public const int MaxLabelLength = 40;
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

    /// <summary>
    /// The points of the sweep in order (grid: the first key varies slowest); one empty point without a sweep.
    /// <paramref name="labels"/> is one name per point when the sweep has `labels:`, else empty.
    /// </summary>
    public static List<IReadOnlyList<SweepAssignment>>? Parse(Node? sweep, Diagnostics d, out string mode, out IReadOnlyList<string> labels)
    {
        mode = "grid";
        labels = [];
        if (sweep is null) return [[]];
        if (sweep is not MappingNode map)
        {
            d.Add(sweep, $"'sweep' must be a mapping of key paths to value lists, not {sweep.KindName}", "e.g. guests.count: [2, 4, 6, 8]");
            return null;
        }
        var paths = SweepPaths.ByPath;
        var axes = new List<(string Path, List<SweepAssignment> Values, Node At)>();
        MappingEntry? labelsEntry = null;
        bool ok = true;
        foreach (var entry in map.Entries)
        {
            var name = entry.Key.Value;
            if (name == LabelsKey)
            {
                labelsEntry = entry;
                continue;
            }
            if (name == "mode")
            {
                if (entry.Value is ScalarNode { Value: "grid" or "zip" } m) mode = m.Value;
                else { d.Add(entry.Value, "'mode' must be grid or zip", "grid (every combination) or zip (the i-th values together)"); ok = false; }
                continue;
            }
            if (!paths.TryGetValue(name, out var key))
            {
                var why = NotSweepable.Contains(name) ? $"'{name}' cannot be swept" : $"unknown sweep key path '{ValueParser.Shorten(name)}'" + ValueParser.DidYouMean(name, paths.Keys);
                d.Add(entry.Key, why, "mode, labels, or a key path such as guests.count, host.memory, host.swap.device, guests.workload.alpha (see docs/scenarios.md)");
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
        List<string>? names = labelsEntry is null ? [] : Labels(labelsEntry, axes.Count, mode, d);
        if (!ok || names is null) return null;
        if (axes.Count == 0) return [[]];
        if (mode == "zip")
        {
            int n = axes[0].Values.Count;
            foreach (var axis in axes.Where(a => a.Values.Count != n))
            {
                d.Add(axis.At, $"zipped sweep lists differ in length: '{axes[0].Path}' has {n} values, '{axis.Path}' has {axis.Values.Count}", "lists of equal length with mode: zip");
                return null;
            }
            if (!LabelCount(labelsEntry, names, n, d)) return null;
            labels = names;
            return Distinct(Enumerable.Range(0, n).Select(i => (IReadOnlyList<SweepAssignment>)axes.Select(a => a.Values[i]).ToList()).ToList(), d);
        }
        // A grid of one key is that key's list, point by point: it takes labels as a zip does.
        if (!LabelCount(labelsEntry, names, axes[0].Values.Count, d)) return null;
        labels = names;
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

    /// <summary>
    /// `labels:`: one name per point, each a non-empty text of at most <see cref="MaxLabelLength"/> characters on one
    /// line, no two alike; only where points line up with list positions (mode: zip, or one swept key). Null after
    /// reporting what is wrong.
    /// </summary>
    private static List<string>? Labels(MappingEntry entry, int axes, string mode, Diagnostics d)
    {
        const string Allowed = "a list of one short name per sweep point, in point order, e.g. labels: [none, KSM, cgroups]";
        if (axes == 0)
        {
            d.Add(entry.Key, "'labels' names sweep points, but the sweep sets no key path", "labels beside the swept key paths they name the points of");
            return null;
        }
        if (mode == "grid" && axes > 1)
        {
            d.Add(entry.Key, $"'labels' names the points of a zipped sweep, but this one is a grid of {axes} key paths (its points are every combination)",
                "labels with mode: zip (one label per point), or with a single swept key path; without labels a grid's points are named by their values");
            return null;
        }
        if (entry.Value is not SequenceNode { Items.Count: > 0 } list)
        {
            d.Add(entry.Value, $"'labels' must be a non-empty list of texts, not {entry.Value.KindName}", Allowed);
            return null;
        }
        var names = new List<string>();
        var first = new Dictionary<string, int>(StringComparer.Ordinal);
        bool ok = true;
        foreach (var item in list.Items)
        {
            int i = names.Count;
            string name = item is ScalarNode { IsNull: false } s ? s.Value.Trim() : "";
            string? problem = item switch
            {
                not ScalarNode => $"sweep label {i} must be a text, not {item.KindName}",
                _ when name.Length == 0 => $"sweep label {i} is empty",
                _ when name.Any(char.IsControl) => $"sweep label {i} holds a line break or control character",
                _ when name.Length > MaxLabelLength => $"sweep label {i} '{ValueParser.Shorten(name)}' is longer than {MaxLabelLength} characters",
                _ when first.TryGetValue(name, out int j) => $"sweep label {i} '{name}' repeats label {j}",
                _ => null,
            };
            if (problem is null) first[name] = i;
            else
            {
                d.Add(item, problem, $"distinct non-empty texts of at most {MaxLabelLength} characters on one line, one per sweep point");
                ok = false;
            }
            names.Add(name);
        }
        return ok ? names : null;
    }

    /// <summary>Whether the sweep has as many labels as points (or none); else says so at `labels:`.</summary>
    private static bool LabelCount(MappingEntry? entry, List<string> names, int points, Diagnostics d)
    {
        if (entry is null || names.Count == points) return true;
        d.Add(entry.Value, $"'labels' has {names.Count} labels but the sweep has {points} points", $"one label per sweep point, in point order ({points} labels)");
        return false;
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
