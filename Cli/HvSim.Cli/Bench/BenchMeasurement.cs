using System.Diagnostics;

namespace HvSim.Cli.Bench;

/// <summary>
/// One benchmark row: operations done, wall time, process CPU time (tells a slow machine from a busy one),
/// bytes allocated per operation, peak resident memory.
/// </summary>
internal sealed record BenchResult(string Workload, long Operations, double Seconds, double CpuSeconds, double BytesPerOp, long PeakRssBytes)
{
    public double OpsPerSecond => Operations / Seconds;

    /// <summary>Run <paramref name="work"/> once, measuring this thread's allocations and the process's peak RSS.</summary>
    public static BenchResult Measure(string name, Func<long> work)
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        PeakRss.Reset();
        long allocated = GC.GetAllocatedBytesForCurrentThread();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        long ops = work();
        sw.Stop();
        cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        long bytes = GC.GetAllocatedBytesForCurrentThread() - allocated;
        return new BenchResult(name, ops, sw.Elapsed.TotalSeconds, cpu.TotalSeconds, (double)bytes / ops, PeakRss.Read());
    }
}

/// <summary>Peak resident set size from /proc (Linux); resettable so each workload gets its own peak.</summary>
internal static class PeakRss
{
    /// <summary>Writing 5 to clear_refs resets VmHWM to the current RSS (Linux >= 4.0).</summary>
    public static void Reset()
    {
        try { File.WriteAllText("/proc/self/clear_refs", "5"); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    /// <summary>VmHWM in bytes, or -1 where /proc is unavailable.</summary>
    public static long Read()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                    return long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), System.Globalization.CultureInfo.InvariantCulture) * 1024;
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return -1;
    }
}
