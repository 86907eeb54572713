using System.Text;
using HvSim.Traces;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace HvSim.Scenarios.Language;

/// <summary>
/// Reads one YAML file into located <see cref="Node"/>s with YamlDotNet's parser (events only: no type named in the
/// file is ever instantiated; tags are rejected). Bounds nesting and size so hostile input cannot exhaust memory.
/// </summary>
public static class YamlDocumentReader
{
    public const int MaxDepth = 32;
    public const int MaxNodes = 100_000;
    public const long MaxFileBytes = 4 << 20;

    /// <summary>
    /// The text of a YAML file, or null with a diagnostic at 1:1 (or at the first invalid byte) when it is not one
    /// HvSim reads: only a regular file (a FIFO would block, /dev/zero never end), at most <see cref="MaxFileBytes"/>,
    /// valid UTF-8 (a byte that is not would otherwise become U+FFFD silently).
    /// </summary>
    public static string? ReadText(string file, Diagnostics diagnostics, string allowed)
    {
        if (FileKinds.NotRegular(file) is { } problem)
        {
            diagnostics.Add(new Diagnostic(file, 1, 1, problem, allowed));
            return null;
        }
        byte[] bytes;
        try
        {
            long length = new FileInfo(file).Length;
            if (length > MaxFileBytes)
            {
                diagnostics.Add(new Diagnostic(file, 1, 1, $"file is {length} bytes", $"at most {MaxFileBytes} bytes"));
                return null;
            }
            bytes = File.ReadAllBytes(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            diagnostics.Add(new Diagnostic(file, 1, 1, "cannot read file: " + e.Message, allowed));
            return null;
        }
        // A binary file is not text at all, which Parse says at 1:1, rather than blame its first byte that is not UTF-8.
        if (bytes.AsSpan().Contains((byte)0)) return Encoding.UTF8.GetString(bytes);
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            int at = Math.Clamp(e.Index, 0, bytes.Length);
            int line = 1 + bytes.AsSpan(0, at).Count((byte)'\n');
            int column = 1 + Encoding.UTF8.GetCharCount(bytes.AsSpan(0, at)[(bytes.AsSpan(0, at).LastIndexOf((byte)'\n') + 1)..]);
            diagnostics.Add(new Diagnostic(file, line, column, "invalid UTF-8 byte", "a UTF-8 text file"));
            return null;
        }
    }

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Parse <paramref name="text"/>; null (with diagnostics) when it is not a usable YAML document.</summary>
    public static Node? Parse(string file, string text, Diagnostics diagnostics)
    {
        if (text.Contains('\0'))
        {
            diagnostics.Add(new Diagnostic(file, 1, 1, "file is binary, not a YAML text file", "a UTF-8 YAML document"));
            return null;
        }
        var state = new State(file, diagnostics);
        try
        {
            var parser = new Parser(new StringReader(text));
            parser.Consume<StreamStart>();
            if (parser.Accept<StreamEnd>(out _))
            {
                diagnostics.Add(new Diagnostic(file, 1, 1, "scenario file is empty", "a mapping of scenario keys, see docs/scenarios.md"));
                return null;
            }
            parser.Consume<DocumentStart>();
            var root = ReadNode(parser, state, depth: 0);
            parser.Consume<DocumentEnd>();
            if (!parser.Accept<StreamEnd>(out _))
            {
                var at = parser.Current!.Start;
                diagnostics.Add(new Diagnostic(file, (int)at.Line, (int)at.Column, "more than one YAML document in the file", "exactly one document"));
                return null;
            }
            if (state.Failed) return null;
            if (root is ScalarNode { IsNull: true })
            {
                diagnostics.Add(new Diagnostic(file, 1, 1, "scenario file is empty", "a mapping of scenario keys, see docs/scenarios.md"));
                return null;
            }
            return root;
        }
        catch (YamlException e)
        {
            var line = (int)Math.Max(1, e.Start.Line);
            var col = (int)Math.Max(1, e.Start.Column);
            var message = "YAML syntax error: " + TrimYamlMessage(e.Message);
            // Block-structure errors are nearly always a key indented more or less than its siblings.
            bool indentation = e.Message.Contains("mapping", StringComparison.OrdinalIgnoreCase);
            // YamlDotNet locates a tab in the indentation at 1:1 or at the scalar before it, and words it one way in a
            // mapping and another in a plain scalar. The tab is the first one in the indentation of a line from the last
            // node read on; it is one problem, so it gets one message wherever it is.
            if (e.Message.Contains(" tab ", StringComparison.Ordinal) && FirstIndentationTab(text, state.LastLine) is { } tab)
            {
                (line, col) = tab;
                message = "YAML syntax error: a tab in the indentation (YAML indents with spaces only)";
                indentation = true;
            }
            // Point at the start of the line, where the indentation is, rather than where the scanner noticed: for a
            // tab that is the tab itself, as the indentation before it is spaces.
            if (indentation && IndentOf(text, line) is { } indent)
            {
                col = indent;
                message += " (check the indentation of this line)";
            }
            diagnostics.Add(new Diagnostic(file, line, col, message, "valid YAML 1.1"));
            return null;
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner gives up on some malformed input without a YamlException; the last event read is the best location.
            diagnostics.Add(new Diagnostic(file, state.LastLine, state.LastColumn, "YAML syntax error: malformed value or unclosed bracket after this point", "valid YAML 1.1"));
            return null;
        }
        catch (TooComplexException e)
        {
            diagnostics.Add(new Diagnostic(file, e.Line, e.Column, e.Message, $"at most {MaxDepth} levels of nesting and {MaxNodes} nodes"));
            return null;
        }
    }

