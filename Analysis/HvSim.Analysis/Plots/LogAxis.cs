using System.Globalization;
using ScottPlot;

namespace HvSim.Analysis.Plots;

/// <summary>A log10 axis: data are plotted as log10(value); ticks at 1, 2 and 5 times each power of ten, labelled with the value.</summary>
internal static class LogAxis
{
    /// <summary>Ticks the axis; returns its limits widened to whole decades (log10), so the first and last labels sit at its ends.</summary>
    public static (double Min, double Max) Apply(IAxis axis, double minValue, double maxValue)
    {
        int first = (int)Math.Floor(Math.Log10(minValue)), last = (int)Math.Ceiling(Math.Log10(maxValue));
        if (last == first) last++;
        minValue = Math.Pow(10, first);
        maxValue = Math.Pow(10, last);
        // 1-2-5 steps while they fit; over wide ranges only powers of ten, so labels never overlap.
        double[] mantissas = last - first <= 3 ? [1, 2, 5] : [1];
        var ticks = new List<double>();
        for (int e = first; e <= last; e++)
            foreach (double m in mantissas)
            {
                double v = m * Math.Pow(10, e);
                if (v >= minValue / 1.0001 && v <= maxValue * 1.0001) ticks.Add(v);
            }
        axis.SetTicks(ticks.Select(Math.Log10).ToArray(), ticks.Select(Label).ToArray());
        return (first, last);
    }

    private static string Label(double v) =>
        v >= 1 ? v.ToString("#,0", CultureInfo.InvariantCulture) : v.ToString("G3", CultureInfo.InvariantCulture);
}
