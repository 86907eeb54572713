using HvSim.Engine;
using HvSim.Model.Mm;

namespace HvSim.Model.Results;

/// <summary>Records host and per-guest samples at the end of every sampling interval.</summary>
internal sealed class Sampler(Host host, long intervalNs, long endNs)
{
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

    private void Sample(long t)
    {
        long swapCachePages = 0;
        var inRam = new long[host.Vms.Count];
        for (int p = 0; p < host.Pages.Length; p++)
        {
            ref var page = ref host.Pages[p];
            if (!page.InRam) continue;
            inRam[page.Guest]++;
            if (page.SwapSlot >= 0) swapCachePages++;
        }
        long pb = host.PageBytes;
        HostSeries.Add(new HostSample(t, host.FreePages * pb, (long)host.SwapCache.UsedSlots * pb, swapCachePages * pb));
        foreach (var vm in host.Vms)
        {
            var c = vm.Counters;
            long[] now = [c.HdsiFaults, c.MinorFaults, c.MajorFaults, c.UnmapHvaCalls, c.Tlbies, c.Accesses];
            int g = vm.Index;
            GuestSeries.Add(new GuestSample(t, vm.ConfigIndex, inRam[g] * pb,
                now[0] - _last[g, 0], now[1] - _last[g, 1], now[2] - _last[g, 2], now[3] - _last[g, 3], now[4] - _last[g, 4], now[5] - _last[g, 5]));
            for (int k = 0; k < 6; k++) _last[g, k] = now[k];
        }
    }
}
