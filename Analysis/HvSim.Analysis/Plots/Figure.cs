using HvSim.Analysis.Results;
using ScottPlot;

namespace HvSim.Analysis.Plots;

/// <summary>A finished plot written as PNG and SVG side by side; the report embeds the PNG.</summary>
public sealed record Figure(string Name, string Title, string Caption, string PngPath, string SvgPath);

/// <summary>The house style of every HvSim plot: bundled font, readable sizes, legend, PNG + SVG output.</summary>
public static class FigureStyle
{
    public const int Width = 1000;
    public const int Height = 600;

    public static Plot New(string title, string xLabel, string yLabel)
    {
        PlotFonts.EnsureRegistered();
        var plot = new Plot();
        plot.Font.Set(PlotFonts.Family);
        // Titles that name a sweep point get long; a smaller font keeps them inside the figure.
        plot.Title(title, title.Length <= 60 ? 20 : title.Length <= 80 ? 16 : 13);
        plot.XLabel(xLabel, 16);
        plot.YLabel(yLabel, 16);
        plot.Axes.Bottom.TickLabelStyle.FontSize = 14;
        plot.Axes.Left.TickLabelStyle.FontSize = 14;
        plot.Axes.Right.TickLabelStyle.FontSize = 14;
        plot.Legend.FontSize = 14;
        plot.Legend.FontName = PlotFonts.Family;
        return plot;
    }

    /// <summary>Legend entries longer than this many characters are broken into lines.</summary>
    public const int LegendLineLength = 40;

    /// <summary>
    /// A legend entry broken after its commas into lines of at most <see cref="LegendLineLength"/> characters (a longer
    /// part keeps a line of its own): the legend sits right of the data area, and one long entry would otherwise squeeze
    /// the data area and push the title off the figure.
    /// </summary>
    public static string LegendText(string text)
    {
        if (text.Length <= LegendLineLength) return text;
        var lines = new List<string>();
        string line = "";
        foreach (string part in text.Split(", "))
        {
            if (line.Length > 0 && line.Length + 2 + part.Length > LegendLineLength)
            {
                lines.Add(line + ",");
                line = part;
            }
            else line = line.Length == 0 ? part : line + ", " + part;
        }
        lines.Add(line);
        return string.Join("\n", lines);
    }

    /// <summary>Writes NAME.png and NAME.svg into <paramref name="directory"/>, each complete or not at all.</summary>
    public static Figure Save(Plot plot, string directory, string name, string title, string caption)
    {
        if (plot.GetPlottables().Any(p => !string.IsNullOrEmpty(p.LegendItems.FirstOrDefault()?.LabelText)))
            plot.ShowLegend(Edge.Right);
        string png = Path.Combine(directory, name + ".png");
        string svg = Path.Combine(directory, name + ".svg");
        byte[] pngBytes = plot.GetImageBytes(Width, Height, ImageFormat.Png);
        byte[] svgBytes = System.Text.Encoding.UTF8.GetBytes(plot.GetSvgXml(Width, Height));
        AtomicFile.Write(png, s => s.Write(pngBytes));
        AtomicFile.Write(svg, s => s.Write(svgBytes));
        return new Figure(name, title, caption, png, svg);
    }
}
