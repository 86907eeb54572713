using HvSim.Analysis.Batch;
using HvSim.Analysis.Progress;
using HvSim.Analysis.Results;
using HvSim.Model.Config;
using HvSim.Model.Results;

namespace HvSim.Scenarios.Tests;

/// <summary>
/// Batch determinism with a fast deterministic stand-in for the model: results must be byte-identical whatever the
/// worker count, the shard split, repetition, or a crash and resume.
/// </summary>
public class BatchTests
{
    private const string Sweep = """
        name: study
        seed: 5
        platform: both
        replications: 2
        duration: 5s
        interval: 1s
        host: {memory: 8GiB}
        guests: {memory: 1GiB, workload: {kind: zipf}}
        sweep:
          guests.count: [2, 4, 6]
        """;

    private const string Second = """
        name: second
        duration: 3s
        guests: {memory: 512MiB, workload: {kind: uniform}}
        """;

    private static List<Scenario> Scenarios(TempDir dir, string second = Second) =>
        ScenarioSet.Load([dir.File("in/a.yaml", Sweep), dir.File("in/b.yaml", second)]);

    private static BatchOutcome RunBatch(TempDir dir, string outName, int jobs, Shard? shard = null, Func<SimulationConfig, RunResult>? model = null, string second = Second) =>
        new BatchRunner(model ?? FakeModel.Run).Run(Scenarios(dir, second),
            new BatchOptions { OutDir = Path.Combine(dir.Path, outName), Jobs = jobs, Shard = shard, MaxMemoryBytes = long.MaxValue },
            NoRunsProgress.Instance);

    /// <summary>Every file of a results folder but the wall-clock timings, which are allowed to differ.</summary>
    private static SortedDictionary<string, byte[]> Snapshot(string root)
    {
        var files = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var f in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
        {
            var rel = Path.GetRelativePath(root, f);
            if (rel == BatchFolder.TimingTable || Path.GetFileName(rel) == BatchFolder.TimingFile) continue;
            files[rel] = File.ReadAllBytes(f);
        }
        return files;
    }

    private static void AssertSameBytes(string expectedRoot, string actualRoot)
    {
        var expected = Snapshot(expectedRoot);
        var actual = Snapshot(actualRoot);
        Assert.Equal(expected.Keys, actual.Keys);
        foreach (var (name, bytes) in expected)
            Assert.True(bytes.AsSpan().SequenceEqual(actual[name]), $"{name} differs");
    }

    [Fact]
    public void ResultsAreTidyAndComplete()
    {
        using var dir = new TempDir();
        var outcome = RunBatch(dir, "out", jobs: 2);
        Assert.True(outcome.Complete);
        Assert.Equal(3 * 2 * 2 + 1, outcome.Planned);
        var root = Path.Combine(dir.Path, "out");
        var runs = File.ReadAllLines(Path.Combine(root, "runs.csv"));
        Assert.Equal("run_id,scenario,point,platform,replication,seed,host_memory_bytes,host_page_size_bytes,swap_device,aging,guests,total_guest_memory_bytes,duration_s,guests.count", runs[0]);
        Assert.Equal(14, runs.Length);
        Assert.StartsWith("study.p000.power7.r1,study,0,power7,1,", runs[1]);
        Assert.EndsWith(",8589934592,65536,ssd,rbit,2,2147483648,5,2", runs[1]);
        Assert.StartsWith("second.power7.r1,second,0,power7,1,", runs[13]);
        Assert.EndsWith(",1,536870912,3,", runs[13]);
        // summary.csv: one row per guest per run, run_id first, in plan order.
        var summary = File.ReadAllLines(Path.Combine(root, "summary.csv"));
        Assert.StartsWith("run_id,scenario,platform,replication,seed,guest,", summary[0]);
        Assert.Equal(1 + (2 + 4 + 6) * 2 * 2 + 1, summary.Length);
        Assert.StartsWith("study.p000.power7.r1,study,power7,1,", summary[1]);
        var ids = summary.Skip(1).Select(l => l[..l.IndexOf(',')]).Distinct().ToList();
        Assert.Equal(runs.Skip(1).Select(l => l[..l.IndexOf(',')]), ids);
        var timeseries = File.ReadAllLines(Path.Combine(root, "timeseries.csv"));
        Assert.Equal(1 + 5 * ((3 + 5 + 7) * 2 * 2) + 3 * 2, timeseries.Length); // per interval: host + each guest
    }

