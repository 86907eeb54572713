using HvSim.Analysis.Results;

namespace HvSim.Analysis.Batch;

/// <summary>`hvsim merge`: combines shard folders of one batch into exactly what a single-machine batch writes.</summary>
public static class BatchMerger
{
    public static BatchOutcome Merge(IReadOnlyList<string> shardDirs, string outDir)
    {
        if (shardDirs.Count == 0) throw new BatchInputException("merge needs at least one shard folder (allowed: hvsim merge DIR... --out DIR)");
        string? manifestText = null;
        foreach (var dir in shardDirs)
        {
            var path = new BatchFolder(dir).ManifestPath;
            if (!File.Exists(path)) throw new BatchInputException($"{dir}: no manifest.json (allowed: folders written by hvsim batch)");
            var text = File.ReadAllText(path);
            if (manifestText is not null && text != manifestText)
                throw new BatchInputException($"{dir}: manifest.json differs from {shardDirs[0]}'s; the folders are not shards of the same batch (allowed: shards of one batch, same scenario files and tool build)");
            manifestText = text;
        }
        var plan = BatchPlan.FromManifest(Manifest.Read(new BatchFolder(shardDirs[0]).ManifestPath));
        var target = new BatchFolder(outDir);
        Directory.CreateDirectory(target.Runs);
        target.RemoveStaleTemporaries();
        int copied = 0;
        foreach (var run in plan.Runs)
        {
            if (target.IsDone(run)) continue;
            var source = shardDirs.Select(d => new BatchFolder(d)).FirstOrDefault(f => f.IsDone(run));
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
}
