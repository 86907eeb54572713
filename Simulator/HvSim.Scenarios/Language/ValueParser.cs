using System.Globalization;

namespace HvSim.Scenarios.Language;

/// <summary>Turns a located YAML node into the typed value a <see cref="KeyDef"/> describes, or reports why not.</summary>
public static class ValueParser
{
    public static bool TryParse(KeyDef key, Node node, Diagnostics diagnostics, out object? value)
    {
        value = null;
        if (key.Kind == ValueKind.ChoiceList)
            return TryParseChoiceList(key, node, diagnostics, out value);
        if (node is not ScalarNode scalar)
        {
            diagnostics.Add(node, $"'{key.Name}' must be a single value, not {node.KindName}", key.Allowed);
            return false;
        }
        var text = scalar.Value.Trim();
        if (key.AllowsAuto && !scalar.Quoted && text == "auto") return true;
        if (scalar.IsNull)
        {
            diagnostics.Add(node, $"'{key.Name}' has no value", key.Allowed);
            return false;
        }
        bool ok;
        switch (key.Kind)
        {
            case ValueKind.Size:
                ok = Units.TryParseSize(text, out var size); value = size; break;
            case ValueKind.Duration:
                ok = Units.TryParseDuration(text, out var ns); value = ns; break;
            case ValueKind.Bandwidth:
                ok = Units.TryParseBandwidth(text, out var bw); value = bw; break;
            case ValueKind.Integer:
                ok = long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l); value = l;
                // Above long's range only for a key whose range goes there (seed: every 64-bit value, as --seed takes).
                if (!ok && key.Max > long.MaxValue && ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var u))
                    (ok, value) = (true, u);
                break;
            case ValueKind.Number:
                ok = double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d); value = d; break;
            case ValueKind.Fraction:
                ok = Units.TryParseFraction(text, out var f); value = f; break;
            case ValueKind.Boolean:
                ok = text is "true" or "false" or "True" or "False" or "yes" or "no";
                value = text is "true" or "True" or "yes"; break;
            case ValueKind.Text:
            case ValueKind.Path:
                ok = text.Length > 0; value = scalar.Value; break;
            case ValueKind.Choice:
                ok = key.Choices!.Contains(text, StringComparer.Ordinal); value = text;
                if (!ok)
                {
                    diagnostics.Add(node, $"'{key.Name}' cannot be '{Shorten(text)}'" + DidYouMean(text, key.Choices!), key.Allowed);
                    return false;
                }
                break;
            default:
                throw new InvalidOperationException(key.Kind.ToString());
        }
        if (!ok)
        {
            diagnostics.Add(node, $"'{key.Name}' has a bad value '{Shorten(text)}'", key.Allowed);
            value = null;
            return false;
        }
        if (value is long or double && !InRange(key, Convert.ToDouble(value, CultureInfo.InvariantCulture)))
        {
            diagnostics.Add(node, $"'{key.Name}' is out of range: {Shorten(text)}", key.Allowed);
            value = null;
            return false;
        }
        return true;
    }

    private static bool InRange(KeyDef key, double v) => (key.Min is null || v >= key.Min) && (key.Max is null || v <= key.Max);

    private static bool TryParseChoiceList(KeyDef key, Node node, Diagnostics diagnostics, out object? value)
    {
        value = null;
        var items = node switch
        {
            ScalarNode s => [s],
            SequenceNode seq => seq.Items,
            _ => null,
        };
        if (items is null || items.Count == 0)
        {
            diagnostics.Add(node, $"'{key.Name}' must be a name or a non-empty list of names", key.Allowed);
            return false;
        }
        var result = new List<string>();
        bool ok = true;
        foreach (var item in items)
        {
            if (item is ScalarNode s && key.Choices!.Contains(s.Value.Trim(), StringComparer.Ordinal))
            {
                if (!result.Contains(s.Value.Trim())) result.Add(s.Value.Trim());
            }
            else
            {
                var text = item is ScalarNode sc ? sc.Value : item.KindName;
                diagnostics.Add(item, $"'{key.Name}' cannot be '{Shorten(text)}'" + DidYouMean(text, key.Choices!), key.Allowed);
                ok = false;
            }
        }
        value = result;
        return ok;
    }

    public static string Shorten(string text) => text.Length <= 40 ? text : text[..37] + "...";

    /// <summary>", did you mean 'x'?" for the nearest candidate within a small edit distance, else "".</summary>
    public static string DidYouMean(string given, IEnumerable<string> candidates) =>
        Nearest(given, candidates) is { } best ? $", did you mean '{best}'?" : "";

    /// <summary>The candidate nearest to <paramref name="given"/> within a small edit distance (a likely misspelling), or null.</summary>
    public static string? Nearest(string given, IEnumerable<string> candidates)
    {
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (var c in candidates)
        {
            int d = EditDistance(given.ToLowerInvariant(), c.ToLowerInvariant());
            if (d < bestDistance) (best, bestDistance) = (c, d);
        }
        return best is not null && bestDistance <= Math.Max(2, given.Length / 3) ? best : null;
    }

    private static int EditDistance(string a, string b)
    {
        if (a.Length > 64 || b.Length > 64) return int.MaxValue;
        var prev = new int[b.Length + 1];
        var cur = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++) prev[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            cur[0] = i;
            for (int j = 1; j <= b.Length; j++)
                cur[j] = Math.Min(Math.Min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (prev, cur) = (cur, prev);
        }
        return prev[b.Length];
    }
}
