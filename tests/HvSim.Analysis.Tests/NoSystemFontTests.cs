using System.Diagnostics;
using SkiaSharp;

namespace HvSim.Analysis.Tests;

/// <summary>A fact that needs a private mount namespace (root and util-linux `unshare`): reported skipped elsewhere.</summary>
public sealed class MountNamespaceFactAttribute : FactAttribute
{
    public MountNamespaceFactAttribute()
    {
        if (!CanUnshare()) Skip = "needs root and `unshare -m` to hide the system font folder";
    }

    private static bool CanUnshare()
    {
        try
        {
            using var p = Process.Start(new ProcessStartInfo("unshare", ["-m", "true"]) { RedirectStandardError = true })!;
            p.WaitForExit();
            return p.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}

public class NoSystemFontTests : IDisposable
{
    private readonly TempFolders _temp = new();

    public void Dispose() => _temp.Dispose();

    [MountNamespaceFact]
    public void PlotsWithAnEmptySystemFontFolderLookTheSame()
    {
        // The same results plotted twice: normally, and in a private mount namespace where /usr/share/fonts is an
        // empty folder, so only the bundled font is left. Missing text would change thousands of pixels and the layout.
        using var normal = ReportBuilderTests.TwoPlatformRun();
        using var bare = ReportBuilderTests.TwoPlatformRun();
        string empty = _temp.New("hvsim-analysis-");
        string hvsim = Path.Combine(AppContext.BaseDirectory, "hvsim.dll");
        Run("dotnet", [hvsim, "plot", normal.Dir]);
        Run("unshare", ["-m", "bash", "-c", $"mount --bind '{empty}' /usr/share/fonts && [ -z \"$(ls -A /usr/share/fonts)\" ] && dotnet '{hvsim}' plot '{bare.Dir}'"]);

        foreach (var name in new[] { "paging_power7.png", "fault_latency_cdf.png" })
        {
            using var a = SKBitmap.Decode(Path.Combine(normal.Dir, name));
            using var b = SKBitmap.Decode(Path.Combine(bare.Dir, name));
            Assert.Equal((a.Width, a.Height), (b.Width, b.Height));
            int differ = 0;
            for (int y = 0; y < a.Height; y++)
                for (int x = 0; x < a.Width; x++)
                    if (a.GetPixel(x, y) != b.GetPixel(x, y)) differ++;
            Assert.True(differ < a.Width * a.Height / 1000, $"{name}: {differ} pixels differ without system fonts");
        }
    }

    private static void Run(string file, string[] args)
    {
        using var p = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = p.StandardOutput.ReadToEndAsync();
        string err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"{file} {string.Join(' ', args)}: {err}");
        _ = output.Result;
    }
}
