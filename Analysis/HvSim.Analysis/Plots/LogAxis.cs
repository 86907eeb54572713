using System.Globalization;
using ScottPlot;

namespace HvSim.Analysis.Plots;

/// <summary>A log10 axis: data are plotted as log10(value); ticks at 1, 2 and 5 times each power of ten, labelled with the value.</summary>
internal static class LogAxis
{
    public static void Apply(IAxis axis, double minValue, double maxValue)
    {
        var ticks = new List<double>();
        for (int e = (int)Math.Floor(Math.Log10(minValue)); e <= (int)Math.Ceiling(Math.Log10(maxValue)); e++)
            foreach (double m in new[] { 1.0, 2.0, 5.0 })
            {
                double v = m * Math.Pow(10, e);
                if (v >= minValue / 1.0001 && v <= maxValue * 1.0001) ticks.Add(v);
            }
        axis.SetTicks(ticks.Select(Math.Log10).ToArray(), ticks.Select(v => v.ToString("G4", CultureInfo.InvariantCulture)).ToArray());
    }
}
