using HvSim.Model.Config;
using HvSim.Model.Results;

namespace HvSim.Model;

/// <summary>Entry point of the memory model: builds host and guests from a config and runs them to the end.</summary>
public static class SimulationRunner
{
    /// <summary>Run one simulation. <paramref name="progress"/> receives the simulated fraction done (0..1).</summary>
    public static RunResult Run(SimulationConfig config, IProgress<double>? progress = null, CancellationToken cancel = default) =>
        throw new NotImplementedException("the memory model lands with the model branch");
}
