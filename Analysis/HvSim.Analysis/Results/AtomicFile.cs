using System.Diagnostics;

namespace HvSim.Analysis.Results;

/// <summary>
/// Files and folders that appear complete or not at all: written under a temporary name beside their place, then
/// renamed. Temporary names carry the writer's process id (`.NAME.tmp-PID-GUID`), so a later process can tell those
/// of a killed writer (removed) from those of a live one (left alone). The temporaries of this process are also
/// removed when it is interrupted (<see cref="Abandon"/>, called on SIGINT and SIGTERM), and renames that must happen
/// together (the two of <see cref="ReplaceFolder"/>) are never split by an interruption.
/// </summary>
public static class AtomicFile
{
    /// <summary>Held by every rename that commits, and by <see cref="Abandon"/>: an interruption waits for a commit in progress.</summary>
    private static readonly Lock Gate = new();
    /// <summary>Temporary files and folders of this process not yet committed.</summary>
    private static readonly HashSet<string> Pending = new(StringComparer.Ordinal);

    public static void Write(string path, Action<Stream> write)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(dir);
        var tmp = Register(TemporaryName(path, "tmp"));
        try
        {
            using (var stream = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            lock (Gate) File.Move(tmp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(tmp)) File.Delete(tmp);
            Unregister(tmp);
        }
    }

    /// <summary>A temporary folder next to <paramref name="path"/> to fill before <see cref="CommitFolder"/>.</summary>
    public static string TempFolderFor(string path)
    {
        var tmp = Register(TemporaryName(path, "tmp"));
        Directory.CreateDirectory(tmp);
        return tmp;
    }

    /// <summary>Rename a filled temporary folder to <paramref name="path"/>; if another process committed it first, keep theirs.</summary>
    public static void CommitFolder(string tmp, string path)
    {
        lock (Gate)
        {
            try
            {
                Directory.Move(tmp, path);
            }
            catch (IOException) when (Directory.Exists(path))
            {
                Directory.Delete(tmp, recursive: true);
            }
            Pending.Remove(tmp);
        }
    }

    /// <summary>
    /// Replace the folder <paramref name="dir"/> as a whole by what <paramref name="fill"/> writes into a new folder
    /// beside it: the old folder is renamed aside, the new one takes its name, and the old one is removed. A folder of
    /// that name therefore always holds one writer's complete output, the old or the new, whenever this process is
    /// killed; if it fails (a full disk), the old folder stays as it was. Entries of the old folder that
    /// <paramref name="isOwnOutput"/> does not claim (a user's own notes) move into the new folder.
    /// Leftovers of killed writers are cleaned up first (<see cref="RemoveStaleBeside"/>).
    /// </summary>
    public static void ReplaceFolder(string dir, Action<string> fill, Func<string, bool> isOwnOutput)
    {
        var full = Full(dir);
        RemoveStaleBeside(full, isOwnOutput);
        var tmp = TempFolderFor(full);
        try
        {
            fill(tmp);
            lock (Gate)
            {
                if (Directory.Exists(full))
                {
                    var old = Register(TemporaryName(full, "old"));
                    Directory.Move(full, old);
                    Directory.Move(tmp, full);
                    CarryOver(old, full, isOwnOutput);
                    Directory.Delete(old, recursive: true);
                    Pending.Remove(old);
                }
                else Directory.Move(tmp, full);
                Pending.Remove(tmp);
            }
        }
        finally
        {
            if (Directory.Exists(tmp)) Directory.Delete(tmp, recursive: true);
            Unregister(tmp);
        }
    }

    /// <summary>
    /// Remove what killed writers left beside <paramref name="dir"/>: unfinished new folders (`.NAME.tmp-PID-*`) go;
    /// an old folder renamed aside (`.NAME.old-PID-*`) takes its name back when the swap did not finish, and otherwise
    /// gives up the user's entries (<paramref name="isOwnOutput"/> false) to the new folder and goes.
    /// </summary>
    public static void RemoveStaleBeside(string dir, Func<string, bool> isOwnOutput)
    {
        var full = Full(dir);
        var parent = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(parent)) return;
        var name = Path.GetFileName(full);
        string tmpPrefix = $".{name}.tmp-", oldPrefix = $".{name}.old-";
        foreach (var entry in Directory.EnumerateDirectories(parent, $".{name}.*").Where(IsStale).ToList())
        {
            var entryName = Path.GetFileName(entry);
            bool old = entryName.StartsWith(oldPrefix, StringComparison.Ordinal);
            if (!old && !entryName.StartsWith(tmpPrefix, StringComparison.Ordinal)) continue;
            if (old && !Directory.Exists(full))
            {
                Directory.Move(entry, full);
                continue;
            }
            if (old) CarryOver(entry, full, isOwnOutput);
            Directory.Delete(entry, recursive: true);
        }
    }

    /// <summary>True when <paramref name="path"/> is a temporary name (`.NAME.KIND-PID-...`) whose process is no longer running.</summary>
    public static bool IsStale(string path)
    {
        var name = Path.GetFileName(path);
        int at = Math.Max(name.LastIndexOf(".tmp-", StringComparison.Ordinal), name.LastIndexOf(".old-", StringComparison.Ordinal));
        if (!name.StartsWith('.') || at < 0) return false;
        return int.TryParse(name[(at + 5)..].Split('-')[0], out var pid) && !IsAlive(pid);
    }

    /// <summary>
    /// On an interruption: wait for a commit in progress, then remove every temporary this process has not committed.
    /// Nothing commits afterwards (the gate stays held until the process exits).
    /// </summary>
    public static void Abandon()
    {
        Gate.Enter();
        foreach (var path in Pending)
        {
            try
            {
                if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
                else if (File.Exists(path)) File.Delete(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Left for the next writer's stale clean-up, which knows this process is gone.
            }
        }
    }

    private static string TemporaryName(string path, string kind)
    {
        var full = Full(path);
        return Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{kind}-{Environment.ProcessId}-{Guid.NewGuid():N}");
    }

    /// <summary>The absolute path without a trailing separator (`results/x/` names the folder x, as `results/x` does).</summary>
    private static string Full(string path) => Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));

    /// <summary>Write and remove a file beside <paramref name="path"/>: throws when its folder cannot be written.</summary>
    public static void ProbeBeside(string path)
    {
        var probe = Register(TemporaryName(path, "tmp"));
        try
        {
            using (File.Create(probe)) { }
        }
        finally
        {
            if (File.Exists(probe)) File.Delete(probe);
            Unregister(probe);
        }
    }

    private static string Register(string path)
    {
        lock (Gate) Pending.Add(path);
        return path;
    }

    private static void Unregister(string path)
    {
        lock (Gate) Pending.Remove(path);
    }

    /// <summary>Move the entries of <paramref name="from"/> that are not the writer's own output, and not already in <paramref name="to"/>, into it.</summary>
    private static void CarryOver(string from, string to, Func<string, bool> isOwnOutput)
    {
        foreach (var entry in Directory.EnumerateFileSystemEntries(from).ToList())
        {
            var name = Path.GetFileName(entry);
            var target = Path.Combine(to, name);
            if (isOwnOutput(name) || Path.Exists(target)) continue;
            if (Directory.Exists(entry) && !File.Exists(entry)) Directory.Move(entry, target);
            else File.Move(entry, target);
        }
    }

    private static bool IsAlive(int pid)
    {
        if (pid == Environment.ProcessId) return true;
        try
        {
            using var p = Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
