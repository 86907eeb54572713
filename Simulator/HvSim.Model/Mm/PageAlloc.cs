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

    /// <summary>
    /// Returns with one page taken; the caller's time is <see cref="Simulation.Now"/> on return. <paramref name="mm"/>
    /// is the faulting guest, or null for a host task (the host I/O stream's page-cache pages, charged to no guest).
    /// </summary>
    public IEnumerable<Command> AllocPagesSlowpath(Vm? mm)
    {
        var sim = host.Sim;
        var wm = host.Watermarks;
        var sc = _pool.Count > 0 ? _pool.Pop() : new ScanControl(host.Config.Host.ReclaimBatchPages);
        sc.Mm = mm;
        if (mm != null)
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
            if (host.PageCache is { NrWriteback: > 0 } cache)
            {
                yield return Command.Wait(cache.Disk.WriteDone); // likewise for page-cache pages the flusher is writing
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

    /// <summary>MEMCG_CHARGE_BATCH (6.1+): the charge batch calculate_high_delay scales the penalty by.</summary>
    public const int MemcgChargeBatch = 64;
    /// <summary>HZ assumed for the jiffy arithmetic of memory.high throttling (CONFIG_HZ_100, ppc64 distribution configs).</summary>
    public const int Hz = 100;
    /// <summary>MAX_RECLAIM_RETRIES.</summary>
    public const int MaxReclaimRetries = 16;
    private const int MemcgDelayPrecisionShift = 20, MemcgDelayScalingShift = 14;

    /// <summary>
    /// mem_cgroup_handle_over_high (6.x mm/memcontrol.c) for the guest's vCPU thread before it runs the guest again
    /// (the notify-resume work x86 KVM runs in xfer_to_guest_mode_handle_work): reclaim_high takes the pages charged
    /// over memory.high from the cgroup's own lists (try_to_free_mem_cgroup_pages, nr_to_reclaim = max(nr_pages,
    /// SWAP_CLUSTER_MAX), then SWAP_CLUSTER_MAX on retries); while the penalty calculate_high_delay gives is over
    /// HZ/100 it retries as long as reclaim makes progress or MAX_RECLAIM_RETRIES allow, then sleeps the penalty
    /// (schedule_timeout_killable, at most 2 s) with the whole vcore out of the guest.
    /// </summary>
    public IEnumerable<Command> MemCgroupHandleOverHigh(Vm mm)
    {
        var memcg = mm.Memcg;
        long nrPages = memcg.NrPagesOverHigh;
        if (nrPages == 0) yield break;
        memcg.NrPagesOverHigh = 0;
        var sim = host.Sim;
        var sc = _pool.Count > 0 ? _pool.Pop() : new ScanControl(host.Config.Host.ReclaimBatchPages);
        sc.Mm = mm;
        int clusterMax = host.Config.Host.ReclaimBatchPages;
        int retries = MaxReclaimRetries;
        bool inRetry = false;
        while (true)
        {
            long reclaimed = 0;
            if (memcg.Usage > memcg.HighPages) // reclaim_high
            {
                mm.Counters.MemcgHighReclaims++;
                sc.Begin(sim.Now, Math.Max(inRetry ? clusterMax : nrPages, clusterMax), cgroupReclaim: true);
                while (!host.Vmscan.DoTryToFreePages(sc))
                {
                    yield return host.Vmscan.GetRequestWait(sc);
                    sc.T = Math.Max(sc.T, sim.Now);
                }
                if (sc.T > sim.Now) yield return Command.Delay(sc.T - sim.Now);
                reclaimed = sc.NrReclaimed;
            }
            long penalty = Math.Min(CalculateHighDelay(memcg.Usage, memcg.HighPages, nrPages), 2L * Hz);
            if (penalty <= Hz / 100) break;
            if (reclaimed > 0 || retries-- > 0)
            {
                inRetry = true;
                continue;
            }
            long ns = penalty * (1_000_000_000L / Hz);
            mm.Counters.MemcgHighThrottleNs += ns;
            yield return Command.Delay(ns);
            break;
        }
        sc.Mm = null;
        _pool.Push(sc);
    }

    /// <summary>
    /// calculate_high_delay with mem_find_max_overage (6.x mm/memcontrol.c), in jiffies before the 2 s clamp:
    /// overage = ((usage - high) &lt;&lt; 20) / high, penalty = overage^2 * HZ &gt;&gt; (20 + 14), scaled by
    /// nr_pages / MEMCG_CHARGE_BATCH.
    /// </summary>
    public static long CalculateHighDelay(long usage, long high, long nrPages)
    {
        if (usage <= high) return 0;
        ulong overage = ((ulong)(usage - high) << MemcgDelayPrecisionShift) / (ulong)Math.Max(high, 1);
        UInt128 penalty = (UInt128)overage * overage * Hz >> (MemcgDelayPrecisionShift + MemcgDelayScalingShift);
        penalty = penalty * (ulong)nrPages / MemcgChargeBatch;
        return penalty > long.MaxValue ? long.MaxValue : (long)penalty;
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
