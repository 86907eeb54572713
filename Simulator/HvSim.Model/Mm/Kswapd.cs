using HvSim.Engine;

namespace HvSim.Model.Mm;

/// <summary>
/// kswapd (mm/vmscan.c of 3.4): sleeps until an allocation finds free pages at or below the low watermark, then runs
/// balance_pgdat until free pages are above the high watermark, pages under writeback earning nothing. Each round
/// (loop_again) starts at DEF_PRIORITY with age_active_anon and shrink_zone, lowers the priority until it has freed
/// SWAP_CLUSTER_MAX pages, and below DEF_PRIORITY - 2 naps in congestion_wait (until a write request is freed below
/// the congestion threshold, at most HZ/10) unless free pages are under min. It gives up when the zone is all
/// unreclaimable. Balanced, it naps HZ/10 (kswapd_try_to_sleep) and sleeps for good only if still balanced then.
/// </summary>
public sealed class Kswapd(Host host)
{
    /// <summary>HZ/10: congestion_wait's timeout and kswapd's short nap.</summary>
    public const long HzTenthNs = 100_000_000;

    private SimEvent? _wait;

    /// <summary>wakeup_kswapd.</summary>
    public void Wake()
    {
        if (_wait is { IsTriggered: false }) _wait.Trigger();
    }

    /// <summary>zone_watermark_ok_safe(high): free pages above the high watermark.</summary>
    private bool Balanced => host.FreePages > host.Watermarks.High;

    public IEnumerable<Command> Run()
    {
        var sim = host.Sim;
        int clusterMax = host.Config.Host.ReclaimBatchPages;
        var sc = new ScanControl(clusterMax) { IsKswapd = true };
        while (true)
        {
            // kswapd_try_to_sleep: a short nap, then sleep until woken if still balanced (or given up on).
            if (Balanced || host.AllUnreclaimable)
            {
                _wait = sim.NewEvent();
                yield return Command.Wait(_wait).Within(HzTenthNs);
                bool woken = _wait.IsTriggered;
                _wait = null;
                if (!woken && (Balanced || host.AllUnreclaimable))
                {
                    _wait = sim.NewEvent();
                    yield return Command.Wait(_wait);
                    _wait = null;
                }
            }
            host.Counters.KswapdWakeups++;
            host.Counters.NoteReclaim(sim.Now);
            // balance_pgdat
            do
            {
                sc.Begin(sim.Now, long.MaxValue); // loop_again
                long totalScanned = 0;
                for (int priority = Vmscan.DefPriority; priority >= 0; priority--)
                {
                    sc.Priority = priority;
                    if (priority == 0) host.SwapToken.Disable(); // "The swap token gets in the way of swapout..."
                    if (host.AllUnreclaimable && priority != Vmscan.DefPriority) break;
                    host.Vmscan.AgeActiveAnon(sc);
                    if (Balanced) break;
                    long scannedBefore = sc.NrScanned;
                    while (!host.Vmscan.ShrinkZone(sc))
                    {
                        yield return host.Vmscan.GetRequestWait(sc);
                        sc.T = Math.Max(sc.T, sim.Now);
                    }
                    totalScanned += sc.NrScanned - scannedBefore;
                    if (!host.ZoneReclaimable) host.AllUnreclaimable = true;
                    if (sc.T > sim.Now) yield return Command.Delay(sc.T - sim.Now);
                    if (host.AllUnreclaimable || Balanced) break;
                    // "kswapd is getting into trouble. Take a nap" (skipped while under min: KSWAPD_SKIP_CONGESTION_WAIT).
                    if (totalScanned > 0 && priority < Vmscan.DefPriority - 2 && host.FreePages > host.Watermarks.Min)
                    {
                        host.Counters.KswapdCongestionWaits++;
                        yield return Command.Wait(host.SwapDevice.CongestionCleared).Within(HzTenthNs);
                        sc.T = sim.Now;
                    }
                    if (sc.NrReclaimed >= clusterMax) break;
                }
                if (sc.T > sim.Now) yield return Command.Delay(sc.T - sim.Now);
            } while (!Balanced && !host.AllUnreclaimable);
        }
    }
}
