using ScottPlot;

namespace HvSim.Analysis.Plots;

/// <summary>Stable colours: POWER7 and PPC970 keep theirs in every plot; other series take the Category10 palette in order.</summary>
internal static class SeriesColors
{
    private static readonly ScottPlot.Palettes.Category10 Palette = new();

    public static Color Nth(int i) => Palette.GetColor(i);

    public static Color ForPlatform(string platform, int fallback) => platform switch
    {
        "power7" => Palette.GetColor(0),
        "ppc970" => Palette.GetColor(1),
        _ => Palette.GetColor(fallback),
    };

    public static string PlatformLabel(string platform) => platform switch
    {
        "power7" => "POWER7 (pageable)",
        "ppc970" => "PPC970 (pinned)",
        _ => platform,
    };
}
