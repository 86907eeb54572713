using System.Globalization;

namespace HvSim.Analysis.Batch;

/// <summary>
/// One of <see cref="Count"/> deterministic slices of a batch: the runs whose position in the plan is
/// <see cref="Index"/> modulo <see cref="Count"/> (0-based).
/// </summary>
public sealed record Shard(int Index, int Count)
{
    public const string Allowed = "K/N with 1 <= K <= N (e.g. 2/8), slurm (SLURM_ARRAY_TASK_ID, SLURM_ARRAY_TASK_MIN, SLURM_ARRAY_TASK_COUNT) or k8s (JOB_COMPLETION_INDEX and JOB_COMPLETIONS)";

    public bool Takes(int planPosition) => planPosition % Count == Index;

    public override string ToString() => $"{Index + 1}/{Count}";

    /// <summary>Parse `--shard`; <paramref name="env"/> reads environment variables (tests pass their own).</summary>
    public static Shard Parse(string text, Func<string, string?> env)
    {
        switch (text)
        {
            case "slurm":
            {
                int id = EnvInt(env, "SLURM_ARRAY_TASK_ID");
                int min = env("SLURM_ARRAY_TASK_MIN") is null ? 0 : EnvInt(env, "SLURM_ARRAY_TASK_MIN");
                int count = EnvInt(env, "SLURM_ARRAY_TASK_COUNT");
                return Checked(id - min, count, "slurm");
            }
            case "k8s":
                return Checked(EnvInt(env, "JOB_COMPLETION_INDEX"), EnvInt(env, "JOB_COMPLETIONS"), "k8s");
        }
        var parts = text.Split('/');
        if (parts.Length == 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var k)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            return Checked(k - 1, n, text);
        throw new BatchInputException($"--shard '{text}' is not a shard (allowed: {Allowed})");
    }

    private static Shard Checked(int index, int count, string source)
    {
        if (count < 1 || index < 0 || index >= count)
            throw new BatchInputException($"--shard {source} gives slice {index + 1} of {count}, which does not exist (allowed: {Allowed})");
        return new Shard(index, count);
    }

    private static int EnvInt(Func<string, string?> env, string name)
    {
        var v = env(name);
        if (v is null || !int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var i))
            throw new BatchInputException($"--shard needs the environment variable {name} set to a number, it is {(v is null ? "not set" : $"'{v}'")} (allowed: {Allowed})");
        return i;
    }
}

/// <summary>A batch request that cannot be carried out as given (exit code 2).</summary>
public sealed class BatchInputException(string message) : Exception(message);
