using HvSim.Model.Results;

namespace HvSim.Analysis.Progress;

/// <summary>
/// How far a command's runs have got, weighted by their expected cost, for a live display: the runs of a batch
/// (<see cref="WorkMeter"/>, known in advance) or the probes of a plan (<see cref="PlanMeter"/>, decided as it goes).
/// Thread-safe: workers report, a display thread samples.
/// </summary>
public interface IProgressMeter
{
    /// <summary>Runs the command will make, when it knows (null for a plan, whose searches decide as they go).</summary>
    int? Count { get; }

    /// <summary>What is done, in words for the overall line ("3/8 done").</summary>
    string Tally { get; }

    void Started(int run, RunProgress live);

    void Finished(int run);

    /// <summary>Record the state at <paramref name="wall"/> since the start; the fraction done and the time left (null until a rate is measured).</summary>
    (double Fraction, TimeSpan? Remaining) Sample(TimeSpan wall);
}
