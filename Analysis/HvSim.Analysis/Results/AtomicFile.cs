namespace HvSim.Analysis.Results;

/// <summary>Files and folders that appear complete or not at all: written under a temporary name, then renamed.</summary>
public static class AtomicFile
{
    public static void Write(string path, Action<Stream> write)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(dir);
        var tmp = Path.Combine(dir, $".{Path.GetFileName(path)}.tmp-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            using (var stream = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(tmp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(tmp)) File.Delete(tmp);
        }
    }

    /// <summary>A temporary folder next to <paramref name="path"/> to fill before <see cref="CommitFolder"/>.</summary>
    public static string TempFolderFor(string path)
    {
        var full = Path.GetFullPath(path);
        var tmp = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.tmp-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(tmp);
        return tmp;
    }

    /// <summary>Rename a filled temporary folder to <paramref name="path"/>; if another process committed it first, keep theirs.</summary>
    public static void CommitFolder(string tmp, string path)
    {
        try
        {
            Directory.Move(tmp, path);
        }
        catch (IOException) when (Directory.Exists(path))
        {
            Directory.Delete(tmp, recursive: true);
        }
    }
}
