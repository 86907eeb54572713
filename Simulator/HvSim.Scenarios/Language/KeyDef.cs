using System.Globalization;

namespace HvSim.Scenarios.Language;

/// <summary>The value types of scenario keys; each has one parser, one JSON Schema shape and one documented form.</summary>
public enum ValueKind
{
    /// <summary>Bytes: 64KiB, 8GiB, 1.5GiB, or a plain integer.</summary>
    Size,
    /// <summary>Nanoseconds: 250ns, 10us, 8ms, 60s.</summary>
    Duration,
    /// <summary>Bytes per second: 500MB/s.</summary>
    Bandwidth,
    Integer,
    Number,
    /// <summary>0..1 or a percentage: 30%.</summary>
    Fraction,
    Boolean,
    Text,
    /// <summary>One of <see cref="KeyDef.Choices"/>.</summary>
    Choice,
    /// <summary>One or a list of <see cref="KeyDef.Choices"/>.</summary>
    ChoiceList,
    /// <summary>A file path, relative to the scenario file.</summary>
    Path,
    /// <summary>A list of nested workload blocks, each with one more key (<see cref="KeyDef.ItemKey"/>): phases, mix streams.</summary>
    WorkloadList,
}

/// <summary>
/// One scenario key: its name, type, unit, default, allowed range and documentation. The loader, `hvsim schema` and
/// docs/scenarios.md all read these definitions; nothing else describes the language.
/// </summary>
public abstract class KeyDef
{
    public required string Name { get; init; }
    public required ValueKind Kind { get; init; }
    public required string Doc { get; init; }
    /// <summary>The default as the loader would parse it (long, double, bool, string, string list), null = none/auto.</summary>
    public object? Default { get; init; }
    public double? Min { get; init; }
    public double? Max { get; init; }
    public IReadOnlyList<string>? Choices { get; init; }
    /// <summary>Accepts `auto` (the kernel's computed default).</summary>
    public bool AllowsAuto { get; init; }
    public bool Required { get; init; }
    /// <summary>A `sweep:` may vary it (not the keys that name, seed or count the runs themselves).</summary>
    public bool Sweepable { get; init; } = true;
    /// <summary>For <see cref="ValueKind.WorkloadList"/>: the key each item has besides `workload:`.</summary>
    public KeyDef? ItemKey { get; init; }
    /// <summary>A <see cref="ValueKind.Path"/> its loader opens itself (`extends:`, a plan's `scenario:`): the binder leaves it as written.</summary>
    public bool OpenedByLoader { get; init; }
    /// <summary>Replaces the printed default when it is not a fixed value (e.g. "the file name").</summary>
    public string? DefaultDescription { get; init; }

    /// <summary>Replaces the generic text of what is allowed (e.g. the syntax of a structured text value).</summary>
    public string? AllowedDescription { get; init; }

    /// <summary>Text of what is allowed, as error messages and docs print it.</summary>
    public string Allowed => AllowedDescription ?? Kind switch
    {
        ValueKind.Choice => string.Join(", ", Choices!),
        ValueKind.ChoiceList => "one of or a list of " + string.Join(", ", Choices!),
        _ => BaseAllowed + RangeText + (AllowsAuto ? ", or auto" : ""),
    };

    private string BaseAllowed => Kind switch
    {
        ValueKind.Size => Units.SizeAllowed,
        ValueKind.Duration => Units.DurationAllowed,
        ValueKind.Bandwidth => Units.BandwidthAllowed,
        ValueKind.Integer => "an integer",
        ValueKind.Number => "a number",
        ValueKind.Fraction => Units.FractionAllowed,
        ValueKind.Boolean => "true or false",
        ValueKind.Text => "text",
        ValueKind.Path => "a file path relative to the scenario file",
        ValueKind.WorkloadList => $"a non-empty list of {{{ItemKey!.Name}: ..., workload: {{kind: ...}}}}",
        _ => "",
    };

    private string RangeText => (Min, Max) switch
    {
        (null, null) => "",
        ({ } lo, null) => $" >= {FormatBound(lo)}",
        (null, { } hi) => $" <= {FormatBound(hi)}",
        ({ } lo, { } hi) => $" in [{FormatBound(lo)}, {FormatBound(hi)}]",
    };

