using System.CommandLine;

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

internal static class CliRunner
{
    public static int Invoke(RootCommand root, string[] args)
    {
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var e in parse.Errors) Console.Error.WriteLine($"hvsim: {e.Message}");
            Console.Error.WriteLine("Try 'hvsim --help'.");
            return ExitCodes.BadInput;
        }
        try
        {
            return parse.Invoke();
        }
        catch (UserInputException e)
        {
            Console.Error.WriteLine(e.Message);
            return ExitCodes.BadInput;
        }
    }
}
