namespace HvSim.Scenarios.Language;

/// <summary>One problem in a scenario file, located at a line and column (1-based).</summary>
public sealed record Diagnostic(string File, int Line, int Column, string Message, string? Allowed = null)
{
    public override string ToString() =>
        $"{File}:{Line}:{Column}: error: {Message}" + (Allowed is null ? "" : $" (allowed: {Allowed})");
}

/// <summary>Collects every problem instead of stopping at the first.</summary>
public sealed class Diagnostics
{
    private readonly List<Diagnostic> _items = [];
    private readonly HashSet<Diagnostic> _seen = [];

    public IReadOnlyList<Diagnostic> Items => _items;
    public bool HasErrors => _items.Count > 0;

    /// <summary>Located warnings ("file:line:col: warning: ..."): the file still loads (e.g. a renamed key, <see cref="KeyAliases"/>).</summary>
    public List<string> Warnings { get; } = [];

    public void Warn(string located)
    {
        if (!Warnings.Contains(located)) Warnings.Add(located);
    }

    public void Add(Diagnostic d)
    {
        if (_seen.Add(d)) _items.Add(d);
    }

    public void Add(Node at, string message, string? allowed = null) => Add(new Diagnostic(at.File, at.Line, at.Column, message, allowed));

    /// <summary>Problems sorted by file, line and column so reports read top to bottom.</summary>
    public IEnumerable<Diagnostic> Sorted() =>
        _items.OrderBy(d => d.File, StringComparer.Ordinal).ThenBy(d => d.Line).ThenBy(d => d.Column).ThenBy(d => d.Message, StringComparer.Ordinal);
}

/// <summary>Thrown when a scenario has problems; carries all of them.</summary>
public sealed class ScenarioException(IReadOnlyList<Diagnostic> diagnostics)
    : Exception(string.Join(Environment.NewLine, diagnostics))
{
    public IReadOnlyList<Diagnostic> Diagnostics { get; } = diagnostics;
}
