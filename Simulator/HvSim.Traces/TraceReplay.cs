using System.Diagnostics;
using HvSim.Model.Replacement;

namespace HvSim.Traces;

/// <summary>One row of <c>hvsim replay</c>.</summary>
public sealed record ReplayResult(string Policy, int Capacity, long Requests, long Misses, double Seconds)
{
    public double MissRatio => Requests == 0 ? 0 : (double)Misses / Requests;
}

/// <summary>Pure page replacement over a trace: every policy at every capacity, demand caching, no warm-up.</summary>
public static class TraceReplay
{
    /// <summary>Page size the two-list inactive ratio assumes when objects are pages: POWER7's 64 KiB.</summary>
    public const long ObjectPageSizeBytes = 64 * 1024;

    /// <param name="loops">Times the trace is replayed back to back through the same cache (&gt;= 1).</param>
    public static ReplayResult Run(DenseTrace trace, string policy, int capacity, int loops = 1)
    {
        if (loops < 1) throw new ArgumentOutOfRangeException(nameof(loops), loops, "loops must be >= 1");
        int pageCount = Math.Max(trace.UniquePages, 1);
        long pageSize = trace.Mapping is { Kind: PageMappingKind.ExpandToPages } expand ? expand.PageSizeBytes : ObjectPageSizeBytes;
        var cache = new ReplayCache(ReplacementPolicies.Create(policy, pageCount, capacity, pageSize), capacity, pageCount);
        int[] pages = trace.Pages;
        var clock = Stopwatch.StartNew();
        for (int loop = 0; loop < loops; loop++)
            foreach (int page in pages)
                cache.Access(page);
        double seconds = clock.Elapsed.TotalSeconds;
        return new ReplayResult(policy, capacity, cache.Requests, cache.Misses, seconds);
    }
}
