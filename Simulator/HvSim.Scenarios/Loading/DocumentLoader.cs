using HvSim.Scenarios.Language;
using HvSim.Traces;

namespace HvSim.Scenarios.Loading;

/// <summary>Reads a scenario file and the chain of files it `extends:`, merged into one located document.</summary>
internal static class DocumentLoader
{
    public const int MaxExtendsDepth = 16;

    public static MappingNode? Load(string file, Diagnostics diagnostics) => Load(file, diagnostics, [], null);

    private static MappingNode? Load(string file, Diagnostics diagnostics, List<string> chain, Node? referencedFrom)
    {
        var full = Path.GetFullPath(file);
        if (chain.Contains(full))
        {
            var cycle = string.Join(" -> ", chain.Skip(chain.IndexOf(full)).Append(full).Select(Path.GetFileName));
            diagnostics.Add(referencedFrom!, $"'extends' makes a cycle: {cycle}", "a chain of scenario files without repeats");
            return null;
        }
        if (chain.Count >= MaxExtendsDepth)
        {
            diagnostics.Add(referencedFrom!, $"'extends' chain longer than {MaxExtendsDepth} files", $"at most {MaxExtendsDepth} levels");
            return null;
        }
        // Problems of the file itself are located at 1:1 in it; for an extended file, also at the `extends:` naming it.
        if (referencedFrom is not null && FileKinds.NotRegular(full) is { } problem)
        {
            diagnostics.Add(referencedFrom, problem == FileKinds.NotFound ? $"'extends' file not found: {file}" : $"'extends' names {problem}: {file}",
                "a path relative to the file that extends it");
            return null;
        }
        var text = YamlDocumentReader.ReadText(file, diagnostics, "an existing scenario file");
        var root = text is null ? null : YamlDocumentReader.Parse(file, text, diagnostics);
        if (root is null) return null;
        if (root is not MappingNode map)
        {
            diagnostics.Add(root, $"a scenario must be a mapping of keys, not {root.KindName}", "key: value lines, see docs/scenarios.md");
            return null;
        }
        if (!LooksLikeScenario(map))
        {
            // Its lines would each be an "unknown key", echoing a file that may be anyone's (extends: /etc/shadow).
            diagnostics.Add(new Diagnostic(file, 1, 1, $"not a scenario file: none of its {map.Entries.Count} top-level keys is a scenario key (its contents are not shown)",
                "a mapping of scenario keys, see docs/scenarios.md"));
            return null;
        }
        map = NormalizeShorthands(map, ScenarioKeys.Root);
        var extends = map.Get("extends");
        if (extends is null) return map;
        var own = map.Without("extends");
        if (extends is not ScalarNode { IsNull: false } parentName)
        {
            diagnostics.Add(extends, "'extends' must be a file path", "a path relative to this file");
            return own;
        }
        var parentFile = Path.Combine(Path.GetDirectoryName(file) ?? "", parentName.Value.Trim());
        int before = diagnostics.Items.Count;
        var parent = Load(parentFile, diagnostics, [.. chain, full], parentName);
        // A file that could not be read as a scenario at all is also reported where it is named, as a value would be.
        if (parent is null && diagnostics.Items.Skip(before).Any(d => d.File == parentFile))
            diagnostics.Add(parentName, $"'extends' names a file with problems: {parentFile} (reported under its name)", "a readable scenario file");
        return parent is null ? own : Merge(parent, own);
    }

    /// <summary>A file with no top-level scenario key at all is some other file, not a scenario with misspelt keys.</summary>
    private static bool LooksLikeScenario(MappingNode map) =>
        map.Entries.Count == 0 || map.Entries.Any(e => Binder.IsTopLevelKey(e.Key.Value));

    /// <summary>
    /// `swap: hdd` means `swap: {device: hdd}` (a section's <see cref="SectionDef.ShortFormKey"/>); normalising first
    /// lets files override one key of such a section at a time.
    /// </summary>
    private static MappingNode NormalizeShorthands(MappingNode map, SectionDef section)
    {
        foreach (var child in section.Children)
        {
            if (map.Entries.FirstOrDefault(e => e.Key.Value == child.Name) is not { } entry) continue;
            Node value = entry.Value switch
            {
                ScalarNode { IsNull: false } s when child.ShortFormKey is { } key =>
                    new MappingNode(s.File, s.Line, s.Column, [new MappingEntry(new ScalarNode(s.File, s.Line, s.Column, key, false), s)]),
                MappingNode m => NormalizeShorthands(m, child),
                SequenceNode list when child.ItemName is not null =>
                    list with { Items = list.Items.Select(i => i is MappingNode m ? NormalizeShorthands(m, child) : i).ToList() },
                var unchanged => unchanged,
            };
            if (!ReferenceEquals(value, entry.Value)) map = map.With(entry.Key, value);
        }
        return map;
    }

    /// <summary>The child's keys override the parent's; nested mappings merge key by key; lists and values replace.</summary>
    public static MappingNode Merge(MappingNode parent, MappingNode child)
    {
        var result = parent with { File = child.File, Line = child.Line, Column = child.Column };
        foreach (var entry in child.Entries)
        {
            var inherited = parent.Get(entry.Key.Value);
            var value = inherited is MappingNode p && entry.Value is MappingNode c ? Merge(p, c) : entry.Value;
            result = result.With(entry.Key, value);
        }
        return result;
    }
}