    /// <summary>1-based column of the first non-blank character of line <paramref name="line"/>, or null.</summary>
    private static int? IndentOf(string text, int line)
    {
        var lines = text.Split('\n');
        if (line > lines.Length) return null;
        int i = 0;
        var l = lines[line - 1];
        while (i < l.Length && l[i] == ' ') i++;
        return i < l.TrimEnd('\r').Length ? i + 1 : null;
    }

    /// <summary>1-based line and column of the first tab before the first non-blank of a line from <paramref name="fromLine"/> on, or null.</summary>
    private static (int Line, int Column)? FirstIndentationTab(string text, int fromLine)
    {
        var lines = text.Split('\n');
        for (int i = fromLine - 1; i < lines.Length; i++)
        {
            var l = lines[i].TrimEnd('\r');
            int tab = l.AsSpan(0, l.Length - l.TrimStart(' ', '\t').Length).IndexOf('\t');
            if (tab >= 0 && l.Trim().Length > 0) return (i + 1, tab + 1);
        }
        return null;
    }

    private static string TrimYamlMessage(string message)
    {
        // YamlDotNet prefixes "(Line: 3, Col: 5, Idx: ..) - (Line..): "; we print our own location.
        int i = message.LastIndexOf("): ", StringComparison.Ordinal);
        return i >= 0 ? message[(i + 3)..] : message;
    }

    private sealed class State(string file, Diagnostics diagnostics)
    {
        public readonly string File = file;
        public readonly Diagnostics Diagnostics = diagnostics;
        public readonly Dictionary<string, (Node Node, int Size)> Anchors = new(StringComparer.Ordinal);
        public int Count;
        public int LastLine = 1, LastColumn = 1;
        public bool Failed;
    }

    private sealed class TooComplexException(string message, int line, int column) : Exception(message)
    {
        public int Line { get; } = line;
        public int Column { get; } = column;
    }

