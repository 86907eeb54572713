using HvSim.Model.Config;
using HvSim.Model.Workloads;
using HvSim.Scenarios.Language;

namespace HvSim.Scenarios.Loading;

/// <summary>
/// Binds a located document to config records through the key table, reporting every unknown key, wrong type, bad
/// unit and out-of-range value. Remembers where each key was written so later consistency checks can point at it, and
/// which keys are bad (their defaults stand in), so those checks can still run on everything else. Binds plan files
/// too (<see cref="Planning.PlanKeys"/>): <paramref name="document"/> names the kind of file in messages.
/// </summary>
internal sealed class Binder(Diagnostics diagnostics, string document = "scenario")
{
    /// <summary>Where problems go: a section with its own parser (<see cref="Nest.Special"/>) reports there too.</summary>
    internal Diagnostics Diagnostics => diagnostics;

    public static string SweepKey => ScenarioKeys.Sweep.Name;

    /// <summary>True when <paramref name="name"/> may stand at the top level of a scenario file.</summary>
    public static bool IsTopLevelKey(string name) => ScenarioKeys.Root.Find(name) is not null || ScenarioKeys.Root.ChildNames.Contains(name);

    /// <summary>Where each bound key came from, by path (`host.memory`, `guests[1].workload.alpha`).</summary>
    public Dictionary<string, Node> Locations { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Paths whose value could not be used: a bad value, a missing required key, a section that is not a mapping, or a
    /// key that a misspelt one (`memroy`) probably meant. Everything under a bad path is bad too.
    /// </summary>
    private readonly HashSet<string> _bad = new(StringComparer.Ordinal);

    /// <summary>True when the binding reported no problem: the template is exactly what the file says.</summary>
    public bool Clean { get; private set; }

    /// <summary>True when <paramref name="path"/> or a section containing it was bad; checks reading it must skip.</summary>
    public bool IsBad(string path)
    {
        for (int end = path.Length; end > 0; end = path.LastIndexOfAny(['.', '['], end - 1))
            if (_bad.Contains(path[..end])) return true;
        return false;
    }

    /// <summary>
    /// Bind everything that can be bound; a bad key keeps its default (see <see cref="IsBad"/>). The template is
    /// for consistency checks only unless <see cref="Clean"/>.
    /// </summary>
    public RunTemplate Bind(MappingNode root, string defaultName)
    {
        int errorsBefore = diagnostics.Items.Count;
        var start = RunTemplate.Prototype with { Config = RunTemplate.Prototype.Config with { Name = defaultName } };
        var template = BindSection(root, ScenarioKeys.Root, start, "");
        Clean = diagnostics.Items.Count == errorsBefore;
        return template;
    }

    /// <summary>One mapping or a non-empty list of them (`guests:`), each bound on top of <paramref name="prototype"/>; null if neither.</summary>
    internal List<T>? BindList<T>(Node node, Section<T> section, T prototype, string path, out bool ok)
    {
        var items = node switch
        {
            MappingNode m => [m],
            SequenceNode { Items.Count: > 0 } s => s.Items,
            _ => null,
        };
        ok = items is not null;
        if (items is null)
        {
            diagnostics.Add(node, $"'{section.Name}' must be a {section.ItemName} profile or a non-empty list of profiles, not {node.KindName}", "a mapping or a list of mappings");
            return null;
        }
        var bound = new List<T>();
        for (int i = 0; i < items.Count; i++)
        {
            var itemPath = node is SequenceNode ? $"{path}[{i}]" : path;
            // Without one profile, the totals of all (the guests' count and memory) are unknown: the whole list is bad.
            if (ExpectMapping(items[i], itemPath) is { } map) bound.Add(BindSection(map, section, prototype, itemPath));
            else ok = false;
        }
        return bound;
    }

    /// <summary>A `workload:` block: its `kind:` says which keys it takes (<see cref="WorkloadKinds"/>).</summary>
    internal WorkloadSpec? BindWorkload(Node node, string path)
    {
        if (ExpectMapping(node, path) is not { } map) return null;
        Locations[path] = map;
        var kindNode = map.Get("kind");
        var kindKey = WorkloadKinds.KindKey;
        if (kindNode is null)
        {
            diagnostics.Add(map, $"missing 'kind' in {path}", kindKey.Allowed);
            return null;
        }
        if (!ValueParser.TryParse(kindKey, kindNode, diagnostics, out var kindName)) return null;
        var kind = WorkloadKinds.Find((string)kindName!)!;
        var section = new Section<WorkloadSpec> { Name = ScenarioKeys.Workload.Name, Doc = kind.Doc, Keys = [kindKey, .. kind.AllKeys] };
        return BindSection(map, section, kind.Prototype, path);
    }

    /// <summary>Phases or mix streams: a list of {&lt;item key&gt;: value, workload: {...}}.</summary>
    private List<WorkloadItem>? BindWorkloadList(KeyDef key, Node node, string path)
    {
        if (node is not SequenceNode { Items.Count: > 0 } seq)
        {
            diagnostics.Add(node, $"'{key.Name}' must be a non-empty list, not {node.KindName}", key.Allowed);
            return null;
        }
        var items = new List<WorkloadItem>();
        bool ok = true;
        for (int i = 0; i < seq.Items.Count; i++)
        {
            var itemPath = $"{path}[{i}]";
            if (ExpectMapping(seq.Items[i], itemPath) is not { } map) { ok = false; continue; }
            foreach (var e in map.Entries.Where(e => e.Key.Value != key.ItemKey!.Name && e.Key.Value != "workload"))
            {
                diagnostics.Add(e.Key, $"unknown key '{ValueParser.Shorten(e.Key.Value)}' in {itemPath}" + ValueParser.DidYouMean(e.Key.Value, [key.ItemKey!.Name, "workload"]),
                    $"{key.ItemKey!.Name}, workload");
                ok = false;
            }
            object? value = null;
            if (map.Get(key.ItemKey!.Name) is not { } valueNode)
            {
                diagnostics.Add(map, $"missing '{key.ItemKey.Name}' in {itemPath}", key.ItemKey.Allowed);
                ok = false;
            }
            else if (!ValueParser.TryParse(key.ItemKey, valueNode, diagnostics, out value)) ok = false;
            WorkloadSpec? workload = null;
            if (map.Get("workload") is not { } wl)
            {
                diagnostics.Add(map, $"missing 'workload' in {itemPath}", "a workload block with kind: ...");
                ok = false;
            }
            else if ((workload = BindWorkload(wl, itemPath + ".workload")) is null) ok = false;
            if (ok) items.Add(new WorkloadItem(value, workload!));
        }
        return ok ? items : null;
    }

    internal MappingNode? ExpectMapping(Node node, string path)
    {
        if (node is MappingNode m)
        {
            Locations[path] = m;
            return m;
        }
        diagnostics.Add(node, $"'{Leaf(path)}' must be a mapping of keys, not {node.KindName}", "key: value lines indented under it");
        _bad.Add(path);
        return null;
    }

    /// <summary>
    /// Apply the keys present in <paramref name="map"/> in table order (so a preset key such as `device` comes first),
    /// then bind its nested sections into the result.
    /// </summary>
    internal T BindSection<T>(MappingNode map, Section<T> section, T start, string path)
    {
        var children = section.ChildNames;
        // A renamed key (KeyAliases) still binds as its new name, with a located warning.
        var renamed = new Dictionary<string, Node>(StringComparer.Ordinal);
        foreach (var entry in map.Entries)
        {
            var name = entry.Key.Value;
            if (section.Find(name) is not null || children.Contains(name)) continue;
            if (KeyAliases.Find(section.Name, name) is { } alias && section.Find(alias.New) is not null && map.Get(alias.New) is null)
            {
                diagnostics.Warn(KeyAliases.Warning(alias, entry.Key));
                renamed[alias.New] = entry.Value;
                continue;
            }
            var known = section.Keys.Select(k => k.Name).Concat(children).ToList();
            var where = path.Length == 0 ? "at the top level" : $"in {path}";
            var meant = ValueParser.Nearest(name, known);
            diagnostics.Add(entry.Key, $"unknown key '{ValueParser.Shorten(name)}' {where}" + (meant is null ? "" : $", did you mean '{meant}'?"), string.Join(", ", known));
            if (meant is not null && map.Get(meant) is null) _bad.Add(path.Length == 0 ? meant : $"{path}.{meant}");
        }
        var result = start;
        foreach (var key in section.Keys)
        {
            var keyPath = path.Length == 0 ? key.Name : $"{path}.{key.Name}";
            if ((map.Get(key.Name) ?? renamed.GetValueOrDefault(key.Name)) is not { } node)
            {
                if (key.Required)
                {
                    diagnostics.Add(map, $"missing '{key.Name}' in {(path.Length == 0 ? "the " + document : path)}", key.Allowed);
                    _bad.Add(keyPath);
                }
                continue;
            }
            Locations[keyPath] = node;
            object? value;
            if (key.Kind == ValueKind.WorkloadList)
            {
                if ((value = BindWorkloadList(key, node, keyPath)) is null)
                {
                    _bad.Add(keyPath);
                    continue;
                }
            }
            else if (!ValueParser.TryParse(key, node, diagnostics, out value))
            {
                _bad.Add(keyPath);
                continue;
            }
            if (key.Kind == ValueKind.Path && !key.OpenedByLoader)
            {
                var resolved = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(node.File) ?? "", (string)value!));
                if (HvSim.Traces.FileKinds.NotRegular(resolved) is { } problem)
                {
                    diagnostics.Add(node, problem == HvSim.Traces.FileKinds.NotFound ? $"file not found: {resolved}" : $"{resolved} is {problem}",
                        "an existing file; relative paths are relative to the scenario file that names them");
                    _bad.Add(keyPath);
                    continue;
                }
                value = resolved;
            }
            try
            {
                result = key.Apply(result, value);
            }
            catch (ArgumentException e)
            {
                diagnostics.Add(node, $"'{key.Name}': {e.Message.Split(" (Parameter")[0]}", key.Allowed);
                _bad.Add(keyPath);
            }
        }
        foreach (var nest in section.Nested)
        {
            var childPath = path.Length == 0 ? nest.Section.Name : $"{path}.{nest.Section.Name}";
            if (map.Get(nest.Section.Name) is not { } node)
            {
                if (nest.Section.Required)
                {
                    diagnostics.Add(map, $"missing '{nest.Section.Name}'" + (path.Length == 0 ? "" : $" in {path}"),
                        nest.Section.Allowed ?? (nest.Section.KeyDefs.Count == 0 ? "a mapping" : "a mapping of " + string.Join(", ", nest.Section.KeyDefs.Select(k => k.Name))));
                    _bad.Add(childPath);
                }
                continue;
            }
            result = nest.Bind(this, node, result, childPath, out bool ok);
            if (!ok) _bad.Add(childPath);
        }
        return result;
    }

    private string Leaf(string path) => path.Length == 0 ? document : path[(path.LastIndexOf('.') + 1)..];
}
