namespace HvSim.Analysis.Tables;

/// <summary>A folder that is not a results folder, or a results file that does not follow docs/results-format.md.</summary>
public sealed class ResultsFolderException(string message, Exception? inner = null) : Exception(message, inner);