    private static Node ReadNode(IParser parser, State s, int depth)
    {
        var ev = parser.Current!;
        int line = (int)ev.Start.Line, col = (int)ev.Start.Column;
        (s.LastLine, s.LastColumn) = (line, col);
        if (depth > MaxDepth) throw new TooComplexException($"nesting deeper than {MaxDepth} levels", line, col);
        if (++s.Count > MaxNodes) throw new TooComplexException($"document has more than {MaxNodes} nodes", line, col);

        if (parser.TryConsume<AnchorAlias>(out var alias))
        {
            if (s.Anchors.TryGetValue(alias.Value.Value, out var target))
            {
                // An alias counts as a copy of its anchor's subtree, so "billion laughs" input hits the node limit.
                s.Count += target.Size;
                if (s.Count > MaxNodes) throw new TooComplexException($"document has more than {MaxNodes} nodes (counting aliases)", line, col);
                return target.Node;
            }
            s.Diagnostics.Add(new Diagnostic(s.File, line, col, $"unknown alias *{alias.Value.Value}", "an alias of an anchor defined earlier"));
            s.Failed = true;
            return new ScalarNode(s.File, line, col, "", false);
        }
        // Every tag, the core schema's (!!str, !!binary, !!python/name:...) included: a scenario is plain values whose
        // meaning the key table gives, and a tag would be one more way to read a file than the one documented.
        if (ev is NodeEvent { Tag.IsEmpty: false } tagged)
        {
            s.Diagnostics.Add(new Diagnostic(s.File, line, col, $"YAML tag {AsWritten(tagged.Tag.Value)} is not allowed", "plain values without tags"));
            s.Failed = true;
        }
        Node node;
        int countBefore = s.Count;
        string anchor = ev is NodeEvent ne && !ne.Anchor.IsEmpty ? ne.Anchor.Value : "";
        if (parser.TryConsume<Scalar>(out var scalar))
        {
            node = new ScalarNode(s.File, line, col, scalar.Value, scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded);
        }
        else if (parser.TryConsume<SequenceStart>(out _))
        {
            var items = new List<Node>();
            while (!parser.TryConsume<SequenceEnd>(out _)) items.Add(ReadNode(parser, s, depth + 1));
            node = new SequenceNode(s.File, line, col, items);
        }
        else if (parser.TryConsume<MappingStart>(out _))
        {
            var entries = new List<MappingEntry>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            while (!parser.TryConsume<MappingEnd>(out _))
            {
                var keyNode = ReadNode(parser, s, depth + 1);
                var value = ReadNode(parser, s, depth + 1);
                if (keyNode is not ScalarNode key)
                {
                    s.Diagnostics.Add(new Diagnostic(s.File, keyNode.Line, keyNode.Column, $"a key must be a plain name, not {keyNode.KindName}", "snake_case key names"));
                    s.Failed = true;
                    continue;
                }
                if (key.Value == "<<")
                {
                    s.Diagnostics.Add(new Diagnostic(s.File, key.Line, key.Column, "YAML merge keys (<<) are not supported", "`extends:` to reuse another scenario"));
                    s.Failed = true;
                    continue;
                }
                if (!seen.Add(key.Value))
                {
                    s.Diagnostics.Add(new Diagnostic(s.File, key.Line, key.Column, $"duplicate key '{ValueParser.Shorten(key.Value)}'", "each key once per mapping"));
                    s.Failed = true;
                    continue;
                }
                entries.Add(new MappingEntry(key, value));
            }
            node = new MappingNode(s.File, line, col, entries);
        }
        else
        {
            throw new YamlException(ev.Start, ev.End, $"unexpected {ev.GetType().Name}");
        }
        if (anchor.Length > 0) s.Anchors[anchor] = (node, s.Count - countBefore + 1);
        return node;
    }

    private const string CoreSchemaPrefix = "tag:yaml.org,2002:";

    /// <summary>A core-schema tag as a file writes it (`!!str`); others as they are, shortened.</summary>
    private static string AsWritten(string tag) =>
        ValueParser.Shorten(tag.StartsWith(CoreSchemaPrefix, StringComparison.Ordinal) ? "!!" + tag[CoreSchemaPrefix.Length..] : tag);
}
