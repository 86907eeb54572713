using System.Globalization;
using Spectre.Console;

namespace HvSim.Cli;

/// <summary>
/// Console settings every command shares, applied once at start-up: off a terminal Spectre.Console assumes 80 columns
/// and wraps tables mid-number, which breaks `hvsim run ... | tee log` and scripts that grep the output.
/// </summary>
internal static class ConsoleSetup
{
    /// <summary>Width used for tables when stdout is a file or a pipe and COLUMNS does not say otherwise.</summary>
    public const int RedirectedWidth = 200;

    public static void Configure()
    {
        if (!Console.IsOutputRedirected) return;
        AnsiConsole.Profile.Width = int.TryParse(Environment.GetEnvironmentVariable("COLUMNS"), NumberStyles.None, CultureInfo.InvariantCulture, out int columns) && columns >= 40
            ? columns
            : RedirectedWidth;
    }

    /// <summary>True when live progress (bars, spinners) may be drawn: an interactive terminal, not a file or pipe.</summary>
    public static bool LiveProgress => !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;
}