    [Fact]
    public void WorkerCountDoesNotChangeABit()
    {
        using var dir = new TempDir();
        RunBatch(dir, "j1", jobs: 1);
        RunBatch(dir, "j2", jobs: 2);
        RunBatch(dir, "j2again", jobs: 2);
        AssertSameBytes(Path.Combine(dir.Path, "j1"), Path.Combine(dir.Path, "j2"));
        AssertSameBytes(Path.Combine(dir.Path, "j1"), Path.Combine(dir.Path, "j2again"));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(20)] // more shards than runs: some shards are empty
    public void ShardsMergeIntoExactlyTheUnshardedBatch(int n)
    {
        using var dir = new TempDir();
        RunBatch(dir, "whole", jobs: 2);
        var shardDirs = new List<string>();
        for (int k = 0; k < n; k++)
        {
            var outcome = RunBatch(dir, $"shard{k}", jobs: 1, shard: new Shard(k, n));
            Assert.False(outcome.Complete && n > 1 && outcome.InShard < outcome.Planned);
            shardDirs.Add(Path.Combine(dir.Path, $"shard{k}"));
        }
        Assert.False(File.Exists(Path.Combine(shardDirs[0], "summary.csv")), "a shard alone must not look like a finished batch");
        shardDirs.Reverse(); // merge order does not matter
        var merged = BatchMerger.Merge(shardDirs, Path.Combine(dir.Path, "merged"));
        Assert.True(merged.Complete);
        AssertSameBytes(Path.Combine(dir.Path, "whole"), Path.Combine(dir.Path, "merged"));
    }

    [Fact]
    public void MergeWithAMissingShardSaysWhichRunsAreMissing()
    {
        using var dir = new TempDir();
        RunBatch(dir, "s0", jobs: 1, shard: new Shard(0, 2));
        var merged = BatchMerger.Merge([Path.Combine(dir.Path, "s0")], Path.Combine(dir.Path, "merged"));
        Assert.False(merged.Complete);
        Assert.Equal(13 / 2, merged.Failed.Count); // the runs of shard 1 of 2: plan positions 1, 3, ..., 11
        Assert.False(File.Exists(Path.Combine(dir.Path, "merged", "summary.csv")));
    }

    [Fact]
    public void ShardsPartitionThePlan()
    {
        for (int n = 1; n <= 7; n++)
            for (int i = 0; i < 50; i++)
                Assert.Equal(1, Enumerable.Range(0, n).Count(k => new Shard(k, n).Takes(i)));
    }

    [Fact]
    public void ResumeAfterACrashEqualsAnUninterruptedBatch()
    {
        using var dir = new TempDir();
        RunBatch(dir, "clean", jobs: 2);

        // "Crash": the model dies from the 6th run on, as a killed process would stop; the batch is left unfinished,
        // with leftovers a kill -9 can leave: a half-written run folder and a half-written table of a dead process.
        int calls = 0;
        var crashing = RunBatch(dir, "crashed", jobs: 2, model: c =>
            Interlocked.Increment(ref calls) >= 6 ? throw new InvalidOperationException("killed") : FakeModel.Run(c));
        Assert.False(crashing.Complete);
        var crashed = Path.Combine(dir.Path, "crashed");
        Assert.False(File.Exists(Path.Combine(crashed, "summary.csv")));
        int committed = Directory.GetDirectories(Path.Combine(crashed, "runs")).Length;
        Assert.Equal(5, committed);
        var deadPid = 4_000_000; // above pid_max: no such process
        var partial = Path.Combine(crashed, "runs", $".study.p002.ppc970.r2.tmp-{deadPid}-0123");
        Directory.CreateDirectory(partial);
        File.WriteAllText(Path.Combine(partial, "summary.csv"), "scenario,platf");
        File.WriteAllText(Path.Combine(crashed, $".summary.csv.tmp-{deadPid}-4567"), "run_id,scen");

        int resumedCalls = 0;
        var resumed = RunBatch(dir, "crashed", jobs: 2, model: c => { Interlocked.Increment(ref resumedCalls); return FakeModel.Run(c); });
        Assert.True(resumed.Complete);
        Assert.Equal(committed, resumed.Skipped);
        Assert.Equal(13 - committed, resumedCalls); // finished runs are not redone
        AssertSameBytes(Path.Combine(dir.Path, "clean"), crashed);

        // Running the finished batch again changes nothing and runs nothing.
        int again = 0;
        RunBatch(dir, "crashed", jobs: 1, model: c => { again++; return FakeModel.Run(c); });
        Assert.Equal(0, again);
        AssertSameBytes(Path.Combine(dir.Path, "clean"), crashed);
    }

