using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using HvSim.Engine.Monitors;
using HvSim.Model.Config;

namespace HvSim.Model.Results;

/// <summary>What one run produced. Plain data: writing CSV or plots is the Analysis layer's job.</summary>
public sealed class RunResult
{
    public required SimulationConfig Config { get; init; }
    public required IReadOnlyList<GuestResult> Guests { get; init; }
    public required HostResult Host { get; init; }
    public required IReadOnlyList<HostSample> HostSeries { get; init; }
    public required IReadOnlyList<GuestSample> GuestSeries { get; init; }
    public long SimulatedNs { get; init; }
    public long ProcessedEvents { get; init; }
}

public sealed class GuestResult
{
    public required string Guest { get; init; }
    public bool Admitted { get; init; }
    public string? RefusalReason { get; init; }
    public long GuestMemoryBytes { get; init; }
    public long Accesses { get; set; }
    public long HpteHits { get; set; }
    public long HEnterCalls { get; set; }
    public long HdsiFaults { get; set; }
    public long MinorFaults { get; set; }
    public long MajorFaults { get; set; }
    public long FaultRetries { get; set; }
    public long UnmapHvaCalls { get; set; }
    public long HptesInvalidated { get; set; }
    public long Tlbies { get; set; }
    public long AgeHvaCalls { get; set; }
    public long PagesReclaimed { get; set; }
    public long SwapIns { get; set; }
    public long SwapOuts { get; set; }
    /// <summary>PPC970: pages pinned by get_user_pages on a first H_ENTER (the RMA's pages were there from boot and are not counted).</summary>
    public long PinnedPages { get; set; }
    /// <summary>H_REMOVE hcalls (the guest evicting its own HPTEs from full PTEGs).</summary>
    public long HRemoveCalls { get; set; }
    /// <summary>HDSIs taken by a store to an HPTE the host mapped read-only (second exit of kernel-model.md §2.3.3).</summary>
    public long ProtectionFaults { get; set; }
    /// <summary>Full exits to the host kernel (HDSI virtual-mode handling and PPC970 first-touch H_ENTER).</summary>
    public long Exits { get; set; }
    /// <summary>Times a vCPU running guest code was pulled out because a sibling thread of its vcore exited (POWER7).</summary>
    public long VcoreExits { get; set; }
    /// <summary>
    /// vCPU time spent out of the guest because a sibling thread of the vcore trapped (its exit and the runner's handling
    /// of the vcore's faults), summed over vCPUs; part of <see cref="StalledNs"/>.
    /// </summary>
    public long SiblingWaitNs { get; set; }
    /// <summary>reclaim_high passes the guest's vCPU threads ran for memory.high (memory.events "high").</summary>
    public long MemcgHighReclaims { get; set; }
    /// <summary>Time the guest's vCPU threads slept in memory.high throttling (mem_cgroup_handle_over_high), ns; part of <see cref="StalledNs"/>.</summary>
    public long MemcgHighThrottleNs { get; set; }
    /// <summary>Stores that broke a KSM page (do_wp_page copying a PageKsm page).</summary>
    public long KsmCowFaults { get; set; }
    /// <summary>Guest pages the virtio balloon took (fill_balloon) and gave back when the guest needed them (leak_balloon).</summary>
    public long BalloonInflated { get; set; }
    public long BalloonDeflated { get; set; }
    /// <summary>Guest pages the balloon gave back towards a lower target (leak_balloon from the balloon thread).</summary>
    public long BalloonLeaked { get; set; }
    /// <summary>Host pages in RAM that the balloon's madvise(MADV_DONTNEED) freed.</summary>
    public long BalloonPagesFreed { get; set; }
    /// <summary>Time the balloon's requests took (the guest's balloon thread and QEMU's handler), ns.</summary>
    public long BalloonCpuNs { get; set; }
    /// <summary>Guest pages in the balloon at the end of the run (num_pages / VIRTIO_BALLOON_PAGES_PER_PAGE): a level, not reset at warm-up.</summary>
    public long BalloonPages { get; set; }
    /// <summary>Faults (HDSI or PPC970 first-touch H_ENTER) still in progress when the run ended; their time so far is in <see cref="StalledNs"/>.</summary>
    public long FaultsInFlightAtEnd { get; set; }
    /// <summary>Age at the end of the run of the oldest fault still in progress, ns (0 when none).</summary>
    public long OldestFaultInFlightNs { get; set; }
    /// <summary>vCPU time spent stalled in exits, faults, I/O and reclaim, summed over vCPUs (after warm-up).</summary>
    public long StalledNs { get; set; }
    /// <summary>vCPU time simulated, summed over vCPUs (after warm-up).</summary>
    public long VcpuNs { get; set; }
    public double StallFraction => VcpuNs == 0 ? 0 : (double)StalledNs / VcpuNs;
    /// <summary>Where <see cref="StalledNs"/> went, ns per <see cref="StallCause"/>; the parts add up to it exactly.</summary>
    public long StallExitNs { get => _stallParts[(int)StallCause.Exit]; set => _stallParts[(int)StallCause.Exit] = value; }
    public long StallSwapQueueNs { get => _stallParts[(int)StallCause.SwapQueue]; set => _stallParts[(int)StallCause.SwapQueue] = value; }
    public long StallSwapServiceNs { get => _stallParts[(int)StallCause.SwapService]; set => _stallParts[(int)StallCause.SwapService] = value; }
    public long StallDirectReclaimNs { get => _stallParts[(int)StallCause.DirectReclaim]; set => _stallParts[(int)StallCause.DirectReclaim] = value; }
    public long StallSiblingNs { get => _stallParts[(int)StallCause.Sibling]; set => _stallParts[(int)StallCause.Sibling] = value; }
    public long StallOtherNs { get => _stallParts[(int)StallCause.Other]; set => _stallParts[(int)StallCause.Other] = value; }