    public string FormatBound(double v) => Kind switch
    {
        ValueKind.Size => Units.FormatSize((long)v),
        ValueKind.Duration => Units.FormatDuration((long)v),
        ValueKind.Bandwidth => Units.FormatBandwidth((long)v),
        ValueKind.Fraction => v.ToString(CultureInfo.InvariantCulture),
        // Written out in full: 18446744073709551615, not 1.8446744073709552E+19 (conversions from double saturate).
        ValueKind.Integer when v > long.MaxValue => ((ulong)v).ToString(CultureInfo.InvariantCulture),
        _ => v.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>
    /// A value in the canonical form results keep it in (runs.csv: bytes, ns, bytes/s) as a scenario file would write it
    /// (16GiB, 50us, 100MB/s); anything else (auto, words, plain numbers) as it is.
    /// </summary>
    public string FormatCanonical(string canonical) =>
        Kind is ValueKind.Size or ValueKind.Duration or ValueKind.Bandwidth
        && long.TryParse(canonical, NumberStyles.Integer, CultureInfo.InvariantCulture, out long v) && v >= 0
            ? FormatBound(v)
            : canonical;

    /// <summary>The default as a scenario file would write it.</summary>
    public string DefaultText => DefaultDescription ?? Default switch
    {
        null => AllowsAuto ? "auto" : Required ? "(required)" : "(none)",
        long l when Kind == ValueKind.Size => Units.FormatSize(l),
        long l when Kind == ValueKind.Duration => Units.FormatDuration(l),
        long l when Kind == ValueKind.Bandwidth => Units.FormatBandwidth(l),
        bool b => b ? "true" : "false",
        double d => d.ToString(CultureInfo.InvariantCulture),
        IReadOnlyList<string> list => list.Count == 1 ? list[0] : "[" + string.Join(", ", list) + "]",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => Default.ToString() ?? "",
    };

    /// <summary>Unit the value is stored in after parsing (docs).</summary>
    public string Unit => Kind switch
    {
        ValueKind.Size => "bytes",
        ValueKind.Duration => "ns",
        ValueKind.Bandwidth => "bytes/s",
        ValueKind.Fraction => "fraction",
        _ => "",
    };
}

/// <summary>A key that sets one member of a <typeparamref name="T"/> (a config record).</summary>
public sealed class KeyDef<T> : KeyDef
{
    public required Func<T, object?, T> Apply { get; init; }
}

/// <summary>
/// One YAML mapping of a scenario and the mappings nested in it: the tree the binder walks, and the one place that
/// says which sections exist, where they nest, how they may be written and where their values go. `hvsim schema`,
/// docs/scenarios.md, the sweepable paths and the defaults echoed into manifests are derived from it.
/// </summary>
public abstract class SectionDef
{
    public required string Name { get; init; }
    public required string Doc { get; init; }
    /// <summary>Its parent must have it (`guests:` in a scenario, `workload:` in a guest profile).</summary>
    public bool Required { get; init; }
    /// <summary>What a missing or misshapen section should be, for messages (defaults to a mapping of its keys).</summary>
    public string? Allowed { get; init; }
    /// <summary>It may also be a non-empty list of such mappings (`guests:`); <see cref="ItemName"/> names one.</summary>
    public string? ItemName { get; init; }
    /// <summary>A key whose value alone may stand for the whole mapping (`swap: hdd` for `swap: {device: hdd}`).</summary>
    public string? ShortFormKey { get; init; }
    /// <summary>The keys of the mapping itself (a workload's depend on its kind: <see cref="WorkloadKinds"/>).</summary>
    public abstract IReadOnlyList<KeyDef> KeyDefs { get; }
    /// <summary>The mappings nested in this one, in the order the binder, the docs and the schema take them.</summary>
    public abstract IReadOnlyList<SectionDef> Children { get; }

    public IReadOnlyList<string> ChildNames => Children.Select(c => c.Name).ToList();

    /// <summary>This section and every section below it, pre-order, each with its dotted path (`""`, `host`, `host.swap`).</summary>
    public IEnumerable<(string Path, SectionDef Section)> Tree(string path = "")
    {
        yield return (path, this);
        foreach (var child in Children)
            foreach (var t in child.Tree(path.Length == 0 ? child.Name : $"{path}.{child.Name}"))
                yield return t;
    }
}

/// <summary>A section whose keys set members of a <typeparamref name="T"/> (a config record).</summary>
public sealed class Section<T> : SectionDef
{
    public required IReadOnlyList<KeyDef<T>> Keys { get; init; }
    /// <summary>The sections nested in this one, each with where its bound value goes in the <typeparamref name="T"/>.</summary>
    public IReadOnlyList<Nest<T>> Nested { get; init; } = [];
    public override IReadOnlyList<KeyDef> KeyDefs => Keys;
    public override IReadOnlyList<SectionDef> Children => Nested.Select(n => n.Section).ToList();

