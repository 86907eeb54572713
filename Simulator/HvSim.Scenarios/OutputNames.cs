using System.Text;

namespace HvSim.Scenarios;

/// <summary>Scenario names made safe as a single path component, so outputs stay inside the output folder.</summary>
public static class OutputNames
{
    public const int MaxLength = 80;

    /// <summary>
    /// True when <paramref name="name"/> is one file name made only of what <see cref="Sanitize"/> keeps, not starting
    /// with '.' (so never `.`, `..`, a hidden or temporary name, or a path): safe to join to a folder read from elsewhere.
    /// </summary>
    public static bool IsSafe(string name) =>
        name.Length is > 0 and <= 255 && name[0] != '.' && name.All(IsKept);

    /// <summary>
    /// Letters, digits, '-', '_' and '.' are kept; runs of anything else become one '_'; no leading dots, underscores or
    /// '-' (a name is a CSV cell too, and one starting with '-', '=', '+' or '@' is a formula to a spreadsheet).
    /// </summary>
    public static string Sanitize(string name)
    {
        var sb = new StringBuilder();
        foreach (var c in name.Normalize(NormalizationForm.FormC))
        {
            if (IsKept(c)) sb.Append(c);
            else if (sb.Length == 0 || sb[^1] != '_') sb.Append('_');
            if (sb.Length >= MaxLength) break;
        }
        var s = sb.ToString().TrimStart('.', '_', '-').TrimEnd('_');
        return s.Length == 0 ? "scenario" : s;
    }

    private static bool IsKept(char c) => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '-' or '_' or '.';
}
