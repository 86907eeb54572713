using System.Globalization;

namespace HvSim.Cli.Progress;

/// <summary>How progress looks: refresh period, rate window and number formats shared by `run`, `batch` and `plan`.</summary>
internal static class Display
{
    /// <summary>How often live lines are redrawn.</summary>
    public static readonly TimeSpan Refresh = TimeSpan.FromMilliseconds(250);

    /// <summary>The span of wall time over which rates are measured (long enough to smooth, short enough to follow a run that slows down when it starts paging).</summary>
    public static readonly TimeSpan RateWindowSpan = TimeSpan.FromSeconds(20);

    /// <summary>h:mm:ss, or "?" while the rate is unknown.</summary>
    public static string Duration(TimeSpan? t) => t is { } d
        ? $"{(int)d.TotalHours}:{d.Minutes:00}:{d.Seconds:00}"
        : "?";

    /// <summary>A count with a unit prefix (12.3 M).</summary>
    public static string Count(long n) => n switch
    {
        >= 1_000_000_000 => string.Create(CultureInfo.InvariantCulture, $"{n / 1e9:0.00} G"),
        >= 1_000_000 => string.Create(CultureInfo.InvariantCulture, $"{n / 1e6:0.0} M"),
        >= 1_000 => string.Create(CultureInfo.InvariantCulture, $"{n / 1e3:0.0} k"),
        _ => n.ToString(CultureInfo.InvariantCulture),
    };
}