    /// <summary>The stall parts, one slot per <see cref="StallCause"/> in its order, so that adding to one takes no branch (several per fault).</summary>
    private StallParts _stallParts;

    /// <summary>
    /// Adds <paramref name="ns"/> of stalled vCPU time to its cause's part. <see cref="StalledNs"/> is counted on its
    /// own (a vCPU's whole time out of the guest), so that the parts adding up to it is a check of the bookkeeping.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void AddStallPart(StallCause cause, long ns) => _stallParts[(int)cause] += ns;

    /// <summary>
    /// Adds every part of <paramref name="parts"/> to its cause's part (a part of 0 changes nothing): two causes per
    /// vector add (once per fault of a lone thread, where a loop with its bounds checks cost about 55 instructions).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void AddStallParts(in StallParts parts)
    {
        ref long mine = ref Unsafe.As<StallParts, long>(ref _stallParts);
        ref long add = ref Unsafe.As<StallParts, long>(ref Unsafe.AsRef(in parts));
        nuint c = 0;
        for (; c + 2 <= StallParts.Causes; c += 2)
            (Vector128.LoadUnsafe(ref mine, c) + Vector128.LoadUnsafe(ref add, c)).StoreUnsafe(ref mine, c);
        for (; c < StallParts.Causes; c++) Unsafe.Add(ref mine, c) += Unsafe.Add(ref add, c);
    }

    /// <summary>Latency of each HDSI from the faulting access to guest resume, ns.</summary>
    public LogHistogram FaultLatency { get; } = new();

    /// <summary>
    /// End of warm-up: event counters restart so they cover the same window as <see cref="StalledNs"/>,
    /// <see cref="VcpuNs"/> and <see cref="FaultLatency"/>. <see cref="PinnedPages"/> is a level and is kept.
    /// </summary>
    internal void ResetCounters()
    {
        Accesses = HpteHits = HEnterCalls = HdsiFaults = MinorFaults = MajorFaults = FaultRetries = 0;
        UnmapHvaCalls = HptesInvalidated = Tlbies = AgeHvaCalls = PagesReclaimed = SwapIns = SwapOuts = 0;
        HRemoveCalls = ProtectionFaults = Exits = VcoreExits = MemcgHighReclaims = MemcgHighThrottleNs = KsmCowFaults = 0;
        BalloonInflated = BalloonDeflated = BalloonLeaked = BalloonPagesFreed = BalloonCpuNs = 0;
    }
}

