using System.Text.Json;
using System.Text.Json.Nodes;
using HvSim.Analysis.Tables;

namespace HvSim.Analysis.Results;

/// <summary>
/// Which folder a command may write its results into, decided before any work starts. A results folder belongs to
/// hvsim: a later command of the same kind replaces (run, plan, mrc) or resumes (batch, merge) what the earlier one
/// wrote, plots and tables included. So a folder is taken only when it is new, empty, or holds the manifest.json of
/// that same kind of command; anything else is refused and left untouched, so that a user's own files are never
/// deleted and the results of two kinds of command never mix in one folder.
/// </summary>
public static class OutputFolder
{
    /// <summary>Refuse <paramref name="dir"/> as the results folder of `hvsim <paramref name="kind"/>` unless it is free or already one.</summary>
    /// <exception cref="ResultsFolderException">The folder holds someone else's files.</exception>
    public static void Claim(string dir, string kind)
    {
        CheckOwner(dir, kind);
        Probe(dir, kind);
    }

    private static void CheckOwner(string dir, string kind)
    {
        if (!Directory.Exists(dir) || !Directory.EnumerateFileSystemEntries(dir).Any()) return;
        string? owner = KindOf(dir);
        if (owner == kind) return;
        string takes = kind == "batch" ? "resumes" : "replaces";
        string allowed = $"allowed: a new or empty folder, or one with earlier `hvsim {kind}` results, which `hvsim {kind}` {takes}";
        throw new ResultsFolderException(owner is null
            ? $"--out {dir} is not empty and holds no hvsim results (no manifest.json written by hvsim); nothing in it was touched ({allowed})"
            : $"--out {dir} holds the results of `hvsim {owner}`, which those of `hvsim {kind}` would mix with; nothing in it was touched ({allowed})");
    }

    /// <summary>
    /// Create the folder and write a file in it (and, for `run`, which renames a new folder into place, one beside it),
    /// so that a read-only file system or a folder without write permission is found now, before any simulation, and
    /// not after it when the results are written.
    /// </summary>
    /// <exception cref="IOException">The folder cannot be created or written.</exception>
    private static void Probe(string dir, string kind)
    {
        try
        {
            Directory.CreateDirectory(dir);
            AtomicFile.ProbeBeside(Path.Combine(dir, "probe"));
            if (kind == "run") AtomicFile.ProbeBeside(dir);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The file system's refusal, not bad input (exit 1, as a full disk): only found before the work now.
            throw new IOException($"--out {dir} cannot be written: {e.Message} Nothing was run.", e);
        }
    }

    /// <summary>
    /// The outermost folder on <paramref name="dir"/>'s path that does not exist yet (<paramref name="dir"/> itself or one
    /// of its parents): what <see cref="Claim"/> will create. Null when <paramref name="dir"/> exists.
    /// </summary>
    public static string? OutermostMissing(string dir)
    {
        string? missing = null;
        for (string? d = Path.GetFullPath(dir); d is not null && !Directory.Exists(d) && !File.Exists(d); d = Path.GetDirectoryName(d))
            missing = d;
        return missing;
    }

    /// <summary>
    /// Remove the folders <see cref="Claim"/> created, from <paramref name="dir"/> up to <paramref name="outermost"/>
    /// (from <see cref="OutermostMissing"/> before the claim), while they are empty: a command refused after its claim
    /// (a trace it cannot read) leaves nothing behind, as one refused before it does.
    /// </summary>
    public static void Unclaim(string dir, string? outermost)
    {
        if (outermost is null) return;
        for (string? d = Path.GetFullPath(dir); d is not null && d.Length >= outermost.Length; d = Path.GetDirectoryName(d))
        {
            try
            {
                if (!Directory.Exists(d) || Directory.EnumerateFileSystemEntries(d).Any()) return;
                Directory.Delete(d);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return;
            }
        }
    }

    /// <summary>The command whose results <paramref name="dir"/> holds, by its manifest.json (run, batch, plan, mrc); null when none.</summary>
    public static string? KindOf(string dir)
    {
        string path = Path.Combine(dir, ResultsFolder.ManifestFile);
        if (!File.Exists(path)) return null;
        try
        {
            if (JsonNode.Parse(File.ReadAllText(path)) is not JsonObject manifest) return null;
            if (manifest["tool"]?.GetValue<string>() is not { } tool || !(tool == "hvsim" || tool.StartsWith("hvsim ", StringComparison.Ordinal)))
                return null;
            // Plan folders of earlier versions named their command only in `tool` ("hvsim plan").
            return manifest["kind"]?.GetValue<string>() ?? (tool.Length > 6 ? tool[6..] : null);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or IOException)
        {
            return null;
        }
    }
}
