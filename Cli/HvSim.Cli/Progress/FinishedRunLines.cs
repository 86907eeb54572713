using System.Diagnostics;
using System.Globalization;
using HvSim.Analysis.Progress;
using HvSim.Model.Results;

namespace HvSim.Cli.Progress;

/// <summary>
/// Progress off a terminal (a file, a pipe, CI): nothing while runs go on, then exactly one line per finished run, with
/// the cost-weighted ETA of the rest (<see cref="WorkMeter"/>).
/// </summary>
internal sealed class FinishedRunLines(WorkMeter meter, Stopwatch clock, TextWriter? output = null)
{
    private readonly TextWriter _out = output ?? Console.Out;

    /// <summary>A finished simulation: what it simulated.</summary>
    public void Finished(int run, string runId, RunResult result) =>
        Finished(run, runId, string.Create(CultureInfo.InvariantCulture,
            $"done: {result.SimulatedNs / 1e9:0.###} s simulated, {result.Guests.Sum(g => g.Accesses):N0} accesses"));

    /// <summary>A run that ended, said in <paramref name="what"/>.</summary>
    public void Finished(int run, string runId, string what)
    {
        lock (this)
        {
            meter.Finished(run);
            var (_, remaining) = meter.Sample(clock.Elapsed);
            string eta = meter.FinishedCount == meter.Count ? "" : $", ETA {Display.Duration(remaining)}";
            _out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"run {meter.FinishedCount}/{meter.Count} {runId} {what}; {clock.Elapsed.TotalSeconds:0.0} s{eta}"));
        }
    }
}
