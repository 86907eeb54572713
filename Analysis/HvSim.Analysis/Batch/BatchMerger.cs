using System.Text.Json;
using HvSim.Analysis.Results;
using HvSim.Traces;

namespace HvSim.Analysis.Batch;

/// <summary>
/// `hvsim merge`: combines shard folders of one batch into exactly what a single-machine batch writes. Shard folders
/// come from other machines and people, so nothing in them is trusted: the manifest is checked field by field, run
/// folder names must be safe names (never a path), and a run folder is copied only when every entry in it is a regular
/// file with a name a run folder holds (a symbolic link would copy its target, /etc/shadow or a private key). All of
/// this is checked before anything in --out is touched.
/// </summary>
public static class BatchMerger
{
    /// <summary>The most a shard's manifest.json may hold: its runs' resolved configurations, far below this for any real batch.</summary>
    public const long MaxManifestBytes = 256L << 20;

    public static BatchOutcome Merge(IReadOnlyList<string> shardDirs, string outDir)
    {
        if (shardDirs.Count == 0) throw new BatchInputException("merge needs at least one shard folder (allowed: hvsim merge DIR... --out DIR)");
        string? manifestText = null;
        foreach (var dir in shardDirs)
        {
            var text = ReadManifest(new BatchFolder(dir).ManifestPath);
            if (manifestText is not null && text != manifestText)
                throw new BatchInputException($"{dir}: manifest.json differs from {shardDirs[0]}'s; the folders are not shards of the same batch (allowed: shards of one batch, same scenario files and tool build)");
            manifestText = text;
        }
        var plan = Parse(new BatchFolder(shardDirs[0]).ManifestPath, manifestText!);
        var shards = shardDirs.Select(d => new BatchFolder(d)).ToList();
        foreach (var shard in shards) CheckRunFolders(shard, plan);

        var target = new BatchFolder(outDir);
        Directory.CreateDirectory(target.Runs);
        target.RemoveStaleTemporaries();
        int copied = 0;
        foreach (var run in plan.Runs)
        {
            if (target.IsDone(run)) continue;
            var source = shards.FirstOrDefault(f => f.IsDone(run));
            if (source is null) continue;
            var tmp = AtomicFile.TempFolderFor(target.RunDir(run.RunId));
            foreach (var file in Directory.EnumerateFiles(source.RunDir(run.RunId)))
                File.Copy(file, Path.Combine(tmp, Path.GetFileName(file)));
            if (Directory.Exists(target.RunDir(run.RunId))) Directory.Delete(target.RunDir(run.RunId), recursive: true);
            AtomicFile.CommitFolder(tmp, target.RunDir(run.RunId));
            copied++;
        }
        AtomicFile.Write(target.ManifestPath, s => s.Write(System.Text.Encoding.UTF8.GetBytes(manifestText!)));
        var missing = plan.Runs.Where(r => !target.IsDone(r)).Select(r => (r.RunId, (Exception)new InvalidOperationException("no shard folder has this run"))).ToList();
        if (missing.Count == 0) BatchAggregator.Write(target, plan);
        return new BatchOutcome(plan.Runs.Count, plan.Runs.Count, plan.Runs.Count - copied - missing.Count, copied, missing, missing.Count == 0);
    }

    private static string ReadManifest(string path)
    {
        if (FileKinds.NotRegular(path) is { } problem)
            throw new BatchInputException($"{path}: {(problem == FileKinds.NotFound ? "no manifest.json" : problem)} (allowed: folders written by hvsim batch)");
        long length = new FileInfo(path).Length;
        if (length > MaxManifestBytes) throw new BatchInputException($"{path}: {length} bytes (allowed: a batch manifest of at most {MaxManifestBytes} bytes)");
        return File.ReadAllText(path);
    }

    private static BatchPlan Parse(string path, string text)
    {
        try
        {
            return BatchPlan.FromManifest(JsonNode(text));
        }
        catch (JsonException e)
        {
            throw new BatchInputException($"{path}: not valid JSON: {e.Message} (allowed: manifest.json as hvsim batch writes it)");
        }
        catch (BatchInputException e)
        {
            throw new BatchInputException($"{path}: {e.Message}");
        }
    }

    private static System.Text.Json.Nodes.JsonNode? JsonNode(string text) =>
        System.Text.Json.Nodes.JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { MaxDepth = 64 });

    /// <summary>Refuse a shard whose folder of a planned run holds anything but regular files with the names a run folder has.</summary>
    private static void CheckRunFolders(BatchFolder shard, BatchPlan plan)
    {
        var runs = FileKinds.Of(shard.Runs, followLinks: false);
        if (runs == FileKind.Missing) return;
        if (runs != FileKind.Directory) throw new BatchInputException($"{shard.Runs}: {FileKinds.Describe(runs)}, not a folder (allowed: the runs folder hvsim batch writes)");
        foreach (var run in plan.Runs)
        {
            var dir = shard.RunDir(run.RunId);
            var kind = FileKinds.Of(dir, followLinks: false);
            if (kind == FileKind.Missing) continue;
            if (kind != FileKind.Directory) throw new BatchInputException($"{dir}: {FileKinds.Describe(kind)}, not a folder (allowed: run folders as hvsim batch writes them)");
            foreach (var entry in Directory.EnumerateFileSystemEntries(dir))
            {
                var name = Path.GetFileName(entry);
                var entryKind = FileKinds.Of(entry, followLinks: false);
                if (entryKind != FileKind.Regular)
                    throw new BatchInputException($"{entry}: {FileKinds.Describe(entryKind)}; a run folder holds only regular files (allowed: {string.Join(", ", BatchFolder.RunFiles)})");
                if (!BatchFolder.RunFiles.Contains(name))
                    throw new BatchInputException($"{entry}: not a file a run folder holds (allowed: {string.Join(", ", BatchFolder.RunFiles)})");
            }
        }
    }
}
