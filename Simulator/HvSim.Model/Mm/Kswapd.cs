using HvSim.Engine;

namespace HvSim.Model.Mm;

/// <summary>
/// kswapd: sleeps until an allocation finds free pages at or below the low watermark, then reclaims in
/// SWAP_CLUSTER_MAX batches until free pages (counting those already under writeback) reach the high watermark,
/// or a batch makes no progress (balance_pgdat gives up and sleeps). When the swap queue has no free write request
/// it sleeps until a write completes (get_request_wait / congestion_wait) instead of scanning on.
/// </summary>
public sealed class Kswapd(Host host)
{
    private SimEvent? _wait;

    /// <summary>wakeup_kswapd.</summary>
    public void Wake()
    {
        if (_wait is { IsTriggered: false }) _wait.Trigger();
    }

    public IEnumerable<Command> Run()
    {
        var sim = host.Sim;
        int batch = host.Config.Host.ReclaimBatchPages;
        while (true)
        {
            _wait = sim.NewEvent();
            yield return Command.Wait(_wait);
            _wait = null;
            host.Counters.KswapdWakeups++;
            while (host.FreePages + host.WritebackPages < host.Watermarks.High)
            {
                if (!host.MayWriteToQueue(kswapd: true))
                {
                    yield return Command.Wait(host.SwapDevice.WriteDone);
                    continue;
                }
                int reclaimed = host.Vmscan.Shrink(batch, sim.Now, out long end, kswapd: true);
                yield return Command.Delay(end - sim.Now);
                if (reclaimed == 0) break;
            }
        }
    }
}
