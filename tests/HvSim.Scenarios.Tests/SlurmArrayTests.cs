using System.Diagnostics;

namespace HvSim.Scenarios.Tests;

/// <summary>Skipped, with the reason, when Slurm's daemons are not installed (tests/setup.sh installs them as root).</summary>
public sealed class SlurmFactAttribute : FactAttribute
{
    private static readonly string[] Commands = ["munged", "slurmctld", "slurmd", "sbatch", "squeue", "sinfo", "scontrol"];

    public SlurmFactAttribute()
    {
        if (!OperatingSystem.IsLinux()) Skip = "the Slurm job-array test runs on Linux only";
        else if (Commands.FirstOrDefault(c => !OnPath(c)) is { } missing)
            Skip = $"{missing} is not installed (apt-get install slurmctld slurmd slurm-client munge, done by tests/setup.sh as root)";
    }

    private static bool OnPath(string command) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => d.Length > 0 && File.Exists(Path.Combine(d, command)));
}

/// <summary>
/// The overcommit sweep as a real Slurm job array with `--shard slurm`, merged, must equal a single-machine batch
/// byte for byte (tests/slurm/run-array.sh, the script docs/cluster.md tells users to try).
/// </summary>
public class SlurmArrayTests
{
    [SlurmFact]
    public void JobArrayShardsMergeIntoTheSingleMachineBatch()
    {
        var psi = new ProcessStartInfo("bash", [Repo.Path("tests", "slurm", "run-array.sh"), Repo.Path("tests", "slurm", "overcommit-small.yaml"), "3"])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Repo.Root,
        };
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        var output = stdout.Result + stderr.Result;
        Assert.True(p.ExitCode == 0, $"run-array.sh exited {p.ExitCode}:\n{output}");
        Assert.Contains("PASS: 10 runs in a 3-task Slurm job array", output);
    }
}
