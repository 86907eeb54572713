using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using HvSim.Analysis.Batch;
using HvSim.Analysis.Progress;

namespace HvSim.Scenarios.Tests;

/// <summary>
/// The hostile-input corpus (issue 13): scenarios, traces, shard folders and command-line options made by an attacker
/// or an unlucky user. Every case runs the real CLI in this process inside a sandbox folder that also holds files the
/// command has no business touching (a `paper/` folder next to --out, a secret) and earlier results in --out, and
/// asserts: the exit code (2, or 0 where the input is legal), a message located at the file (and line:column) at
/// fault, no stack trace, none of the secrets echoed, nothing written or deleted outside --out, and --out exactly as
/// it was (nothing half-written, nothing earlier lost). Files that git cannot hold (FIFOs, symbolic links, devices,
/// megabyte fields) are made here.
/// </summary>
[Collection(CliCollection.Name)]
public class HostileCorpusTests
{
    private static readonly string CorpusDir = Repo.Path("tests", "HvSim.Scenarios.Tests", "Hostile");

    public static TheoryData<string> ScenarioFiles()
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.EnumerateFiles(Path.Combine(CorpusDir, "scenarios"), "*.yaml").Order(StringComparer.Ordinal)) data.Add(Path.GetFileName(f));
        return data;
    }

    [Theory]
    [MemberData(nameof(ScenarioFiles))]
    public void ScenarioIsRefusedLocatedOrRuns(string name)
    {
        using var box = new Sandbox();
        var file = Path.Combine(box.In, name);
        var header = File.ReadLines(file).TakeWhile(l => l.StartsWith('#')).ToList();
        var expect = header.First()["# expect: ".Length..];
        var secrets = header.Where(l => l.StartsWith("# secret: ", StringComparison.Ordinal)).Select(l => l["# secret: ".Length..]).ToArray();
        if (expect == "ok")
        {
            var (exit, _, err) = Cli.Run("run", file, "--out", box.Out("run"));
            Assert.True(exit == 0, err);
            var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(box.Out("run"), "manifest.json")))!;
            // `description:` is documented as copied into manifest.json (docs/scenarios.md, key table).
            Assert.Equal("copied into manifest.json: =1+1, \"quoted\", ünïcödé", manifest["description"]!.GetValue<string>());
            Assert.Empty(Directory.EnumerateFileSystemEntries(box.Root, ".*", SearchOption.TopDirectoryOnly));
            return;
        }
        var location = expect[..expect.IndexOf(' ')];
        var message = expect[(expect.IndexOf(' ') + 1)..];
        var parts = location.Split(':');
        var located = parts.Length == 3 ? $"{Path.Combine(box.In, parts[0])}:{parts[1]}:{parts[2]}" : $"{file}:{location}";
        box.AssertRefused(["validate", file], $"{located}: error: {message}", secrets);
        box.AssertRefused(["run", file, "--out", box.Out("run")], $"{located}: error: {message}", secrets);
    }

    [Fact]
    public void FifosDevicesAndFoldersAreRefusedBeforeTheyAreOpened()
    {
        using var box = new Sandbox();
        var fifo = box.Fifo("pipe.yaml");
        box.AssertRefused(["validate", fifo], $"{fifo}:1:1: error: a named pipe (FIFO), not a regular file");
        box.AssertRefused(["run", fifo, "--out", box.Out("run")], $"{fifo}:1:1: error: a named pipe (FIFO), not a regular file");
        box.AssertRefused(["validate", "/dev/zero"], "/dev/zero:1:1: error: a device (such as /dev/zero), not a regular file");

        var extendsFifo = box.File("extends-fifo.yaml", "extends: pipe.yaml\nguests: {memory: 512MiB, workload: {kind: uniform}}\n");
        box.AssertRefused(["validate", extendsFifo], $"{extendsFifo}:1:10: error: 'extends' names a named pipe (FIFO), not a regular file: ");

        var traceFifo = box.Fifo("trace.bin");
        const string workload = "  workload: {kind: trace, path: trace.bin, format: oracleGeneral}";
        var usesFifo = box.File("trace-fifo.yaml", $"guests:\n  memory: 512MiB\n{workload}\n");
        box.AssertRefused(["validate", usesFifo], $"{usesFifo}:3:{workload.IndexOf("trace.bin") + 1}: error: {traceFifo} is a named pipe (FIFO), not a regular file");
        box.AssertRefused(["mrc", traceFifo, "--out", box.Out("mrc")], $"{traceFifo}: cannot open the trace: it is a named pipe (FIFO), not a regular file");
        box.AssertRefused(["mrc", "/dev/zero", "--format", "oracleGeneral", "--out", box.Out("mrc")],
            "/dev/zero: cannot open the trace: it is a device (such as /dev/zero), not a regular file");
        box.AssertRefused(["plan", "/dev/zero", "--out", box.Out("plan")], "/dev/zero:1:1: error: a device (such as /dev/zero), not a regular file");
        box.AssertRefused(["plan", fifo, "--out", box.Out("plan")], $"{fifo}:1:1: error: a named pipe (FIFO), not a regular file");
    }

    [Fact]
    public void TraceErrorsQuoteAFieldCutShort()
    {
        using var box = new Sandbox();
        var trace = box.File("huge-field.csv", "1,2,3,R\n1," + new string('A', 2 << 20) + ",3,R\n");
        var err = box.AssertRefused(["mrc", trace, "--out", box.Out("mrc")], $"{trace}: record 2: line 2: object id 'AAAA");
        Assert.Contains("... (2097152 bytes)' in column 2", err);
        Assert.True(err.Length < 1000, $"a 2 MiB field made a {err.Length}-character message");
    }

    [Fact]
    public void VscsiBytesReadAsOracleGeneralAreRefused()
    {
        using var box = new Sandbox();
        // Three vSCSI v1 records (32 bytes: ts u32, length u32, ..., opcode, version 1 at byte 15, lba u64, ts µs u64) are
        // four 24-byte oracleGeneral records. Their next-access fields (bytes 16..23 of each) all lie in the future, so
        // only the time order, which libCacheSim's traceConv guarantees, tells that they are not oracleGeneral.
        var bytes = new byte[96];
        for (int i = 0; i < 3; i++)
        {
            var r = bytes.AsSpan(32 * i, 32);
            BitConverter.TryWriteBytes(r, (uint)(900 - i));
            BitConverter.TryWriteBytes(r[4..], 4096u);
            BitConverter.TryWriteBytes(r[12..], (ushort)0x28);
            r[15] = 1;
            BitConverter.TryWriteBytes(r[16..], 1_000_000L + 8 * i);
            BitConverter.TryWriteBytes(r[24..], 5_000_000L + i);
        }
        var trace = Path.Combine(box.Root, "vscsi-as.oracleGeneral");
        File.WriteAllBytes(trace, bytes);
        // Read as 24-byte oracleGeneral records, each record's time is its first 4 bytes: record 1's is vSCSI record 0's
        // time, 900; record 2's (bytes 24..27) the low half of vSCSI record 0's time in µs, 5,000,000; record 3's (bytes
        // 48..51) the low half of vSCSI record 1's lba, 1,000,008: earlier than record 2's.
        box.AssertRefused(["mrc", trace, "--format", "oracleGeneral", "--out", box.Out("mrc")],
            $"{trace}: record 3: time 1000008 s is before the previous record's 5000000 s (records are in time order)");
    }

    /// <summary>Shard folders from elsewhere: each case changes a copy of two real shards, then merges them.</summary>
    public static TheoryData<string> ShardCases() => new(ShardMutations.Keys.Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(ShardCases))]
    public void HostileShardIsRefusedBeforeOutIsTouched(string name)
    {
        using var box = new Sandbox();
        var shards = box.Shards();
        var located = ShardMutations[name](box, shards);
        box.AssertRefused(["merge", shards[0], shards[1], "--out", box.Out("batch")], located, ["s3cr3t"]);
    }

    private static readonly Dictionary<string, Func<Sandbox, string[], string>> ShardMutations = new()
    {
        // P1: a run id that climbs out of runs/ made merge delete ./paper and fill it with the shard's files.
        ["run-id-traversal"] = (box, s) => EditManifests(s, m => m["runs"]![0]!["run_id"] = "../../paper", "runs[0].run_id '../../paper' is not a run id"),
        ["run-id-absolute"] = (box, s) => EditManifests(s, m => m["runs"]![0]!["run_id"] = box.Outside, "runs[0].run_id"),
        ["run-id-dot-dot"] = (box, s) => EditManifests(s, m => m["runs"]![0]!["run_id"] = "..", "runs[0].run_id '..' is not a run id"),
        ["run-id-twice"] = (box, s) => EditManifests(s, m => m["runs"]![1]!["run_id"] = m["runs"]![0]!["run_id"]!.GetValue<string>(), "runs[1].run_id '"),
        // P1: symbolic links inside run folders were copied as their targets.
        ["symlink-file-in-run"] = (box, s) =>
        {
            var summary = Path.Combine(FirstRunDir(s), "summary.csv");
            File.Delete(summary);
            File.CreateSymbolicLink(summary, box.Secret);
            return $"{summary}: a symbolic link; a run folder holds only regular files";
        },
        ["symlink-run-folder"] = (box, s) =>
        {
            var run = FirstRunDir(s);
            Directory.Delete(run, recursive: true);
            Directory.CreateSymbolicLink(run, box.Outside);
            return $"{run}: a symbolic link, not a folder";
        },
        ["stranger-file-in-run"] = (box, s) =>
        {
            var extra = Path.Combine(FirstRunDir(s), "id_rsa");
            File.WriteAllText(extra, "s3cr3t");
            return $"{extra}: not a file a run folder holds";
        },
        ["fifo-in-run"] = (box, s) =>
        {
            var fifo = Path.Combine(FirstRunDir(s), "host.csv");
            File.Delete(fifo);
            Sandbox.MakeFifo(fifo);
            return $"{fifo}: a named pipe (FIFO); a run folder holds only regular files";
        },
        // P2: malformed manifests ended in `internal error`, exit 1.
        ["manifest-empty"] = (box, s) => WriteManifests(s, "", "not valid JSON"),
        ["manifest-list"] = (box, s) => WriteManifests(s, "[]", "not the manifest of an hvsim batch"),
        ["manifest-not-json"] = (box, s) => WriteManifests(s, "hvsim batch, honest", "not valid JSON"),
        ["manifest-empty-object"] = (box, s) => WriteManifests(s, "{}", "not the manifest of an hvsim batch"),
        ["manifest-null"] = (box, s) => WriteManifests(s, "null", "not the manifest of an hvsim batch"),
        ["manifest-deep"] = (box, s) => WriteManifests(s, new string('[', 100_000), "not valid JSON"),
        ["runs-missing"] = (box, s) => EditManifests(s, m => m.AsObject().Remove("runs"), "'runs' is missing or not a list"),
        ["runs-not-a-list"] = (box, s) => EditManifests(s, m => m["runs"] = 5, "'runs' is missing or not a list"),
        ["scenarios-missing"] = (box, s) => EditManifests(s, m => m.AsObject().Remove("scenarios"), "'scenarios' is missing or not a list"),
        ["run-not-an-object"] = (box, s) => EditManifests(s, m => m["runs"]![0] = "run", "runs[0].run_id is missing"),
        ["run-id-missing"] = (box, s) => EditManifests(s, m => m["runs"]![0]!.AsObject().Remove("run_id"), "runs[0].run_id is missing"),
        ["run-id-number"] = (box, s) => EditManifests(s, m => m["runs"]![0]!["run_id"] = 7, "runs[0].run_id is not a string"),
        ["seed-negative"] = (box, s) => EditManifests(s, m => m["runs"]![0]!["seed"] = -1, "runs[0].seed is not a whole number in range"),
        ["seed-text"] = (box, s) => EditManifests(s, m => m["runs"]![0]!["seed"] = "s3cr3t", "runs[0].seed is not a whole number in range"),
        ["point-missing"] = (box, s) => EditManifests(s, m => m["runs"]![0]!.AsObject().Remove("point"), "runs[0].point is missing"),
        ["parameters-list"] = (box, s) => EditManifests(s, m => m["runs"]![0]!["parameters"] = new JsonArray(), "runs[0].parameters is missing or not an object"),
        ["parameter-number"] = (box, s) => EditManifests(s, m => m["runs"]![0]!["parameters"]!["guests.count"] = 2, "runs[0].parameters.guests.count is not a string"),
        ["config-missing"] = (box, s) => EditManifests(s, m => m["runs"]![0]!.AsObject().Remove("config"), "runs[0].config is missing or not an object"),
        ["manifest-missing"] = (box, s) =>
        {
            File.Delete(Path.Combine(s[0], "manifest.json"));
            return $"{Path.Combine(s[0], "manifest.json")}: no manifest.json";
        },
        ["manifest-fifo"] = (box, s) =>
        {
            var manifest = Path.Combine(s[0], "manifest.json");
            File.Delete(manifest);
            Sandbox.MakeFifo(manifest);
            return $"{manifest}: a named pipe (FIFO), not a regular file";
        },
        ["manifest-dev-zero"] = (box, s) =>
        {
            var manifest = Path.Combine(s[0], "manifest.json");
            File.Delete(manifest);
            File.CreateSymbolicLink(manifest, "/dev/zero");
            return $"{manifest}: a device (such as /dev/zero), not a regular file";
        },
    };

    private static string FirstRunDir(string[] shards) =>
        Directory.EnumerateDirectories(Path.Combine(shards[0], BatchFolder.RunsFolder)).Order(StringComparer.Ordinal).First();

    private static string WriteManifests(string[] shards, string text, string problem)
    {
        foreach (var s in shards) File.WriteAllText(Path.Combine(s, "manifest.json"), text);
        return $"{Path.Combine(shards[0], "manifest.json")}: {problem}";
    }

    private static string EditManifests(string[] shards, Action<JsonNode> edit, string problem)
    {
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(shards[0], "manifest.json")))!;
        edit(manifest);
        return WriteManifests(shards, manifest.ToJsonString(), problem);
    }

    /// <summary>--out values no one means: every command that takes --out refuses them at parse time.</summary>
    [Theory]
    [InlineData("run")]
    [InlineData("batch")]
    [InlineData("merge")]
    [InlineData("mrc")]
    [InlineData("plan")]
    public void BlankOutIsRefusedByEveryCommand(string command)
    {
        using var box = new Sandbox();
        string input = box.File("legal.yaml", File.ReadAllText(Path.Combine(CorpusDir, "scenarios", "legal-with-description.yaml")));
        foreach (var (value, problem) in new[]
                 {
                     ("", "is empty (allowed: a folder path, existing or new)"), (" ", "is blank (allowed: a folder path, existing or new)"),
                     ("  ", "is blank (allowed: a folder path, existing or new)"),
                     ($"{box.Root}/ /x", "has a folder name made of spaces only (allowed: folder names with something besides spaces)"),
                 })
            box.AssertRefused([command, input, "--out", value], $"hvsim: --out '{value}' {problem}");
    }

    /// <summary>P2: a read-only --out was found only after the whole simulation; it is refused when claimed.</summary>
    [Fact]
    public void UnwritableOutIsRefusedBeforeAnythingIsSimulated()
    {
        using var box = new Sandbox();
        string input = box.File("legal.yaml", File.ReadAllText(Path.Combine(CorpusDir, "scenarios", "legal-with-description.yaml")));
        // /proc takes no new folders, even from root (so this needs no read-only mount and no unprivileged user).
        var (exit, stdout, err) = Cli.Run("run", input, "--out", "/proc/hvsim-cannot-be-here/out");
        // The environment's failure, not bad input: exit 1, as a full disk (CliRunner), but before the simulation.
        Assert.True(exit == 1, err);
        Assert.Contains("hvsim: error: --out /proc/hvsim-cannot-be-here/out cannot be written: ", err);
        Assert.Equal("", stdout); // no summary table: nothing ran
    }

    /// <summary>
    /// A folder with: in/ (the corpus scenarios, copied so that their relative paths and what is next to them are
    /// sandboxed), outside/ (a secret and a `paper` folder no command may touch), out/ (earlier results of one kind of
    /// command, which a refused command must leave as they were).
    /// </summary>
    private sealed class Sandbox : IDisposable
    {
        private readonly TempDir _dir = new();
        public string Root => _dir.Path;
        public string In => Path.Combine(Root, "in");
        /// <summary>The results folder of one kind of command (run, batch, mrc, plan), holding earlier results of that kind.</summary>
        public string Out(string kind) => Path.Combine(Root, "out-" + kind);
        public string Outside => Path.Combine(Root, "outside");
        public string Secret => Path.Combine(Outside, "secret.txt");

        public Sandbox()
        {
            Directory.CreateDirectory(In);
            foreach (var f in Directory.EnumerateFiles(Path.Combine(CorpusDir, "scenarios"))) System.IO.File.Copy(f, Path.Combine(In, Path.GetFileName(f)));
            Directory.CreateDirectory(Path.Combine(Root, "paper"));
            System.IO.File.WriteAllText(Path.Combine(Root, "paper", "draft.tex"), "my paper");
            Directory.CreateDirectory(Outside);
            System.IO.File.WriteAllText(Secret, "s3cr3t");
            foreach (var kind in new[] { "run", "batch", "mrc", "plan" })
            {
                Directory.CreateDirectory(Out(kind));
                System.IO.File.WriteAllText(Path.Combine(Out(kind), "manifest.json"), $$"""{"tool": "hvsim {{kind}}", "kind": "{{kind}}"}""" + "\n");
                System.IO.File.WriteAllText(Path.Combine(Out(kind), "summary.csv"), "earlier results\n");
            }
        }

        public string File(string name, string text) => _dir.File(name, text);

        public string Fifo(string name)
        {
            var path = Path.Combine(Root, name);
            MakeFifo(path);
            return path;
        }

        public static void MakeFifo(string path) => Assert.Equal(0, mkfifo(path, 0x1A4 /* 0644 */));

        [DllImport("libc", SetLastError = true)]
        private static extern int mkfifo([MarshalAs(UnmanagedType.LPUTF8Str)] string path, uint mode);

        /// <summary>Two shards (1/2 and 2/2) of a small batch, written by the real batch runner with the fast stand-in model.</summary>
        public string[] Shards()
        {
            var scenario = File("shards/in/study.yaml", "name: study\nduration: 2s\ninterval: 1s\nplatform: both\nhost: {memory: 2GiB}\nguests: {memory: 512MiB, workload: {kind: uniform}}\nsweep:\n  guests.count: [1, 2]\n");
            var shards = new[] { Path.Combine(Root, "shards", "s0"), Path.Combine(Root, "shards", "s1") };
            for (int k = 0; k < 2; k++)
                new BatchRunner(FakeModel.Run).Run(ScenarioSet.Load([scenario]),
                    new BatchOptions { OutDir = shards[k], Jobs = 1, Shard = new Shard(k, 2), MaxMemoryBytes = long.MaxValue }, NoRunsProgress.Instance);
            return shards;
        }

        /// <summary>Run the CLI and check everything the corpus promises; returns stderr.</summary>
        public string AssertRefused(string[] args, string located, string[]? secrets = null)
        {
            var before = Snapshot(Root);
            var (exit, stdout, err) = Cli.Run(args);
            string all = stdout + err;
            Assert.True(exit == 2, $"hvsim {string.Join(' ', args)}: exit {exit}\n{all}");
            Assert.Contains(located, err);
            Assert.DoesNotContain("   at ", all);
            Assert.DoesNotContain("Unhandled exception", all);
            Assert.DoesNotContain("internal error", all);
            foreach (var secret in (secrets ?? []).Append("s3cr3t"))
                Assert.DoesNotContain(secret, all);
            // Nothing written, deleted or left half-written anywhere, --out included (its earlier results stay).
            var after = Snapshot(Root);
            Assert.Equal(before.Keys.Order(StringComparer.Ordinal), after.Keys.Order(StringComparer.Ordinal));
            foreach (var (path, hash) in before) Assert.True(after[path] == hash, $"{path} changed");
            return err;
        }

        /// <summary>Every entry under <paramref name="root"/> without following links: files by content hash, the rest by kind.</summary>
        private static Dictionary<string, string> Snapshot(string root)
        {
            var result = new Dictionary<string, string>(StringComparer.Ordinal);
            var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = false };
            foreach (var entry in Directory.EnumerateFileSystemEntries(root, "*", options))
            {
                var info = new FileInfo(entry);
                // A FIFO or device shows as an empty file: never opened (it would block or never end).
                result[Path.GetRelativePath(root, entry)] =
                    info.LinkTarget is { } target ? "link to " + target
                    : Directory.Exists(entry) ? "folder"
                    : info.Length == 0 ? "empty"
                    : Convert.ToHexString(SHA256.HashData(System.IO.File.ReadAllBytes(entry)));
            }
            return result;
        }

        public void Dispose() => _dir.Dispose();
    }
}
