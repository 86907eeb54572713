using HvSim.Model.Results;

namespace HvSim.Analysis.Planning;

/// <summary>What a plan reports while it runs: each probe replication's start (with its live view) and end, and each probe's verdict.</summary>
public interface IPlanProgress
{
    void RunStarted(PlanPoint point, int replication, RunProgress live);

    void RunFinished(PlanPoint point, int replication);

    void ProbeDone(Probe probe);
}
