namespace HvSim.Analysis.Tests;

/// <summary>
/// The temporary folders one test makes, deleted when it ends: a test class holds one and disposes it (xunit makes a
/// class instance per test and disposes it after), so a test run leaves nothing in the temp directory.
/// </summary>
internal sealed class TempFolders : IDisposable
{
    private readonly List<string> _made = [];

    public string New(string prefix)
    {
        string dir = Directory.CreateTempSubdirectory(prefix).FullName;
        _made.Add(dir);
        return dir;
    }

    public void Dispose()
    {
        foreach (string dir in _made)
        {
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
    }
}
