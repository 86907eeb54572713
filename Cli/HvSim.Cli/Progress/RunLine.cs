using System.Globalization;
using HvSim.Analysis.Progress;
using HvSim.Model.Results;

namespace HvSim.Cli.Progress;

/// <summary>
/// One run's live line on a terminal: simulated time reached, accesses, the stall since the previous line (over the
/// whole measured window once the run is done), and an ETA
/// from the measured rate of simulated seconds per wall second (<see cref="RateWindow"/>).
/// </summary>
internal sealed class RunLine(string label)
{
    private readonly RateWindow _rate = new(Display.RateWindowSpan);
    private RunSnapshot _previous;

    public string Label { get; } = label;

    public string Describe(RunSnapshot now, TimeSpan wall)
    {
        if (now.DurationNs == 0) return $"{Label}  building host and guests";
        _rate.Add(wall, now.SimulatedNs / 1e9);
        // A finished run's last line shows its stall over the whole measured window, not since the previous line
        // (which may have seen the same end time, leaving nothing to measure).
        string stall = StallText(now.Finished ? default : _previous, now);
        if (now.SimulatedNs > _previous.SimulatedNs) _previous = now;
        string eta = now.Finished ? "done" : "ETA " + Display.Duration(_rate.Remaining(now.DurationNs / 1e9));
        return string.Create(CultureInfo.InvariantCulture,
            $"{Label}  {now.SimulatedNs / 1e9:0.0}/{now.DurationNs / 1e9:0.#} s  {Display.Count(now.Accesses)} accesses  {stall}  {eta}");
    }

    /// <summary>Stall over the simulated time between two snapshots: vCPU time stalled / (simulated time × vCPUs).</summary>
    internal static string StallText(RunSnapshot before, RunSnapshot now)
    {
        if (now.SimulatedNs <= now.WarmupNs) return "stall -- (warm-up)";
        long from = Math.Max(before.SimulatedNs, now.WarmupNs);
        long stalled = now.StalledNs - (before.SimulatedNs >= now.WarmupNs ? before.StalledNs : 0);
        double vcpuNs = (double)(now.SimulatedNs - from) * Math.Max(1, now.Vcpus);
        return vcpuNs <= 0 ? "stall --" : string.Create(CultureInfo.InvariantCulture, $"stall {Math.Clamp(stalled / vcpuNs, 0, 1):0.0%}");
    }
}
