using System.Diagnostics;
using SkiaSharp;

namespace HvSim.Analysis.Tests;

public class ReportScreenshotTests : IDisposable
{
    private readonly TempFolders _temp = new();

    public void Dispose() => _temp.Dispose();

    private static string RepoFile(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, relative))) return Path.Combine(dir.FullName, relative);
        throw new FileNotFoundException(relative);
    }

    [ChromiumFact]
    public void ReportRendersInHeadlessChromium()
    {
        using var fx = ReportBuilderTests.TwoPlatformRun();
        AssertRenders(ReportBuilder.Build(fx.Dir).ReportHtml, Path.Combine(fx.Dir, "screenshot.png"));
    }

    [ChromiumFact]
    public void CompareReportRendersInHeadlessChromium()
    {
        using var fx = ReportBuilderTests.TwoPlatformRun();
        var dir = _temp.New("hvsim-compare-");
        Compare.CompareOutput.Write(dir, Compare.FolderComparison.Compare(fx.Dir, fx.Dir));
        // A against itself: every dot of the plot sits on the ×1 line without a bar, so there is little colour to find.
        AssertRenders(Path.Combine(dir, "report.html"), Path.Combine(dir, "screenshot.png"), minColoured: 50);
    }

    private static void AssertRenders(string report, string shot, int minColoured = 1000)
    {
        var psi = new ProcessStartInfo("bash", [RepoFile("tests/report-screenshot.sh"), report, shot])
        {
            RedirectStandardOutput = true, RedirectStandardError = true,
        };
        using var p = Process.Start(psi)!;
        string err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"screenshot script exited {p.ExitCode}: {err}");

        using var bmp = SKBitmap.Decode(shot);
        Assert.Equal(1280, bmp.Width);
        Assert.Equal(2000, bmp.Height);
        // Non-trivial: text (dark pixels) in the heading and key-numbers region, and the embedded plots' colours further down.
        int dark = 0, coloured = 0;
        for (int y = 0; y < bmp.Height; y += 2)
            for (int x = 0; x < bmp.Width; x += 2)
            {
                var c = bmp.GetPixel(x, y);
                if (c.Red + c.Green + c.Blue < 150) dark++;
                if (Math.Max(c.Red, Math.Max(c.Green, c.Blue)) - Math.Min(c.Red, Math.Min(c.Green, c.Blue)) > 80) coloured++;
            }
        Assert.True(dark > 2000, $"{dark} dark pixels: the report shows no text");
        Assert.True(coloured > minColoured, $"{coloured} coloured pixels: the embedded plots did not render");
    }
}