public sealed class HostResult
{
    public long MemoryBytes { get; init; }
    public int PageSizeBytes { get; init; }
    public long WatermarkMinPages { get; init; }
    public long WatermarkLowPages { get; init; }
    public long WatermarkHighPages { get; init; }
    public long KswapdWakeups { get; set; }
    public long DirectReclaims { get; set; }
    /// <summary>Inactive-list pages reclaim isolated (pgscan_kswapd + pgscan_direct).</summary>
    public long PagesScanned { get; set; }
    /// <summary>Pages reclaim freed (pgsteal); a page written to swap counts when a later scan frees it.</summary>
    public long PagesFreed { get; set; }
    public long SwapFullEvents { get; set; }
    /// <summary>Pages written to swap (pageout) and read from it (swap-in including readahead).</summary>
    public long SwapWrites { get; set; }
    public long SwapReads { get; set; }
    /// <summary>Swap write and read requests submitted (a merged write or a readahead read is one request).</summary>
    public long SwapWriteRequests { get; set; }
    public long SwapReadRequests { get; set; }
    /// <summary>Pages shrink_active_list moved from the active to the inactive list (pgrefill).</summary>
    public long PagesDeactivated { get; set; }
    /// <summary>Times a reclaimer slept in get_request_wait because all swap write requests were taken.</summary>
    public long WriteRequestWaits { get; set; }
    /// <summary>Times kswapd napped in congestion_wait below DEF_PRIORITY - 2.</summary>
    public long KswapdCongestionWaits { get; set; }
    /// <summary>Pages page_referenced reported referenced only because their guest held the swap token (mm/thrash.c).</summary>
    public long SwapTokenReferences { get; set; }
    /// <summary>Pages ksmd scanned (full_scans x pages, ksm_do_scan) and the host CPU it spent on them, ns.</summary>
    public long KsmPagesScanned { get; set; }
    public long KsmCpuNs { get; set; }
    /// <summary>At the end of the run: KSM pages in RAM (pages_shared) and the further guest pages mapping them (pages_sharing: the pages KSM saves).</summary>
    public long KsmPagesShared { get; set; }
    public long KsmPagesSharing { get; set; }
    /// <summary>Pages stored in a compressed pool (zram writes, zswap_store successes: zswpout) and read back from it (zswpin).</summary>
    public long CompressedStores { get; set; }
    public long CompressedLoads { get; set; }
    /// <summary>Stores the pool refused (zswap: full or incompressible, so the device took the page; zram: a failed write).</summary>
    public long CompressedStoreFailures { get; set; }
    /// <summary>zswap_pool_limit_hit: stores that found the pool at max_pool_percent.</summary>
    public long ZswapPoolLimitHit { get; set; }
    /// <summary>Entries zswap's shrink worker wrote back to the swap device (zswap_written_back_pages).</summary>
    public long ZswapWrittenBack { get; set; }
    /// <summary>CPU spent compressing and decompressing, by every task (reclaimers, faulting vCPUs, the zswap worker), ns.</summary>
    public long CompressCpuNs { get; set; }
    /// <summary>At the end of the run: the host memory the compressed pools of zram and zswap hold, bytes.</summary>
    public long CompressedPoolBytes { get; set; }
    /// <summary>Pages swap readahead read besides the faulting one (vmstat swap_ra).</summary>
    public long SwapRa { get; set; }
    /// <summary>Faults that found a page swap readahead had read (vmstat swap_ra_hit: PG_readahead test-and-cleared).</summary>
    public long SwapRaHit { get; set; }
    /// <summary>6.x: swap-ins of pages that left a shadow entry, and those activated (workingset_refault_anon, workingset_activate_anon).</summary>
    public long WorkingsetRefault { get; set; }
    public long WorkingsetActivate { get; set; }
    /// <summary>Page-cache pages reclaim freed (pgsteal of the file lists; also in <see cref="PagesFreed"/>).</summary>
    public long FilePagesFreed { get; set; }
    /// <summary>Page-cache pages written back to the file's disk (by the flusher, or by kswapd's pageout).</summary>
    public long FileWritebackPages { get; set; }
    /// <summary>Pages scanned (pgscan) per page freed (pgsteal): how hard reclaim works for each page it frees.</summary>
    public double ScannedPerFreed => PagesFreed == 0 ? 0 : (double)PagesScanned / PagesFreed;
    /// <summary>Time after warm-up over which the counters, histograms and busy time were measured, ns.</summary>
    public long MeasuredNs { get; set; }
    /// <summary>Time after warm-up with at least one swap request in service, ns.</summary>
    public long SwapBusyNs { get; set; }
    /// <summary>When host reclaim first ran (kswapd's first wake-up or the first direct reclaim), ns; -1 if it never did.</summary>
    public long FirstReclaimNs { get; private set; } = -1;
    /// <summary>The warm-up the run used, ns: the configured one, or where `warmup: auto` found steady state.</summary>
    public long WarmupNs { get; set; }

