using HvSim.Engine;
using HvSim.Model.Config;
using HvSim.Model.Hv;
using HvSim.Model.Mm;
using HvSim.Model.Results;
using HvSim.Model.Workloads;

namespace HvSim.Model.Guest;

/// <summary>
/// One guest vCPU thread. It executes its access stream inline, advancing its own clock, as long as that clock stays
/// before the next pending event (nothing else can touch shared state before then, design-notes §2) and yields only
/// when it would pass it or must block (swap I/O, reclaim, waiting for a page). In reference mode it yields after
/// every step instead, which gives the same results one event per step.
/// </summary>
public sealed class Vcpu
{
    private readonly Vm _vm;
    private readonly Host _host;
    private readonly Simulation _sim;
    private readonly IAccessSource _source;
    private readonly CostConfig _costs;
    private readonly GuestResult _counters;
    private readonly bool _reference;
    private readonly long _warmup;
    private readonly long _end;
    private GuestAccess _access;
    private bool _pending;
    private bool _firstAttempt;
    private long _stallFrom = -1;
    private bool _inGuest = true;
    /// <summary>Time lost to exits of sibling threads, not yet applied to <see cref="Clock"/>.</summary>
    private long _coExitPending;
    /// <summary>End of the latest sibling-forced exit window, so overlapping sibling exits cost one exit.</summary>
    private long _coExitUntil;

    public Vcpu(Vm vm, Host host, IAccessSource source, int vcpuId)
    {
        VcpuId = vcpuId;
        _vm = vm;
        _host = host;
        _sim = host.Sim;
        _source = source;
        _costs = host.Costs;
        _counters = vm.Counters;
        _reference = host.Config.ReferenceMode;
        _warmup = host.Config.WarmupNs;
        _end = host.Config.DurationNs;
    }

    /// <summary>vcpu_id: vCPUs vcpuId / threads_per_core share a virtual core.</summary>
    public int VcpuId { get; }

    /// <summary>This vCPU's own time: at or ahead of <see cref="Simulation.Now"/>, never past the next event.</summary>
    public long Clock { get; private set; }

    private bool MustYield => _reference || Clock >= Math.Min(_sim.Peek(), _end);

    private Command Sleep() => Command.Delay(Clock - _sim.Now);

    private void StallBegin() => _stallFrom = Clock;

    /// <summary>
    /// A sibling thread of this vCPU's vcore exits to the host at <paramref name="t"/> (kvmppc_run_core pulls every
    /// thread of the core out, kernel-model.md §2.3.1): a vCPU that was running guest code loses one exit + re-entry.
    /// </summary>
    internal void PullOutForSiblingExit(long t)
    {
        if (!_inGuest || _stallFrom >= 0) return; // already out of the guest
        long until = t + _costs.ExitNs;
        if (until <= _coExitUntil) return;
        _coExitPending += until - Math.Max(t, _coExitUntil);
        _coExitUntil = until;
    }

    private void StallEnd()
    {
        AddStall(_stallFrom, Clock);
        _stallFrom = -1;
    }

    private void AddStall(long from, long to)
    {
        from = Math.Max(from, _warmup);
        to = Math.Min(to, _end);
        if (to > from) _counters.StalledNs += to - from;
    }

    /// <summary>Stall time of a fault still in progress when the run ends: counted, so a frozen vCPU does not hide.</summary>
    public void FinishRun()
    {
        if (_stallFrom >= 0)
        {
            AddStall(_stallFrom, _end);
            _counters.FaultsInFlightAtEnd++;
            _counters.OldestFaultInFlightNs = Math.Max(_counters.OldestFaultInFlightNs, _end - _stallFrom);
        }
        _counters.VcpuNs += Math.Max(0, _end - _warmup);
    }

