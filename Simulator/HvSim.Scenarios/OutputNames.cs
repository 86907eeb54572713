using System.Text;

namespace HvSim.Scenarios;

/// <summary>Scenario names made safe as a single path component, so outputs stay inside the output folder.</summary>
public static class OutputNames
{
    public const int MaxLength = 80;

    /// <summary>Letters, digits, '-', '_' and '.' are kept; runs of anything else become one '_'; no leading dots or underscores.</summary>
    public static string Sanitize(string name)
    {
        var sb = new StringBuilder();
        foreach (var c in name.Normalize(NormalizationForm.FormC))
        {
            bool ok = c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '-' or '_' or '.';
            if (ok) sb.Append(c);
            else if (sb.Length == 0 || sb[^1] != '_') sb.Append('_');
            if (sb.Length >= MaxLength) break;
        }
        var s = sb.ToString().TrimStart('.', '_').TrimEnd('_');
        return s.Length == 0 ? "scenario" : s;
    }
}
