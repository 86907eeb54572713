using HvSim.Engine;
using HvSim.Model.Check;
using HvSim.Model.Config;
using HvSim.Model.Guest;
using HvSim.Model.Mm;
using HvSim.Model.Replacement;
using HvSim.Model.Results;

namespace HvSim.Model;

/// <summary>Entry point of the memory model: builds host and guests from a config and runs them to the end.</summary>
public static class SimulationRunner
{
    /// <summary>Run one simulation; <paramref name="progress"/>, when given, lets another thread watch it (<see cref="RunProgress"/>).</summary>
    public static RunResult Run(SimulationConfig config, RunProgress? progress = null, CancellationToken cancel = default) =>
        Run(config, pages => CreatePolicy(config.Host, pages), progress, cancel);

    /// <summary>
    /// The host's anon LRU: the policy the scenario names, over one page id per host page of guest RAM, sized (SLRU)
    /// for the host memory guests can use (at least one page: with every PPC970 guest refused there are none).
    /// </summary>
    public static IReplacementPolicy CreatePolicy(HostConfig host, int pages) =>
        // 3.4 calculate_zone_inactive_ratio from the zone size (one ppc64 zone holds all of memory); 6.x inactive_is_low
        // from the lists' size.
        ReplacementPolicies.Find(host.Policy)!.Create(new PolicySize(pages,
            (int)Math.Max(1, Math.Min(pages, (host.MemoryBytes - host.ReservedBytes) / host.PageSizeBytes)), host.PageSizeBytes,
            host.Kernel.InactiveRatioFromLists ? 0 : host.MemoryBytes));

    /// <param name="afterEvent">Test hook: runs after each event, before the invariant check.</param>
    /// <param name="tables">Test hook: the pool the run's big tables come from, else the process's.</param>
    internal static RunResult Run(SimulationConfig config, Func<int, IReplacementPolicy> policy, RunProgress? progress = null,
        CancellationToken cancel = default, Action<Host>? afterEvent = null, TablePool? tables = null)
    {
        ModelConfigValidator.Validate(config);
        var admission = Admission.Decide(config);
        var sim = new Simulation(config.Seed);
        var admitted = new List<int>();
        for (int i = 0; i < config.Guests.Count; i++)
            if (admission[i] == null) admitted.Add(i);
        // The run's big tables come from the process's pool and go back to it however the run ends.
        using var lease = (tables ?? TablePool.Shared).Open();
        var host = new Host(sim, config, admitted, policy, lease);
        lease.LetGoOfIdle(); // every table rented: nothing idle beside this run
        foreach (var vm in host.Vms) BoltedLinearMap.HtabInitialize(vm, host); // the guests boot before the workload starts
        sim.Start(host.Kswapd.Run(), "kswapd");
        if (host.Ksm != null) sim.Start(host.Ksm.Run(), "ksmd");
        if (host.PageCache is { } cache)
        {
            sim.Start(host.Flusher!.Run(), "flusher");
            sim.Start(new HostIo(host, cache, host.Flusher).Run(), "host-io");
        }
        if (host.Zswap != null) sim.Start(host.Zswap.ShrinkWorker(), "zswap-shrink");
        foreach (var vm in host.Vms)
            if (vm.Balloon is { } balloon) sim.Start(balloon.Run(), $"{vm.Config.Name}/balloon");
        if (config.Host.BalloonPolicy.Enabled) sim.Start(new MomBalloonPolicy(host).Run(), "mom");
        var vcpus = new List<Vcpu>();
        foreach (var vm in host.Vms)
            vcpus.AddRange(Vcore.StartAll(vm, host,
                v => vm.Config.Workload.Create(vm.GuestPageCount, v, vm.Config.Vcpus, sim.Rng($"guest{vm.ConfigIndex}/vcpu{v}"))));
        Sampler sampler = null!;
        sampler = new Sampler(host, config.SampleIntervalNs, config.DurationNs, config.WarmupAuto ? () => EndWarmup(host, sampler, progress) : null);
        sim.Start(sampler.Run(), "sampler");
        // warmup: auto that has not found steady state by half the duration ends its warm-up there (SteadyState).
        long warmupAt = config.WarmupAuto ? config.DurationNs / 2 : config.WarmupNs;
        progress?.Attach(sim, config.DurationNs, warmupAt, host.Vms.Select(vm => vm.Counters), host.Vms.Sum(vm => vm.Config.Vcpus));
        if (warmupAt > 0 && warmupAt < config.DurationNs)
            sim.Schedule(warmupAt, () => EndWarmup(host, sampler, progress));
        var checker = config.CheckInvariants ? new InvariantChecker(host) : null;
        long end = config.DurationNs;
        long sinceCheck = 0, sinceSweep = 0;
        while (sim.Peek() <= end)
        {
            sim.Step();
            afterEvent?.Invoke(host);
            if (checker != null && ++sinceSweep >= config.InvariantFullSweepEveryEvents)
            {
                sinceCheck = sinceSweep = 0;
                checker.CheckAll();
            }
            else if (checker != null && ++sinceCheck >= config.InvariantCheckEveryEvents)
            {
                sinceCheck = 0;
                checker.CheckTouched();
            }
            if ((sim.ProcessedEvents & 0xFFFF) == 0) cancel.ThrowIfCancellationRequested();
        }
        checker?.CheckAll();
        foreach (var vcpu in vcpus) vcpu.FinishRun();
        var hc = host.Counters;
        if (host.WarmupEndNs == long.MaxValue) host.WarmupEndNs = 0; // a duration too short to schedule the fallback
        hc.WarmupNs = Math.Min(host.WarmupEndNs, end);
        hc.MeasuredNs = end - hc.WarmupNs;
        hc.SwapBusyNs = host.SwapDevice.BusyNs(end);
        foreach (var vm in host.Vms) vm.Counters.BalloonPages = vm.Balloon?.NumPages ?? 0;
        if (host.Ksm is { } ksm) (hc.KsmPagesShared, hc.KsmPagesSharing) = (ksm.PagesShared, ksm.PagesMerged - ksm.PagesShared);
        hc.CompressedPoolBytes = host.CompressedPoolPages * host.PageBytes;
        hc.SwapReadWait.Merge(host.SwapDevice.ReadWait);
        hc.SwapWriteWait.Merge(host.SwapDevice.WriteWait);
        progress?.Finish();

        var guests = new List<GuestResult>();
        int k = 0;
        for (int i = 0; i < config.Guests.Count; i++)
        {
            if (admission[i] == null) guests.Add(host.Vms[k++].Counters);
            else guests.Add(new GuestResult { Guest = config.Guests[i].Name, Admitted = false, RefusalReason = admission[i], GuestMemoryBytes = config.Guests[i].MemoryBytes });
        }
        return new RunResult
        {
            Config = config, Guests = guests, Host = host.Counters, HostSeries = sampler.HostSeries, GuestSeries = sampler.GuestSeries,
            SimulatedNs = end, ProcessedEvents = sim.ProcessedEvents,
        };
    }

    /// <summary>End of warm-up: every statistic restarts; the time series keeps its earlier samples.</summary>
    private static void EndWarmup(Host host, Sampler sampler, RunProgress? progress)
    {
        if (host.Config.WarmupAuto && host.WarmupEndNs != long.MaxValue) return; // steady state came first
        host.WarmupEndNs = host.Sim.Now;
        sampler.BeforeCounterReset();
        progress?.BeforeCounterReset();
        foreach (var vm in host.Vms) vm.Counters.ResetCounters();
        host.Counters.ResetCounters();
        host.SwapDevice.ResetStatistics(host.Sim.Now);
    }
}