    public IEnumerable<Command> Run()
    {
        Clock = _sim.Now;
        var hpt = _vm.Hpt.Entries;
        int[] hpteOf = _vm.HpteOf;
        long accessNs = _costs.AccessNs;
        while (true)
        {
            if (Clock >= _end)
            {
                _inGuest = false;
                yield return Command.Wait(_sim.NewEvent()); // the run is over: park for good
                continue;
            }
            if (_coExitPending > 0)
            {
                _counters.VcoreExits++;
                AddStall(Clock, Clock + _coExitPending);
                Clock += _coExitPending;
                _coExitPending = 0;
                if (MustYield) yield return Sleep();
                continue;
            }
            if (!_pending)
            {
                if (!_source.Next(Clock, ref _access))
                {
                    _inGuest = false;
                    yield break;
                }
                _pending = true;
                _firstAttempt = true;
                _counters.Accesses++;
                if (_access.ThinkNs > 0)
                {
                    Clock += _access.ThinkNs;
                    if (MustYield) yield return Sleep();
                    continue;
                }
            }
            int gp = _access.Page;
            bool write = _access.IsWrite;
            int idx = hpteOf[gp];
            if (idx >= 0)
            {
                ref var h = ref hpt[idx];
                if ((h.Flags & HpteFlags.Valid) != 0 && (!write || (h.Flags & HpteFlags.ReadOnly) == 0))
                {
                    // §2.2: the hardware sets R, and C on a store; no host involvement.
                    h.Flags |= write ? HpteFlags.Referenced | HpteFlags.Changed : HpteFlags.Referenced;
                    if (_firstAttempt) _counters.HpteHits++;
                    if (_host.ObservesAccesses && !_vm.IsRmaPage(_vm.HostPageOf(gp))) _host.Policy.Hit(_vm.HostPageOf(gp)); // RMA pages are on no LRU
                    _pending = false;
                    Clock += accessNs;
                    if (MustYield) yield return Sleep();
                    continue;
                }
            }
            _firstAttempt = false;
            StallBegin();
            if (idx < 0)
            {
                // The guest's hash_page finds no HPTE: it inserts one with H_ENTER.
                if (Hcalls.HEnter(_vm, _host, gp, Clock, out long end) == HEnterStatus.TooHard)
                {
                    // PPC970 §2.9: H_TOO_HARD -> full exit -> kvmppc_virtmode_h_enter pins the page, redoes H_ENTER.
                    _counters.Exits++;
                    Clock = end + _costs.ExitNs;
                    int hp = _vm.HostPageOf(gp);
                    _host.Touched?.Add(hp);
                    if (_host.Pages[hp].State == HostPageState.NeverTouched)
                    {
                        if (Clock > _sim.Now) yield return Sleep();
                        if (!_host.TryAllocateFast())
                            foreach (var c in AllocateSlow()) yield return c;
                        if (_host.Pages[hp].State == HostPageState.NeverTouched)
                        {
                            _host.ZeroFill(hp); // get_user_pages -> handle_mm_fault: a host minor fault, as on POWER7
                            _counters.MinorFaults++;
                            Clock += _costs.ZeroFillNs;
                        }
                        else
                        {
                            _host.ReturnFreePage();
                            Clock += _costs.GupHitNs;
                        }
                    }
                    else
                    {
                        Clock += _costs.GupHitNs;
                    }
                    ref var pinned = ref _host.Pages[hp];
                    if (!pinned.Has(HostPageFlags.Pinned))
                    {
                        pinned.Flags |= HostPageFlags.Pinned;
                        _counters.PinnedPages++;
                    }
                    end = Clock;
                    if (hpteOf[gp] < 0) Hcalls.HEnter(_vm, _host, gp, Clock, out end, virtualMode: true); // else another vCPU inserted it
                }
                Clock = end;
                StallEnd();
                if (MustYield) yield return Sleep();
                continue;
            }

            // §2.3: HDSI. Real-mode kvmppc_hpte_hv_fault finds the ABSENT (or read-only) HPTE and exits to the host.
            long faultStart = Clock;
            _counters.HdsiFaults++;
            _counters.Exits++;
            bool protection = (hpt[idx].Flags & HpteFlags.Valid) != 0;
            if (protection) _counters.ProtectionFaults++;
            Clock += _costs.RealModeHcallNs;
            _vm.VcoreExit(this, Clock);
            Clock += _costs.ExitNs;
            if (MustYield) yield return Sleep();

            // kvmppc_book3s_hv_page_fault, step a: the HPTE must still be the one that faulted.
            if (hpteOf[gp] != idx || !StillFaulting(ref hpt[idx], write))
            {
                EndFault(faultStart);
                if (MustYield) yield return Sleep();
                continue;
            }
            long mmuSeq = _vm.Notifier.Seq;
            int hostPage = _vm.HostPageOf(gp);
            _host.Touched?.Add(hostPage);
            // Step b: get_user_pages_fast(write = is_store).
            bool gupSlow = _host.GupSlowPathEnter(_vm, hostPage, write);
            bool gupDone = false;
            while (!gupDone)
            {
                ref var page = ref _host.Pages[hostPage];
                switch (page.State)
                {
                    case HostPageState.Resident:
                        page.Flags |= HostPageFlags.Young;
                        if (write && !page.Has(HostPageFlags.Writable))
                        {
                            _host.MakeWritable(ref page); // do_wp_page reusing the exclusive swap-cache page
                            _counters.MinorFaults++;
                            Clock += _costs.SwapCacheHitNs;
                        }
                        else
                        {
                            Clock += _costs.GupHitNs;
                        }
                        gupDone = true;
                        break;
                    case HostPageState.SwapCache when !page.Has(HostPageFlags.Locked):
                        _host.MapSwapCachePage(hostPage, write);
                        _counters.MinorFaults++;
                        Clock += _costs.SwapCacheHitNs;
                        gupDone = true;
                        break;
                    case HostPageState.SwapCache:
                        // lock_page: another fault's swap read (or readahead) of this page is in flight.
                        if (Clock > _sim.Now) yield return Sleep();
                        yield return Command.Wait(_host.ReadInFlight(hostPage));
                        Clock = _sim.Now;
                        break;
                    case HostPageState.NeverTouched:
                        if (Clock > _sim.Now) yield return Sleep();
                        if (!_host.TryAllocateFast())
                            foreach (var c in AllocateSlow()) yield return c;
                        if (_host.Pages[hostPage].State != HostPageState.NeverTouched)
                        {
                            _host.ReturnFreePage(); // another vCPU faulted it in while we reclaimed
                            break;
                        }
                        _host.ZeroFill(hostPage);
                        _counters.MinorFaults++;
                        Clock += _costs.ZeroFillNs;
                        gupDone = true;
                        break;
                    case HostPageState.SwappedOut:
                        if (Clock > _sim.Now) yield return Sleep();
                        foreach (var c in _host.SwapinReadahead(_vm, hostPage)) yield return c;
                        Clock = _sim.Now;
                        if (_host.Pages[hostPage].Has(HostPageFlags.Locked))
                        {
                            yield return Command.Wait(_host.ReadInFlight(hostPage)); // the vCPU thread sleeps; other vCPUs run
                            Clock = _sim.Now;
                            if (_host.Pages[hostPage].State == HostPageState.SwapCache && !_host.Pages[hostPage].Has(HostPageFlags.Locked))
                            {
                                _host.MapSwapCachePage(hostPage, write);
                                gupDone = true;
                            }
                        }
                        break;
                }
            }
            if (gupSlow) _host.GupSlowPathExit(_vm, hostPage);
            if (MustYield) yield return Sleep();

            // Steps d-f: re-check the HPTE, then mmu_notifier_retry under the rmap lock.
            if (hpteOf[gp] != idx || !StillFaulting(ref hpt[idx], write))
            {
                EndFault(faultStart);
                if (MustYield) yield return Sleep();
                continue;
            }
            if (_vm.Notifier.Retry(mmuSeq) || _host.Pages[hostPage].State != HostPageState.Resident)
            {
                _counters.FaultRetries++; // resume the guest; it re-faults (another exit)
                EndFault(faultStart);
                if (MustYield) yield return Sleep();
                continue;
            }
            Instantiate(idx, hostPage);
            EndFault(faultStart);
            if (MustYield) yield return Sleep();
        }
    }

