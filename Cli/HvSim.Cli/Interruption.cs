using System.Runtime.InteropServices;
using HvSim.Analysis.Results;

namespace HvSim.Cli;

/// <summary>
/// Ctrl-C (SIGINT), SIGTERM (a scheduler's kill, `timeout`) and SIGHUP (a closed terminal) end hvsim at once, as
/// they did before, but first remove the temporary files and folders it has not committed; a commit in progress
/// finishes first, so a results folder is left as the earlier run wrote it or as this one did, never a mix. The exit
/// code is the shell's 128 + signal number. (kill -9 cannot be caught: the next command cleans up after it.)
/// </summary>
internal static class Interruption
{
    /// <summary>Kept for the life of the process: a registration that is collected stops handling its signal.</summary>
    private static PosixSignalRegistration[]? _registrations;

    public static void Handle() => _registrations ??=
    [
        PosixSignalRegistration.Create(PosixSignal.SIGINT, c => Exit(c, 130)),
        PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => Exit(c, 143)),
        PosixSignalRegistration.Create(PosixSignal.SIGHUP, c => Exit(c, 129)),
    ];

    private static void Exit(PosixSignalContext context, int code)
    {
        context.Cancel = true;
        AtomicFile.Abandon();
        Console.Error.WriteLine($"hvsim: interrupted by {context.Signal}; unfinished files removed, earlier results left as they were");
        Environment.Exit(code);
    }
}
