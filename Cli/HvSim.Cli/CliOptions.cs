using System.CommandLine;
using System.Globalization;

namespace HvSim.Cli;

/// <summary>
/// Options several commands share, with their checks attached, so that every command refuses the same bad values with
/// the same message, at parse time: before any scenario is loaded, any run starts or any file is written.
/// </summary>
internal static class CliOptions
{
    /// <summary>`--jobs N`: how many of <paramref name="what"/> run at once; absent means one per core.</summary>
    public static Option<int?> Jobs(string what)
    {
        return new Option<int?>("--jobs")
        {
            Description = $"{what} simulated in parallel (default: the number of cores)",
            // Parsed here rather than by the library so that a word, a count below 1 and one too large get the same
            // message: zero or negative workers would either hang the run or be clamped silently to something the user
            // did not ask for. Any count up to int.MaxValue is fine: every command uses at most one worker per run.
            CustomParser = result =>
            {
                string text = result.Tokens.Single().Value;
                if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int n) && n >= 1) return n;
                result.AddError($"--jobs '{text}' is not allowed (allowed: an integer from 1 to {int.MaxValue})");
                return null;
            },
        };
    }

    /// <summary>`--max-memory SIZE`: the memory guard's limit (checked by <see cref="Commands.CliScenarios.MaxMemory"/>).</summary>
    public static Option<string?> MaxMemory(string description) => new("--max-memory") { Description = description };

    /// <summary>`--seed N`: the master seed that replaces the scenario's `seed:`. Run seeds are derived from its decimal text, so every 64-bit value is a seed.</summary>
    public static Option<ulong?> Seed(string description) => new("--seed")
    {
        Description = description,
        // Parsed here rather than by the library so that a negative number or a word is refused in the style of --jobs,
        // with the range, rather than with the library's type name.
        CustomParser = result =>
        {
            string text = result.Tokens.Single().Value;
            if (ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out ulong seed)) return seed;
            result.AddError($"--seed '{text}' is not allowed (allowed: an integer from 0 to {ulong.MaxValue})");
            return null;
        },
    };

    /// <summary>
    /// `--out DIR`: a results folder, new or existing. A file of that name, or a file where one of the folders above it
    /// should be, is refused up front; otherwise it would be found only when the results are written, after the whole
    /// simulation, as an I/O failure rather than bad input. Whose folder it is comes later (OutputFolder.Claim).
    /// </summary>
    public static Option<string?> OutFolder(string description)
    {
        var output = new Option<string?>("--out") { Description = description };
        output.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is not { } path) return;
            // An empty path is no folder (.NET refuses it with an exception), and a name of spaces only is a folder no
            // one meant: both come from an unset shell variable or a stray quote.
            if (BlankPart(path) is { } blank)
                result.AddError(blank.Length == path.Length
                    ? $"--out '{path}' is {(path.Length == 0 ? "empty" : "blank")} (allowed: a folder path, existing or new)"
                    : $"--out '{path}' has a folder name made of spaces only (allowed: folder names with something besides spaces)");
            else if (File.Exists(path))
                result.AddError($"--out '{path}' is a file, not a folder (allowed: a folder, existing or new)");
            else if (FileAbove(path) is { } file)
                result.AddError($"--out '{path}' lies under '{file}', which is a file, not a folder (allowed: a folder path, existing or new)");
        });
        return output;
    }

    /// <summary>The first part of <paramref name="path"/> between separators that is empty or blank (never the empty parts `a//b` or `/a` make); null when none.</summary>
    private static string? BlankPart(string path)
    {
        if (path.Trim().Length == 0) return path;
        return path.Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar).FirstOrDefault(p => p.Length > 0 && p.Trim().Length == 0);
    }

    /// <summary>The nearest existing ancestor of <paramref name="path"/> when it is a file, else null.</summary>
    private static string? FileAbove(string path)
    {
        for (var dir = Path.GetDirectoryName(Path.GetFullPath(path)); !string.IsNullOrEmpty(dir); dir = Path.GetDirectoryName(dir))
        {
            if (Directory.Exists(dir)) return null;
            if (File.Exists(dir)) return dir;
        }
        return null;
    }

    /// <summary>The value of a <see cref="Jobs"/> option, or the number of cores when it was not given.</summary>
    public static int JobsOrCores(this ParseResult parse, Option<int?> jobs) => parse.GetValue(jobs) ?? Environment.ProcessorCount;
}
