using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Text.RegularExpressions;
using HvSim.Analysis.Batch;
using HvSim.Analysis.Tables;
using HvSim.Scenarios.Language;
using HvSim.Traces;

namespace HvSim.Cli;

/// <summary>Exit codes: 0 ok, 1 run failed, 2 bad input or usage.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    public const int RunFailed = 1;
    public const int BadInput = 2;
}

/// <summary>An error in what the user gave us: printed as one clear line, exit code 2, no stack trace.</summary>
public sealed class UserInputException(string message) : Exception(message);

/// <summary>
/// Parses and invokes with System.CommandLine's default exception handler switched off, so that every exception a
/// command action throws reaches us: bad input becomes its message and exit 2, anything else one line and exit 1.
/// </summary>
internal static partial class CliRunner
{
    /// <summary>Set to 1 to get the full stack trace of an unexpected failure.</summary>
    public const string DebugVariable = "HVSIM_DEBUG";

    public static int Invoke(RootCommand root, string[] args)
    {
        ConsoleSetup.Configure();
        Interruption.Handle();
        var parse = root.Parse(args);
        var unknownOptions = UnknownOptions(parse);
        bool onlyMissingCommand = unknownOptions.Count == 0 && parse.Errors.Count > 0 && parse.Errors.All(e => IsMissingCommand(e.Message));
        if ((parse.Errors.Count > 0 || unknownOptions.Count > 0) && !onlyMissingCommand && parse.Action is not HelpAction)
        {
            // With an unknown option found, the library's "Unrecognized command or argument" errors only blame the
            // words it displaced.
            var errors = parse.Errors.Select(e => Friendly(e.Message))
                .Where(m => !IsNoise(m, parse) && !(unknownOptions.Count > 0 && m.StartsWith(UnrecognizedPrefix, StringComparison.Ordinal)));
            foreach (var e in unknownOptions.Select(o => $"Unrecognized option '{o}'.").Concat(errors).Distinct())
                Console.Error.WriteLine($"hvsim: {e}");
            var suggestion = unknownOptions.Count > 0 ? SuggestOption(parse, unknownOptions[0]) : Suggest(parse);
            if (suggestion is not null) Console.Error.WriteLine($"hvsim: did you mean '{suggestion}'?");
            Console.Error.WriteLine($"Try '{HelpHint(parse)}'.");
            return ExitCodes.BadInput;
        }
        // A command that only groups others (`hvsim`, `hvsim bench`) was given no subcommand: show its help, as a usage error.
        if (onlyMissingCommand || parse.Action is null)
        {
            Console.Error.WriteLine($"{string.Join(' ', ["hvsim", .. CommandPath(parse)])}: give a command (usage below)");
            root.Parse([.. CommandPath(parse), "--help"]).Invoke(new InvocationConfiguration { Output = Console.Error });
            return ExitCodes.BadInput;
        }
        try
        {
            return parse.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception e)
        {
            return Report(e);
        }
    }

    /// <summary>The exit code for an exception that escaped a command action, after telling the user about it.</summary>
    private static int Report(Exception e)
    {
        Console.Out.Flush();
        if (e is AggregateException { InnerExceptions.Count: 1 } single) e = single.InnerExceptions[0];
        switch (e)
        {
            case UserInputException:
                Console.Error.WriteLine(e.Message);
                return ExitCodes.BadInput;
            case ScenarioException scenario:
                foreach (var d in scenario.Diagnostics) Console.Error.WriteLine(d);
                Console.Error.WriteLine($"{scenario.Diagnostics.Count} problem{(scenario.Diagnostics.Count == 1 ? "" : "s")} found.");
                return ExitCodes.BadInput;
            case TraceException or BatchInputException or ResultsFolderException:
                Console.Error.WriteLine($"hvsim: {e.Message}");
                return ExitCodes.BadInput;
            case OperationCanceledException:
                Console.Error.WriteLine("hvsim: cancelled");
                return ExitCodes.RunFailed;
        }
        // A file system refusal (full disk, read-only folder, a file where a folder should be) is the environment's
        // fault, not ours: say what failed without calling it an internal error.
        string what = e is IOException or UnauthorizedAccessException ? "error:" : $"internal error: {e.GetType().Name}:";
        if (Environment.GetEnvironmentVariable(DebugVariable) is "1" or "true")
            Console.Error.WriteLine($"hvsim: {what} {e}");
        else
            Console.Error.WriteLine($"hvsim: {what} {FirstLine(e.Message)} (run with {DebugVariable}=1 for details)");
        return ExitCodes.RunFailed;
    }

    private static string FirstLine(string message)
    {
        int newline = message.IndexOfAny(['\r', '\n']);
        return newline < 0 ? message : message[..newline];
    }

    private const string UnrecognizedPrefix = "Unrecognized command or argument";

