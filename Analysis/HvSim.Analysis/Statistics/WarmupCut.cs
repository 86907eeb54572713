using HvSim.Analysis.Results;
using HvSim.Analysis.Tables;

namespace HvSim.Analysis.Statistics;

/// <summary>Drops the warm-up from time series: intervals that end at or before the warm-up's end describe the cold start.</summary>
public static class WarmupCut
{
    public static IEnumerable<RunRow<TimeseriesRow>> Apply(IEnumerable<RunRow<TimeseriesRow>> rows, double warmupSeconds) =>
        warmupSeconds <= 0 ? rows : rows.Where(r => r.Row.TimeS > warmupSeconds);
}