    /// <summary>Host reclaim ran at <paramref name="now"/>: the first time is <see cref="FirstReclaimNs"/>.</summary>
    internal void NoteReclaim(long now)
    {
        if (FirstReclaimNs < 0) FirstReclaimNs = now;
    }

    /// <summary>Swap device utilisation: near 1, fault latency is mostly queueing.</summary>
    public double SwapBusyFraction => MeasuredNs == 0 ? 0 : (double)SwapBusyNs / MeasuredNs;
    /// <summary>Queue wait (submission to dispatch) of swap reads and of swap writes queued after warm-up, ns.</summary>
    public LogHistogram SwapReadWait { get; } = new();
    public LogHistogram SwapWriteWait { get; } = new();

    /// <summary>End of warm-up: event counters restart (see <see cref="GuestResult.ResetCounters"/>).</summary>
    internal void ResetCounters()
    {
        KswapdWakeups = DirectReclaims = PagesScanned = PagesFreed = SwapFullEvents = SwapWrites = SwapReads = 0;
        SwapWriteRequests = SwapReadRequests = PagesDeactivated = WriteRequestWaits = KswapdCongestionWaits = SwapTokenReferences = 0;
        KsmPagesScanned = KsmCpuNs = 0;
        CompressedStores = CompressedLoads = CompressedStoreFailures = ZswapPoolLimitHit = ZswapWrittenBack = CompressCpuNs = 0;
        SwapRa = SwapRaHit = WorkingsetRefault = WorkingsetActivate = 0;
        FilePagesFreed = FileWritebackPages = 0;
    }
}

/// <summary>Host state at the end of one sampling interval; swap queues count requests waiting or in service.</summary>
public readonly record struct HostSample(long TimeNs, long FreeBytes, long SwapUsedBytes, long SwapCacheBytes,
    int SwapQueuedReads = 0, int SwapQueuedWrites = 0, long WritebackBytes = 0);

/// <summary>One guest's state at the end of one sampling interval; counts are for the interval.</summary>
public readonly record struct GuestSample(
    long TimeNs, int Guest, long ResidentBytes, long HdsiFaults, long MinorFaults, long MajorFaults,
    long UnmapHvaCalls, long Tlbies, long Accesses);

/// <summary>Nanoseconds per <see cref="StallCause"/>, one slot per cause in the enum's order.</summary>
[InlineArray(Causes)]
internal struct StallParts
{
    /// <summary>The number of causes (<see cref="StallCause.Other"/> is the last).</summary>
    public const int Causes = (int)StallCause.Other + 1;

    private long _part;
}