    public KeyDef<T>? Find(string name) => Keys.FirstOrDefault(k => k.Name == name);
}

/// <summary>A section with a parser of its own: `workload:` (keys by kind), `sweep:` (key paths), a plan's `mix:`.</summary>
public sealed class SpecialSection : SectionDef
{
    public override IReadOnlyList<KeyDef> KeyDefs => [];
    public override IReadOnlyList<SectionDef> Children => [];
    /// <summary>Its JSON Schema, where <see cref="SchemaGenerator"/> does not know it (it knows workload and sweep).</summary>
    public Func<System.Text.Json.Nodes.JsonObject>? Schema { get; init; }
}

/// <summary>A section nested in a <see cref="Section{TParent}"/>, and how the binder puts what it binds into the parent.</summary>
public abstract class Nest<TParent>
{
    public required SectionDef Section { get; init; }

    /// <summary>The parent with the section's value from <paramref name="node"/> (at <paramref name="path"/>) in place; <paramref name="ok"/> false when it was bad (reported).</summary>
    internal abstract TParent Bind(Loading.Binder binder, Node node, TParent parent, string path, out bool ok);
}

/// <summary>The ways a section nests: a mapping, a mapping or a list of them, a block with its own parser, or a key parsed before binding.</summary>
public static class Nest
{
    /// <summary>A mapping bound on top of the parent's current value (`host:`, `host.swap:`).</summary>
    public static Nest<TParent> Mapping<TParent, TChild>(Section<TChild> section, Func<TParent, TChild> get, Func<TParent, TChild, TParent> set) =>
        new MappingNest<TParent, TChild> { Section = section, Get = get, Set = set };

    /// <summary>One mapping or a non-empty list of them, each bound on top of <paramref name="prototype"/> (`guests:`).</summary>
    public static Nest<TParent> List<TParent, TItem>(Section<TItem> section, TItem prototype, Func<TParent, IReadOnlyList<TItem>, TParent> set) =>
        new ListNest<TParent, TItem> { Section = section, Prototype = prototype, Set = set };

    /// <summary>A block with its own parser (`workload:`: its keys depend on its kind).</summary>
    internal static Nest<TParent> Special<TParent, TChild>(SpecialSection section, Func<Loading.Binder, Node, string, TChild?> read, Func<TParent, TChild, TParent> set) where TChild : class =>
        new SpecialNest<TParent, TChild> { Section = section, Read = read, Set = set };

    /// <summary>A section the binder accepts and leaves alone: its loader parses it before binding (`sweep:`) or after.</summary>
    public static Nest<TParent> Parsed<TParent>(SectionDef section) => new ParsedNest<TParent> { Section = section };

    private sealed class MappingNest<TParent, TChild> : Nest<TParent>
    {
        public required Func<TParent, TChild> Get { get; init; }
        public required Func<TParent, TChild, TParent> Set { get; init; }

        internal override TParent Bind(Loading.Binder binder, Node node, TParent parent, string path, out bool ok)
        {
            var map = binder.ExpectMapping(node, path);
            ok = map is not null;
            return map is null ? parent : Set(parent, binder.BindSection(map, (Section<TChild>)Section, Get(parent), path));
        }
    }

    private sealed class ListNest<TParent, TItem> : Nest<TParent>
    {
        public required TItem Prototype { get; init; }
        public required Func<TParent, IReadOnlyList<TItem>, TParent> Set { get; init; }

        internal override TParent Bind(Loading.Binder binder, Node node, TParent parent, string path, out bool ok)
        {
            var items = binder.BindList(node, (Section<TItem>)Section, Prototype, path, out ok);
            return items is null ? parent : Set(parent, items);
        }
    }

    private sealed class SpecialNest<TParent, TChild> : Nest<TParent> where TChild : class
    {
        public required Func<Loading.Binder, Node, string, TChild?> Read { get; init; }
        public required Func<TParent, TChild, TParent> Set { get; init; }

        internal override TParent Bind(Loading.Binder binder, Node node, TParent parent, string path, out bool ok)
        {
            var value = Read(binder, node, path);
            ok = value is not null;
            return ok ? Set(parent, value!) : parent;
        }
    }

    private sealed class ParsedNest<TParent> : Nest<TParent>
    {
        internal override TParent Bind(Loading.Binder binder, Node node, TParent parent, string path, out bool ok)
        {
            ok = true;
            return parent;
        }
    }
}