    /// <summary>
    /// Words that look like options but are none of the command's. System.CommandLine takes a word it does not know
    /// as an argument, whatever it looks like: in `run --frob x.yaml` the unknown `--frob` becomes the scenario and
    /// the error blames the valid `x.yaml` left over, and a command taking several paths (`batch --frob x.yaml`)
    /// would take `--frob` as a path without any error. So an option-like word that ended up as a command argument
    /// or unmatched is reported as what it is. After `--` every word is an argument on purpose; negative numbers
    /// and `-` alone are values.
    /// </summary>
    private static List<string> UnknownOptions(ParseResult parse)
    {
        var optionValues = new HashSet<Token>(ReferenceEqualityComparer.Instance);
        for (SymbolResult? r = parse.CommandResult; r is not null; r = r.Parent)
            if (r is CommandResult command)
                foreach (var option in command.Children.OfType<OptionResult>())
                    optionValues.UnionWith(option.Tokens);
        return parse.Tokens
            .TakeWhile(t => t.Type != TokenType.DoubleDash)
            .Where(t => t.Type == TokenType.Argument && !optionValues.Contains(t) && LooksLikeOption(t.Value))
            .Select(t => t.Value)
            .Distinct()
            .ToList();
    }

    private static bool LooksLikeOption(string word) =>
        word.Length > 1 && word[0] == '-' && !double.TryParse(word, NumberStyles.Float, CultureInfo.InvariantCulture, out _);

    /// <summary>"Required command was not provided" next to "Unrecognized command 'x'" only repeats the real problem.</summary>
    private static bool IsNoise(string message, ParseResult parse) => parse.Errors.Count > 1 && IsMissingCommand(message);

    private static bool IsMissingCommand(string message) => message.StartsWith("Required command was not provided", StringComparison.Ordinal);

    /// <summary>
    /// System.CommandLine names the .NET type an option failed to parse as ("System.Nullable`1[System.UInt64]");
    /// users need the kind of value instead.
    /// </summary>
    private static string Friendly(string message)
    {
        var m = TypeMismatch().Match(message);
        if (!m.Success) return message;
        string type = m.Groups["type"].Value;
        string expected = type switch
        {
            _ when type.Contains("UInt64") || type.Contains("UInt32") => "a whole number >= 0",
            _ when type.Contains("Int64") || type.Contains("Int32") => "a whole number",
            _ when type.Contains("Double") || type.Contains("Single") || type.Contains("Decimal") => "a number such as 0.5",
            _ when type.Contains("Boolean") => "true or false",
            _ => "a value of another kind",
        };
        return $"{m.Groups["what"].Value}: '{m.Groups["value"].Value}' is not {expected}";
    }

    [GeneratedRegex(@"^Cannot parse argument '(?<value>.*)' for (?<what>option '[^']*'|argument '[^']*') as expected type '(?<type>[^']*)'")]
    private static partial Regex TypeMismatch();

    private static string HelpHint(ParseResult parse) => string.Join(' ', ["hvsim", .. CommandPath(parse), "--help"]);

    /// <summary>The subcommand names from the root down to the command that was parsed (`bench`, `engine`).</summary>
    private static List<string> CommandPath(ParseResult parse)
    {
        var names = new List<string>();
        for (var r = parse.CommandResult; r is not null; r = r.Parent as CommandResult)
            if (r.Command is not RootCommand) names.Insert(0, r.Command.Name);
        return names;
    }

    /// <summary>The closest subcommand name to a mistyped first token (`rnu` → `run`), when one is close enough.</summary>
    private static string? Suggest(ParseResult parse)
    {
        var command = parse.CommandResult.Command;
        if (parse.UnmatchedTokens.Count == 0 || command.Subcommands.Count == 0) return null;
        string typed = parse.UnmatchedTokens[0];
        return command.Subcommands
            .Select(c => (c.Name, Distance: EditDistance(typed, c.Name)))
            .Where(c => c.Distance <= Math.Max(1, c.Name.Length / 3) || c.Name.StartsWith(typed, StringComparison.Ordinal) && typed.Length >= 2)
            .OrderBy(c => c.Distance).ThenBy(c => c.Name, StringComparer.Ordinal)
            .Select(c => c.Name).FirstOrDefault();
    }

    /// <summary>The command's option closest to a mistyped one (`--job` → `--jobs`), when one is close enough.</summary>
    private static string? SuggestOption(ParseResult parse, string typed) =>
        parse.CommandResult.Command.Options
            .SelectMany(o => o.Aliases.Prepend(o.Name))
            .Where(name => name.StartsWith("--", StringComparison.Ordinal))
            .Select(name => (Name: name, Distance: EditDistance(typed, name)))
            .Where(c => c.Distance <= Math.Max(1, c.Name.Length / 3))
            .OrderBy(c => c.Distance).ThenBy(c => c.Name, StringComparer.Ordinal)
            .Select(c => c.Name).FirstOrDefault();

    /// <summary>Optimal string alignment distance: a swapped pair of letters counts as one typo.</summary>
    private static int EditDistance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (int j = 0; j <= b.Length; j++) d[0, j] = j;
        for (int i = 1; i <= a.Length; i++)
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        return d[a.Length, b.Length];
    }
}
