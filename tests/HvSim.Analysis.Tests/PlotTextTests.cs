using HvSim.Analysis.Plots;
using SkiaSharp;

namespace HvSim.Analysis.Tests;

public class PlotTextTests
{
    private static int DarkPixels(byte[] png, int top, int bottom)
    {
        using var bmp = SKBitmap.Decode(png);
        int dark = 0;
        for (int y = top; y < Math.Min(bottom, bmp.Height); y++)
            for (int x = 0; x < bmp.Width; x++)
            {
                var c = bmp.GetPixel(x, y);
                if (c.Red + c.Green + c.Blue < 200) dark++;
            }
        return dark;
    }

    private static byte[] Render(string title, string xLabel = "Simulated time (s)")
    {
        var plot = FigureStyle.New(title, xLabel, "Memory (GiB)");
        plot.Add.ScatterLine(new double[] { 0, 1, 2 }, new double[] { 1, 2, 1.5 });
        // The same data area either way, so the only difference is the title text above it.
        plot.Layout.Fixed(new ScottPlot.PixelPadding(80, 20, 60, 70));
        return plot.GetImageBytes(FigureStyle.Width, FigureStyle.Height, ScottPlot.ImageFormat.Png);
    }

    [Fact]
    public void TitleTextRendersAsDarkPixels()
    {
        // The title is drawn above the data area (which starts 70 px down); without a title that band is blank.
        int with = DarkPixels(Render("HvSim paging curve WWW"), 0, 65);
        int without = DarkPixels(Render(""), 0, 65);
        Assert.Equal(0, without);
        Assert.True(with > 300, $"title band has {with} dark pixels: the title text did not render (missing font?)");
    }

    [Fact]
    public void AxisLabelTextRendersAsDarkPixels()
    {
        // Bottom band of the image, below the tick labels: the x-axis label and nothing else.
        int with = DarkPixels(Render("t"), FigureStyle.Height - 35, FigureStyle.Height);
        int without = DarkPixels(Render("t", xLabel: ""), FigureStyle.Height - 35, FigureStyle.Height);
        Assert.True(with > without + 150, $"x label band has {with} dark pixels, {without} without the label");
    }

    [Fact]
    public void LongLegendEntriesBreakAfterCommas()
    {
        Assert.Equal("POWER7 (pageable), aging=rbit", FigureStyle.LegendText("POWER7 (pageable), aging=rbit"));
        // 17 + 2 + 22 characters pass 40, so each part of this entry takes a line of its own.
        Assert.Equal("POWER7 (pageable),\nguests.memory_max=auto,\nguests.balloon=805306368,\nhost.swap.device=ssd",
            FigureStyle.LegendText("POWER7 (pageable), guests.memory_max=auto, guests.balloon=805306368, host.swap.device=ssd"));
        // Short parts share a line up to 40 characters; a part longer than that keeps a line of its own.
        Assert.Equal("a=1, b=2, c=3,\nguests.workload.hot_access_fraction=95%_or_so,\nd=4",
            FigureStyle.LegendText("a=1, b=2, c=3, guests.workload.hot_access_fraction=95%_or_so, d=4"));
    }

    [Fact]
    public void BundledFontIsTheDefault()
    {
        PlotFonts.EnsureRegistered();
        Assert.True(File.Exists(Path.Combine(PlotFonts.FontDirectory, "DejaVuSans.ttf")));
        Assert.True(File.Exists(Path.Combine(PlotFonts.FontDirectory, "LICENSE-DejaVu.txt")));
        Assert.Equal(PlotFonts.Family, ScottPlot.Fonts.Default);
    }
}
