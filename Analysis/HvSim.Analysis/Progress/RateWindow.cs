namespace HvSim.Analysis.Progress;

/// <summary>
/// The measured rate of some work (simulated seconds, expected cost) per wall-clock second over the last
/// <see cref="Span"/> of samples, and the time left at that rate. A window rather than the whole run, because a run's
/// speed changes: a guest that starts paging after warm-up runs many times slower than before.
/// </summary>
public sealed class RateWindow(TimeSpan span)
{
    private readonly List<(double Wall, double Done)> _samples = [];

    public TimeSpan Span { get; } = span > TimeSpan.Zero ? span : throw new ArgumentOutOfRangeException(nameof(span), span, "the window must be > 0");

    /// <summary>Record that <paramref name="done"/> units were done <paramref name="wall"/> after the start.</summary>
    public void Add(TimeSpan wall, double done)
    {
        double t = wall.TotalSeconds;
        _samples.Add((t, done));
        // Keep the newest sample at or before the window's start as the baseline; drop older ones.
        int drop = 0;
        while (drop + 1 < _samples.Count && _samples[drop + 1].Wall <= t - Span.TotalSeconds) drop++;
        _samples.RemoveRange(0, drop);
    }

    /// <summary>Units per wall second between the window's baseline and the newest sample; null until both exist and time has passed.</summary>
    public double? Rate
    {
        get
        {
            if (_samples.Count < 2) return null;
            var (w0, d0) = _samples[0];
            var (w1, d1) = _samples[^1];
            return w1 > w0 && d1 > d0 ? (d1 - d0) / (w1 - w0) : null;
        }
    }

    /// <summary>Wall time left to reach <paramref name="total"/> units at <see cref="Rate"/>; null while the rate is unknown.</summary>
    public TimeSpan? Remaining(double total)
    {
        if (Rate is not { } rate || _samples.Count == 0) return null;
        double left = Math.Max(0, total - _samples[^1].Done);
        return TimeSpan.FromSeconds(Math.Min(left / rate, TimeSpan.MaxValue.TotalSeconds / 2));
    }
}
