using System.Globalization;
using System.Text.Json.Nodes;
using HvSim.Model.Config;

namespace HvSim.Analysis.Tests;

/// <summary>Writes a small results folder from known numbers, in the columns of docs/results-format.md.</summary>
internal sealed class ResultsFixture : IDisposable
{
    public const string SummaryHeader = "scenario,platform,replication,seed,guest,admitted,refusal_reason,guest_memory_bytes,accesses,hpte_hits,h_enter_calls,hdsi_faults,minor_faults,major_faults,fault_retries,unmap_hva_calls,hptes_invalidated,tlbies,age_hva_calls,pages_reclaimed,swap_ins,swap_outs,pinned_pages,fault_latency_mean_us,fault_latency_p50_us,fault_latency_p90_us,fault_latency_p99_us,fault_latency_p999_us,stalled_s,vcpu_s,stall_fraction,simulated_s";
    public const string HostHeader = "scenario,platform,replication,seed,memory_bytes,page_size_bytes,watermark_min_bytes,watermark_low_bytes,watermark_high_bytes,kswapd_wakeups,direct_reclaims,pages_scanned,swap_full_events";
    public const string TimeseriesHeader = "scenario,platform,replication,seed,time_s,guest,resident_bytes,free_bytes,swap_used_bytes,swap_cache_bytes,accesses,hdsi_faults,minor_faults,major_faults,unmap_hva_calls,tlbies";
    public const string FaultLatencyHeader = "scenario,platform,replication,seed,guest,bucket_lower_us,bucket_upper_us,count";

    public string Dir { get; } = Directory.CreateTempSubdirectory("hvsim-analysis-").FullName;
    private readonly bool _batch;
    private readonly List<string> _summary = [], _host = [], _series = [], _latency = [];

    public ResultsFixture(bool batch = false) => _batch = batch;

    /// <summary>Seed of the rows added next (the points of a sweep differ by seed); unset: 100 + replication.</summary>
    public ulong? Seed { get; set; }

    private readonly List<(string RunId, string Platform, int Replication, ulong Seed)> _runs = [];

    private string Key(string platform, int rep, string? runId)
    {
        ulong seed = Seed ?? (ulong)(100 + rep);
        runId ??= $"{platform}-{rep}-{seed}";
        if (!_runs.Contains((runId, platform, rep, seed))) _runs.Add((runId, platform, rep, seed));
        return (_batch ? $"{runId}," : "") + $"quick,{platform},{rep},{seed}";
    }

    /// <summary>
    /// manifest.json as `hvsim run` writes it for the runs added so far: each with <paramref name="config"/> as its
    /// configuration, through the writer's own serialisation.
    /// </summary>
    public string Manifest(SimulationConfig config) => new JsonObject
    {
        ["tool"] = "hvsim run",
        ["scenario"] = "quick",
        ["scenario_file"] = "Scenarios/quickstart.yaml",
        ["runs"] = new JsonArray(_runs.Select(r => (JsonNode)new JsonObject
        {
            ["run_id"] = r.RunId, ["platform"] = r.Platform, ["replication"] = r.Replication, ["seed"] = r.Seed,
            ["config"] = HvSim.Analysis.Results.Manifest.Config(config with { Seed = r.Seed }),
        }).ToArray()),
    }.ToJsonString();

    /// <summary>A configuration with the given times (ns) and no guests, for <see cref="Manifest"/>.</summary>
    public static SimulationConfig Config(long durationNs, long warmupNs) =>
        new() { Name = "quick", Host = new HostConfig(), Guests = [], DurationNs = durationNs, WarmupNs = warmupNs };

    /// <summary>A guest row; unset counters are zero.</summary>
    public ResultsFixture Guest(string platform, int rep, string guest, bool admitted = true, long accesses = 1000,
        long hdsi = 0, long minor = 0, long major = 0, long unmaps = 0, long tlbies = 0, long swapIns = 0, long swapOuts = 0,
        double stalledS = 0, double vcpuS = 10, double simulatedS = 10, double latencyMeanUs = 0, string? runId = null)
    {
        string stall = vcpuS > 0 ? F(stalledS / vcpuS) : "";
        _summary.Add($"{Key(platform, rep, runId)},{guest},{(admitted ? "true" : "false")},{(admitted ? "" : "does not fit")},1073741824,{accesses},0,0,{hdsi},{minor},{major},0,{unmaps},{unmaps},{tlbies},0,0,{swapIns},{swapOuts},0,{(hdsi > 0 ? F(latencyMeanUs) : "")},,,,,{F(stalledS)},{F(vcpuS)},{stall},{F(simulatedS)}");
        return this;
    }

    public ResultsFixture Host(string platform, int rep, long memory = 8L << 30, long wmin = 32L << 20, long kswapd = 0, string? runId = null,
        double? measuredS = null, double? warmupS = null, double? reclaimStartS = null)
    {
        string window = measuredS is null && warmupS is null && reclaimStartS is null ? "" : $",{O(measuredS)},{O(warmupS)},{O(reclaimStartS)}";
        _hostWindow |= window.Length > 0;
        _host.Add($"{Key(platform, rep, runId)},{memory},65536,{wmin},{wmin * 5 / 4},{wmin * 3 / 2},{kswapd},0,0,0{window}");
        return this;
    }

    /// <summary>Some host row has the measured window's columns (measured_s, warmup_s, reclaim_start_s): all rows must.</summary>
    private bool _hostWindow;

    private static string O(double? v) => v is { } d ? F(d) : "";

    public ResultsFixture HostSample(string platform, int rep, double t, long free, long swapUsed, string? runId = null)
    {
        _series.Add($"{Key(platform, rep, runId)},{F(t)},host,,{free},{swapUsed},0,,,,,,");
        return this;
    }

    public ResultsFixture GuestSample(string platform, int rep, double t, string guest, long resident, long hdsi = 0, long minor = 0, long major = 0, long unmaps = 0, long tlbies = 0, string? runId = null)
    {
        _series.Add($"{Key(platform, rep, runId)},{F(t)},{guest},{resident},,,,100,{hdsi},{minor},{major},{unmaps},{tlbies}");
        return this;
    }

    public ResultsFixture Bucket(string platform, int rep, string guest, double lower, double upper, long count, string? runId = null)
    {
        _latency.Add($"{Key(platform, rep, runId)},{guest},{F(lower)},{F(upper)},{count}");
        return this;
    }

    public ResultsFixture Write(string? manifestJson = null, string? runsCsv = null)
    {
        string prefix = _batch ? "run_id," : "";
        Save("summary.csv", prefix + SummaryHeader, _summary);
        if (_host.Count > 0) Save("host.csv", prefix + HostHeader + (_hostWindow ? ",measured_s,warmup_s,reclaim_start_s" : ""), _host);
        if (_series.Count > 0) Save("timeseries.csv", prefix + TimeseriesHeader, _series);
        if (_latency.Count > 0) Save("fault_latency.csv", prefix + FaultLatencyHeader, _latency);
        if (manifestJson is not null) File.WriteAllText(Path.Combine(Dir, "manifest.json"), manifestJson);
        if (runsCsv is not null) File.WriteAllText(Path.Combine(Dir, "runs.csv"), runsCsv);
        return this;
    }

    private void Save(string name, string header, List<string> rows) =>
        File.WriteAllText(Path.Combine(Dir, name), header + "\n" + string.Join("\n", rows) + "\n");

    private static string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    public void Dispose()
    {
        try { Directory.Delete(Dir, recursive: true); } catch (IOException) { }
    }
}
