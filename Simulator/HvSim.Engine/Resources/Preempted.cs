namespace HvSim.Engine.Resources;

/// <summary>Interrupt cause given to a process whose unit of <see cref="Resource"/> was taken by <see cref="By"/>.</summary>
public sealed record Preempted(Resource Resource, Process By, long UsageSince);
