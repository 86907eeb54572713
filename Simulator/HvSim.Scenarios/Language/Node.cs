namespace HvSim.Scenarios.Language;

/// <summary>
/// A scenario document node that remembers the file, line and column it came from, so that every error (also after
/// <c>extends:</c> merging and sweep substitution) points at the text that caused it.
/// </summary>
public abstract record Node(string File, int Line, int Column)
{
    public abstract string KindName { get; }
}

public sealed record ScalarNode(string File, int Line, int Column, string Value, bool Quoted) : Node(File, Line, Column)
{
    public override string KindName => "a scalar";
    /// <summary>YAML's null: `~`, `null` or nothing, unquoted.</summary>
    public bool IsNull => !Quoted && Value is "" or "~" or "null" or "Null" or "NULL";
}

public sealed record SequenceNode(string File, int Line, int Column, IReadOnlyList<Node> Items) : Node(File, Line, Column)
{
    // Where a non-empty list is wanted, "not a list" would contradict itself.
    public override string KindName => Items.Count == 0 ? "an empty list" : "a list";
}

/// <summary>A mapping; keys are kept in file order with their own location.</summary>
public sealed record MappingNode(string File, int Line, int Column, IReadOnlyList<MappingEntry> Entries) : Node(File, Line, Column)
{
    public override string KindName => "a mapping";

    public Node? Get(string key) => Entries.FirstOrDefault(e => e.Key.Value == key)?.Value;

    public MappingNode With(ScalarNode key, Node value)
    {
        var entries = Entries.ToList();
        int i = entries.FindIndex(e => e.Key.Value == key.Value);
        if (i >= 0) entries[i] = new MappingEntry(entries[i].Key, value);
        else entries.Add(new MappingEntry(key, value));
        return this with { Entries = entries };
    }

    public MappingNode Without(string key) => this with { Entries = Entries.Where(e => e.Key.Value != key).ToList() };
}

public sealed record MappingEntry(ScalarNode Key, Node Value);