    /// <summary>The HPTE is still ABSENT, or still read-only for this store.</summary>
    private static bool StillFaulting(ref Hpte h, bool write) =>
        h.IsAbsent || (h.IsValid && write && (h.Flags & HpteFlags.ReadOnly) != 0);

    /// <summary>
    /// §2.3 step e: ABSENT -> VALID linked on the rmap chain (sets REFERENCED), or a protection upgrade of a VALID
    /// HPTE (tlbie first, R/C kept). Read-only when the host PTE is not writable, else the page is dirtied.
    /// </summary>
    private void Instantiate(int idx, int hostPage)
    {
        _host.Touched?.Add(hostPage);
        ref var h = ref _vm.Hpt.Entries[idx];
        ref var page = ref _host.Pages[hostPage];
        if (h.IsValid)
        {
            Clock = _vm.Tlbie(Clock);
            h.Flags &= ~HpteFlags.ReadOnly;
        }
        else
        {
            h.Flags = (h.Flags & HpteFlags.Secondary) | HpteFlags.Valid;
            Rmap.Link(_vm.Hpt, ref page, idx);
        }
        page.Flags |= HostPageFlags.Young;
        if (page.Has(HostPageFlags.Writable))
        {
            h.Flags &= ~HpteFlags.ReadOnly;
            page.Flags |= HostPageFlags.Dirty;
        }
        else
        {
            h.Flags |= HpteFlags.ReadOnly;
        }
    }

    private void EndFault(long faultStart)
    {
        if (faultStart >= _warmup) _counters.FaultLatency.Add(Clock - faultStart);
        StallEnd();
    }

    /// <summary>__alloc_pages_slowpath for the page a fault needs (the vCPU is synchronised with the event loop).</summary>
    private IEnumerable<Command> AllocateSlow()
    {
        foreach (var c in _host.PageAlloc.AllocPagesSlowpath(_vm)) yield return c;
        Clock = _sim.Now;
    }
}
