using HvSim.Analysis.Results;

namespace HvSim.Analysis.Tables;

/// <summary>timeseries.csv holds guest rows and, with guest=host, one host row per interval.</summary>
public static class TimeseriesRows
{
    public const string HostGuest = "host";

    public static bool IsHost(TimeseriesRow row) => row.Guest == HostGuest;
}
