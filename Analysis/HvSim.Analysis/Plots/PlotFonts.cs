namespace HvSim.Analysis.Plots;

/// <summary>
/// Registers the bundled DejaVu Sans with ScottPlot and makes it the default: SkiaSharp's NoDependencies build finds
/// fonts only in the system font folder, so without this a machine with no fonts renders plots without any text.
/// </summary>
public static class PlotFonts
{
    public const string Family = "DejaVu Sans";
    private static readonly Lazy<bool> Registered = new(Register, LazyThreadSafetyMode.ExecutionAndPublication);

    public static string FontDirectory => Path.Combine(AppContext.BaseDirectory, "Fonts");

    public static void EnsureRegistered() => _ = Registered.Value;

    private static bool Register()
    {
        string regular = Path.Combine(FontDirectory, "DejaVuSans.ttf");
        string bold = Path.Combine(FontDirectory, "DejaVuSans-Bold.ttf");
        if (!File.Exists(regular))
            throw new FileNotFoundException($"bundled plot font missing: {regular} (it is copied to the output folder by HvSim.Analysis.csproj)");
        ScottPlot.Fonts.AddFontFile(Family, regular, bold: false, italic: false);
        if (File.Exists(bold)) ScottPlot.Fonts.AddFontFile(Family, bold, bold: true, italic: false);
        ScottPlot.Fonts.Default = Family;
        return true;
    }
}
