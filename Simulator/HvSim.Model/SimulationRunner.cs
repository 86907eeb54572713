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
    /// <summary>Run one simulation. <paramref name="progress"/> receives the simulated fraction done (0..1).</summary>
    public static RunResult Run(SimulationConfig config, IProgress<double>? progress = null, CancellationToken cancel = default) =>
        Run(config, pages => CreatePolicy(config.Host, pages), progress, cancel);

    /// <summary>
    /// The host's anon LRU: the policy the scenario names, over one page id per host page of guest RAM, sized (SLRU)
    /// for the host memory guests can use (at least one page: with every PPC970 guest refused there are none).
    /// </summary>
    public static IReplacementPolicy CreatePolicy(HostConfig host, int pages) => host.Policy switch
    {
        // 3.4 calculate_zone_inactive_ratio from the zone size (one ppc64 zone holds all of memory); 6.x inactive_is_low
        // from the lists' size.
        ReclaimPolicyKind.TwoList => new TwoListPolicy(pages, host.PageSizeBytes, host.Kernel.InactiveRatioFromLists ? 0 : host.MemoryBytes),
        var kind => ReplacementPolicies.Create(kind.ToString().ToLowerInvariant(), pages,
            (int)Math.Max(1, Math.Min(pages, (host.MemoryBytes - host.ReservedBytes) / host.PageSizeBytes)), host.PageSizeBytes),
    };

    /// <param name="afterEvent">Test hook: runs after each event, before the invariant check.</param>
    internal static RunResult Run(SimulationConfig config, Func<int, IReplacementPolicy> policy, IProgress<double>? progress = null,
        CancellationToken cancel = default, Action<Host>? afterEvent = null)
    {
        ModelConfigValidator.Validate(config);
        var admission = Admission.Decide(config);
        var sim = new Simulation(config.Seed);
        var admitted = new List<int>();
        for (int i = 0; i < config.Guests.Count; i++)
            if (admission[i] == null) admitted.Add(i);
        var host = new Host(sim, config, admitted, policy);
        sim.Start(host.Kswapd.Run(), "kswapd");
        if (host.Ksm != null) sim.Start(host.Ksm.Run(), "ksmd");
        var vcpus = new List<Vcpu>();
        foreach (var vm in host.Vms)
            vcpus.AddRange(Vcore.StartAll(vm, host,
                v => vm.Config.Workload.Create(vm.GuestPageCount, v, vm.Config.Vcpus, sim.Rng($"guest{vm.ConfigIndex}/vcpu{v}"))));
        var sampler = new Sampler(host, config.SampleIntervalNs, config.DurationNs);
        sim.Start(sampler.Run(), "sampler");
        if (config.WarmupNs > 0 && config.WarmupNs < config.DurationNs)
            sim.Schedule(config.WarmupNs, () => EndWarmup(host, sampler));
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
            if ((sim.ProcessedEvents & 0xFFFF) == 0)
            {
                cancel.ThrowIfCancellationRequested();
                progress?.Report((double)sim.Now / end);
            }
        }
        checker?.CheckAll();
        foreach (var vcpu in vcpus) vcpu.FinishRun();
        var hc = host.Counters;
        hc.MeasuredNs = end - Math.Min(config.WarmupNs, end);
        hc.SwapBusyNs = host.SwapDevice.BusyNs(end);
        if (host.Ksm is { } ksm) (hc.KsmPagesShared, hc.KsmPagesSharing) = (ksm.PagesShared, ksm.PagesMerged - ksm.PagesShared);
        hc.SwapReadWait.Merge(host.SwapDevice.ReadWait);
        hc.SwapWriteWait.Merge(host.SwapDevice.WriteWait);
        progress?.Report(1.0);

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
    private static void EndWarmup(Host host, Sampler sampler)
    {
        sampler.BeforeCounterReset();
        foreach (var vm in host.Vms) vm.Counters.ResetCounters();
        host.Counters.ResetCounters();
        host.SwapDevice.ResetStatistics(host.Sim.Now);
    }
}
