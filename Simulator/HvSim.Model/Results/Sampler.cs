using HvSim.Engine;
using HvSim.Model.Mm;

namespace HvSim.Model.Results;

/// <summary>Records host and per-guest samples at the end of every sampling interval.</summary>
internal sealed class Sampler(Host host, long intervalNs, long endNs, Action? endWarmup = null)
{
    /// <summary>With `warmup: auto`: the steady-state rule, until it has ended the warm-up.</summary>
    private SteadyState? _steady = endWarmup is null ? null : new SteadyState(host.Config.Host.MemoryBytes, intervalNs);

    private readonly long[,] _last = new long[host.Vms.Count, 6];

    public List<HostSample> HostSeries { get; } = new();
    public List<GuestSample> GuestSeries { get; } = new();

    public IEnumerable<Command> Run()
    {
        var sim = host.Sim;
        for (long t = intervalNs; t <= endNs; t += intervalNs)
        {
            yield return Command.Delay(t - sim.Now);
            Sample(t);
        }
    }

    /// <summary>Counters are about to restart at the end of warm-up: keep the intervals' counts continuous.</summary>
    public void BeforeCounterReset()
    {
        foreach (var vm in host.Vms)
        {
            long[] now = Counts(vm.Counters);
            for (int k = 0; k < now.Length; k++) _last[vm.Index, k] -= now[k];
        }
    }

    private void Sample(long t)
    {
        long swapCachePages = 0;
        var inRam = new long[host.Vms.Count];
        // The guests' memslots tile the host's pages: each guest's are one range, counted without a lookup per page.
        foreach (var vm in host.Vms)
        {
            var (resident, swapCached) = HostPage.CountInRam(host.Pages.AsSpan(vm.HostBase, vm.HostPageCount));
            inRam[vm.Index] = resident;
            swapCachePages += swapCached;
        }
        long pb = host.PageBytes;
        HostSeries.Add(new HostSample(t, host.FreePages * pb, (long)host.SwapCache.UsedSlots * pb, swapCachePages * pb,
            host.SwapDevice.QueuedReads, host.SwapDevice.QueuedWrites, host.WritebackPages * pb));
        long accesses = 0;
        foreach (var vm in host.Vms)
        {
            long[] now = Counts(vm.Counters);
            int g = vm.Index;
            accesses += now[5] - _last[g, 5];
            GuestSeries.Add(new GuestSample(t, vm.ConfigIndex, inRam[g] * pb,
                now[0] - _last[g, 0], now[1] - _last[g, 1], now[2] - _last[g, 2], now[3] - _last[g, 3], now[4] - _last[g, 4], now[5] - _last[g, 5]));
            for (int k = 0; k < 6; k++) _last[g, k] = now[k];
        }
        if (_steady is not null && host.WarmupEndNs == long.MaxValue
            && _steady.Add(t, accesses, inRam.Sum() * pb, host.Counters.FirstReclaimNs))
        {
            _steady = null;
            endWarmup!();
        }
    }

    /// <summary>The counters a <see cref="GuestSample"/> reports per interval, in its order.</summary>
    private static long[] Counts(GuestResult c) => [c.HdsiFaults, c.MinorFaults, c.MajorFaults, c.UnmapHvaCalls, c.Tlbies, c.Accesses];
}
