using System.Diagnostics;
using SkiaSharp;

namespace HvSim.Analysis.Tests;

public class ReportScreenshotTests
{
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
        var output = ReportBuilder.Build(fx.Dir);
        string shot = Path.Combine(fx.Dir, "screenshot.png");
        var psi = new ProcessStartInfo("bash", [RepoFile("tests/report-screenshot.sh"), output.ReportHtml, shot])
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
        Assert.True(coloured > 1000, $"{coloured} coloured pixels: the embedded plots did not render");
    }
}
