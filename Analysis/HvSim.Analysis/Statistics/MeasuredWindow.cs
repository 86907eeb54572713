using HvSim.Analysis.Tables;

namespace HvSim.Analysis.Statistics;

/// <summary>
/// Whether the measured window (after the warm-up) describes paging: host reclaim that first starts after the
/// warm-up leaves part of the window unpressured, and every statistic averages that calm part in. One warning per
/// scenario, platform and sweep point, for the run with the largest such share (host.csv: reclaim_start_s, warmup_s).
/// </summary>
public static class MeasuredWindow
{
    public sealed record Warning(string Scenario, string Platform, SweepPoint Point, double ReclaimStartS, double WarmupS, double MeasuredS, int Runs, int OfRuns)
    {
        /// <summary>Share of the measured window before host reclaim first ran.</summary>
        public double UnpressuredFraction => MeasuredS > 0 ? (ReclaimStartS - WarmupS) / MeasuredS : 0;

        public string Text =>
            FormattableString.Invariant($"host reclaim first starts at {ReclaimStartS:0.#} s, after the {WarmupS:0.#} s warm-up: {ReclaimStartS - WarmupS:0.#} s of the {MeasuredS:0.#} s measured window ({UnpressuredFraction:0%}) had none")
            + (OfRuns > 1 ? FormattableString.Invariant($" (worst of {Runs} of {OfRuns} runs)") : "")
            + FormattableString.Invariant($"; use a warm-up past {Math.Ceiling(ReclaimStartS):0} s or warmup: auto.");
    }

    public static List<Warning> Warnings(ResultsFolder folder, double? warmupSecondsOverride = null) =>
        folder.Host.GroupBy(h => (h.Run.Scenario, h.Run.Platform, Point: folder.PointOf(h.Run)))
            .Select(g =>
            {
                var late = g.Select(h => (h.Run, h.Row, Warmup: folder.WarmupSeconds(h.Run, warmupSecondsOverride)))
                    .Where(h => h.Row.ReclaimStartS is { } start && start > h.Warmup && h.Row.MeasuredS is > 0)
                    // measured_s is after the run's own warm-up; `hvsim plot --warmup` moves the window's start.
                    .Select(h => new Warning(g.Key.Scenario, g.Key.Platform, g.Key.Point, h.Row.ReclaimStartS!.Value, h.Warmup,
                        h.Row.MeasuredS!.Value + (h.Row.WarmupS ?? h.Warmup) - h.Warmup, 0, g.Count()))
                    .ToList();
                return late.Count == 0 ? null : late.MaxBy(w => w.UnpressuredFraction)! with { Runs = late.Count };
            })
            .OfType<Warning>()
            .ToList();
}
