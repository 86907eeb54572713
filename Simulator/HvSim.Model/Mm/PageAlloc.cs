using HvSim.Engine;
using HvSim.Model.Guest;

namespace HvSim.Model.Mm;

/// <summary>
/// mm/page_alloc.c's __alloc_pages_slowpath for the order-0 GFP_HIGHUSER_MOVABLE page a guest fault (or its swap
/// readahead) needs, run by a vCPU thread: wake kswapd, take a page above min, else direct reclaim
/// (try_to_free_pages) and retry. First, when the guest's memory cgroup is at memory.max, try_charge's reclaim. The scan_control of each reclaiming thread comes from a small pool, so direct
/// reclaim allocates nothing once the pool has grown to the number of concurrent reclaimers.
/// </summary>
public sealed class PageAlloc(Host host)
{
    private readonly Stack<ScanControl> _pool = new();

    /// <summary>Returns with one page taken; the caller's time is <see cref="Simulation.Now"/> on return.</summary>
    public IEnumerable<Command> AllocPagesSlowpath(Vm mm)
    {
        var sim = host.Sim;
        var wm = host.Watermarks;
        var sc = _pool.Count > 0 ? _pool.Pop() : new ScanControl(host.Config.Host.ReclaimBatchPages);
        sc.Mm = mm;
        foreach (var c in TryCharge(mm, sc)) yield return c;
        while (true)
        {
            if (host.TryAllocateFast()) break;
            host.Kswapd.Wake();
            if (host.FreePages > wm.Min)
            {
                host.TakeFreePage(); // get_page_from_freelist(ALLOC_WMARK_MIN)
                break;
            }
            host.Counters.DirectReclaims++;
            host.Counters.NoteReclaim(sim.Now);
            sc.Begin(sim.Now, host.Config.Host.ReclaimBatchPages);
            while (!host.Vmscan.DoTryToFreePages(sc))
            {
                yield return host.Vmscan.GetRequestWait(sc);
                sc.T = Math.Max(sc.T, sim.Now);
            }
            if (sc.T > sim.Now) yield return Command.Delay(sc.T - sim.Now);
            if (host.FreePages > wm.Min)
            {
                host.TakeFreePage();
                break;
            }
            // Progress but the pages went to others: should_alloc_retry, and wait_iff_congested does not sleep
            // (the zone is never marked congested by swap writes), so reclaim again.
            if (sc.NrReclaimed > 0) continue;
            if (host.WritebackPages > 0)
            {
                // Nothing freeable until a write completes: the kernel's reclaimer spins through the LRU until then
                // (scanning costs CPU time HvSim does not model), so it sleeps until the next write completes.
                yield return Command.Wait(host.SwapDevice.WriteDone);
                continue;
            }
            if (host.FreePages > 0)
            {
                host.TakeFreePage(); // nothing reclaimable: dip into the reserves rather than OOM
                break;
            }
            yield return Command.Wait(host.PageFreed); // an exhausted machine: wait for any page
        }
        sc.Mm = null;
        _pool.Push(sc);
    }

    /// <summary>
    /// try_charge (6.x mm/memcontrol.c) when page_counter_try_charge fails at memory.max: the charging task reclaims
    /// from its cgroup's own lists, try_to_free_mem_cgroup_pages with nr_to_reclaim = max(1, SWAP_CLUSTER_MAX): no
    /// kswapd, no watermarks. It retries while reclaim makes progress; with nothing reclaimed it waits for a write
    /// to complete (pages under writeback), and with nothing under writeback it charges over the limit (the kernel
    /// would OOM-kill: not modelled).
    /// </summary>
    private IEnumerable<Command> TryCharge(Vm mm, ScanControl sc)
    {
        var sim = host.Sim;
        while (mm.Memcg.OverLimit)
        {
            host.Counters.DirectReclaims++;
            host.Counters.NoteReclaim(sim.Now);
            sc.Begin(sim.Now, host.Config.Host.ReclaimBatchPages, cgroupReclaim: true);
            while (!host.Vmscan.DoTryToFreePages(sc))
            {
                yield return host.Vmscan.GetRequestWait(sc);
                sc.T = Math.Max(sc.T, sim.Now);
            }
            if (sc.T > sim.Now) yield return Command.Delay(sc.T - sim.Now);
            if (sc.NrReclaimed > 0) continue;
            if (host.WritebackPages == 0) break;
            yield return Command.Wait(host.SwapDevice.WriteDone);
        }
    }
}