    [Fact]
    public void AChangedScenarioRedoesTheChangedRuns()
    {
        using var dir = new TempDir();
        RunBatch(dir, "out", jobs: 1);
        int calls = 0;
        var outcome = RunBatch(dir, "out", jobs: 1, model: c => { calls++; return FakeModel.Run(c); }, second: Second.Replace("duration: 3s", "duration: 4s"));
        Assert.Equal(1, calls);
        Assert.True(outcome.Complete);
        Assert.EndsWith(",4,", File.ReadAllLines(Path.Combine(dir.Path, "out", "runs.csv"))[13]);
    }

    [Fact]
    public void AFileNamedTwiceIsTakenOnceButTwoFilesWithOneNameAreRefused()
    {
        using var dir = new TempDir();
        var a = dir.File("in/a.yaml", Sweep);
        var b = dir.File("in/b.yaml", Second);
        var set = ScenarioSet.Load([Path.Combine(dir.Path, "in"), a, Path.Combine(dir.Path, "in", ".", "b.yaml")]);
        Assert.Equal(["study", "second"], set.Select(s => s.Name));

        var clash = dir.File("in2/c.yaml", Second);
        var e = Assert.Throws<BatchInputException>(() => new BatchRunner(FakeModel.Run).Run(ScenarioSet.Load([b, clash]),
            new BatchOptions { OutDir = Path.Combine(dir.Path, "out"), MaxMemoryBytes = long.MaxValue }, NoRunsProgress.Instance));
        Assert.Contains("two scenarios are named 'second'", e.Message);
        Assert.EndsWith("(allowed: a different name: in each scenario file)", e.Message);
    }

    [Fact]
    public void TooMuchMemoryIsRefusedBeforeAnythingIsWritten()
    {
        using var dir = new TempDir();
        var e = Assert.Throws<BatchInputException>(() => new BatchRunner(FakeModel.Run).Run(Scenarios(dir),
            new BatchOptions { OutDir = Path.Combine(dir.Path, "out"), Jobs = 2, MaxMemoryBytes = 1 << 20 }, NoRunsProgress.Instance));
        Assert.Contains("estimated memory", e.Message);
        Assert.Contains("exceeds the limit 1MiB", e.Message);
        Assert.False(Directory.Exists(Path.Combine(dir.Path, "out")));
    }

    [Theory]
    [InlineData("1/4", 0, 4)]
    [InlineData("4/4", 3, 4)]
    public void ShardSpecsParseToAZeroBasedIndexAndACount(string text, int index, int count) => Assert.Equal(new Shard(index, count), Shard.Parse(text, _ => null));

    [Theory]
    [InlineData("0/4", "--shard 0/4 gives slice 0 of 4, which does not exist")]
    [InlineData("5/4", "--shard 5/4 gives slice 5 of 4, which does not exist")]
    [InlineData("1/0", "--shard 1/0 gives slice 1 of 0, which does not exist")]
    [InlineData("half", "--shard 'half' is not a shard")]
    [InlineData("slurm", "--shard needs the environment variable SLURM_ARRAY_TASK_ID set to a number, it is not set")] // no job array variables set
    public void MalformedShardSpecsAreRefusedNamingTheValueAndWhatIsAllowed(string text, string problem)
    {
        var e = Assert.Throws<BatchInputException>(() => Shard.Parse(text, _ => null));
        Assert.Equal($"{problem} (allowed: K/N with 1 <= K <= N (e.g. 2/8), slurm (SLURM_ARRAY_TASK_ID, SLURM_ARRAY_TASK_MIN, SLURM_ARRAY_TASK_COUNT) or k8s (JOB_COMPLETION_INDEX and JOB_COMPLETIONS))", e.Message);
    }

    [Fact]
    public void SlurmAndKubernetesShardsComeFromTheirVariables()
    {
        var slurm = new Dictionary<string, string> { ["SLURM_ARRAY_TASK_ID"] = "3", ["SLURM_ARRAY_TASK_MIN"] = "1", ["SLURM_ARRAY_TASK_COUNT"] = "4" };
        Assert.Equal(new Shard(2, 4), Shard.Parse("slurm", slurm.GetValueOrDefault));
        var k8s = new Dictionary<string, string> { ["JOB_COMPLETION_INDEX"] = "0", ["JOB_COMPLETIONS"] = "8" };
        Assert.Equal(new Shard(0, 8), Shard.Parse("k8s", k8s.GetValueOrDefault));
    }
}
