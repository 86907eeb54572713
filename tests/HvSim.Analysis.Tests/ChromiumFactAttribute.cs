namespace HvSim.Analysis.Tests;

/// <summary>A fact that needs headless Chromium: reported skipped (never passed) on a machine without it.</summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public static string? Browser { get; } =
        new[] { "chromium", "chromium-browser", "google-chrome" }
            .SelectMany(name => (System.Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(dir => Path.Combine(dir, name)))
            .FirstOrDefault(File.Exists);

    public ChromiumFactAttribute()
    {
        if (Browser is null) Skip = "chromium is not installed (tests/setup.sh installs it as root)";
    }
}
