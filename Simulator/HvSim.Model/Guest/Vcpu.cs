using System.Runtime.CompilerServices;
using HvSim.Model.Config;
using HvSim.Model.Hv;
using HvSim.Model.Mm;
using HvSim.Model.Results;
using HvSim.Model.Workloads;

namespace HvSim.Model.Guest;

/// <summary>What one step of a thread in the guest ended with.</summary>
public enum GuestStep : byte
{
    /// <summary>The thread ran on (an access through a valid HPTE, think time, or a real-mode H_ENTER).</summary>
    Ran,
    /// <summary>The thread trapped to the host kernel: its <see cref="Vcpu.Fault"/> waits for the vcore runner.</summary>
    Trapped,
    /// <summary>The thread's access stream has ended.</summary>
    Ended,
}

/// <summary>
/// One guest vCPU: a hardware thread of its <see cref="Vcore"/>, with its own access stream and clock. In the guest it
/// executes accesses through valid HPTEs, real-mode H_ENTERs and the real-mode part of an HDSI on its own; anything
/// that needs the host kernel traps, and the vcore runner handles it while the whole vcore is out of the guest.
/// </summary>
public sealed class Vcpu
{
    private readonly Vm _vm;
    private readonly Host _host;
    private readonly IAccessSource _source;
    /// <summary>The accesses taken from <see cref="_source"/> and not yet made.</summary>
    private readonly AccessWindow _window = new();
    /// <summary>
    /// The primary PTEG (<see cref="Hpt.PrimaryGroup"/>) of each access in <see cref="_window"/>, taken before
    /// <see cref="PlainHits"/> first runs over a drawn window (<see cref="_groupsTaken"/>), for it alone.
    /// </summary>
    private readonly int[] _groups = new int[AccessWindow.Size];
    /// <summary><see cref="_groups"/> are those of the window's accesses (false from each fill until they are taken).</summary>
    private bool _groupsTaken;
    /// <summary>How many accesses ahead of the one it makes the hit loop hints its PTEG (<see cref="CacheHint"/>).</summary>
    private const int HintAhead = 16;
    private readonly CostConfig _costs;
    private readonly GuestResult _counters;
    private readonly long _end;
    private readonly Hpt _hpt;
    private readonly Hpte[] _hptes;
    private readonly long _accessNs;
    private readonly bool _observesAccesses;
    /// <summary>The guest's balloon, which keeps the guest's own view of which pages it uses; null without one.</summary>
    private readonly VirtioBalloon? _balloon;
    /// <summary>guests.fault_path: process: a store's first hit on a clean mapping dirties the host page (PTE dirty bit).</summary>
    private readonly bool _storeDirties;
    /// <summary>
    /// The HPTE bits a store checks besides VALID for a plain hit, and what they must be: writable (not demoted to
    /// read-only) and, where a store dirties the host page on its first hit through a clean mapping, already Changed.
    /// </summary>
    private readonly int _storeChecks, _storeNeeds;
    private GuestAccess _access;
    private bool _pending;
    private bool _firstAttempt;
    /// <summary>Start of the current time out of the guest (a fault, or a sibling's exit); -1 while running.</summary>
    private long _stallFrom = -1;

    /// <summary>The vcore this thread belongs to, and its index there (set by <see cref="Vcore.StartAll"/>).</summary>
    internal Vcore Core = null!;
    internal int ThreadIndex;

    /// <summary>Start of the current stall (see <see cref="_stallFrom"/>).</summary>
    internal long StallFrom => _stallFrom;

    /// <summary>When the current trap left real mode for the host (after the real-mode HDSI or H_ENTER work).</summary>
    internal long TrappedAt { get; private set; }

    public Vcpu(Vm vm, Host host, IAccessSource source, int vcpuId)
    {
        VcpuId = vcpuId;
        _vm = vm;
        _host = host;
        _source = source;
        _costs = host.Costs;
        _counters = vm.Counters;
        _end = host.Config.DurationNs;
        _hpt = vm.Hpt;
        _hptes = vm.Hpt.Entries;
        _accessNs = _costs.AccessNs;
        _balloon = vm.Balloon;
        _observesAccesses = host.ObservesAccesses || _balloon != null;
        _storeDirties = vm.Config.FaultPath == FaultPath.Process;
        _storeChecks = (int)(HpteFlags.ReadOnly | (_storeDirties ? HpteFlags.Changed : 0));
        _storeNeeds = (int)(_storeDirties ? HpteFlags.Changed : 0);
    }

    /// <summary>kvm vcpu_id as QEMU numbers it (see <see cref="Vcore.VcpuId"/>).</summary>
    public int VcpuId { get; }

    /// <summary>This thread's own time: at or ahead of the simulation's, never past the next event while it runs inline.</summary>
    public long Clock { get; internal set; }

    /// <summary>The access stream has ended.</summary>
    public bool Ended { get; private set; }

    /// <summary>The trap the vcore runner must handle (Kind None while the thread is in the guest).</summary>
    internal PageFault Fault;

    internal bool IsTrapped => Fault.Kind != TrapKind.None;

    /// <summary>
    /// Steps in the guest from <see cref="Clock"/> while the thread runs on and its clock stays before
    /// <paramref name="stop"/>; always at least one. A step is the next access (after its think time) through a valid
    /// HPTE; else the guest's hash_page inserts the HPTE with H_ENTER (real mode, no exit), or the access takes an HDSI
    /// whose real-mode part (kvmppc_hpte_hv_fault) finds the HPTE ABSENT or read-only and traps to the host. Returns
    /// what the last step ended with.
    /// </summary>
    internal GuestStep StepUntil(long stop)
    {
        var window = _window;
        window.Resume();
        var step = Steps(window, stop);
        window.Leave();
        return step;
    }

    /// <summary>
    /// <see cref="StepUntil"/>'s loop over the accesses of <paramref name="window"/>. The thread's clock, counts and pending
    /// access live in locals while it runs and are stored when it stops (nothing else reads them meanwhile; a miss's
    /// handling gets the clock first). The common step, a drawn access that hits through a user HPTE in its primary PTEG
    /// with nothing to note but R (and C), runs in <see cref="PlainHits"/>; any other step (think time past
    /// <paramref name="stop"/>, the HPTE elsewhere or missing, a page to clear, a store that dirties the host page, an
    /// access someone observes, a retry after a miss) leaves it for the full step below, which decides that access from
    /// scratch.
    /// </summary>
    /// <remarks>
    /// Optimised from its first call: a run of hits never returns, so tiered compilation would leave it in its
    /// on-stack-replacement version, which keeps the locals in the unoptimised frame's slots.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private GuestStep Steps(AccessWindow window, long stop)
    {
        var hptes = _hptes;
        var drawn = window.Accesses;
        bool observes = _observesAccesses;
        long accessNs = _accessNs;
        long clock = Clock;
        long accesses = 0, hits = 0;
        bool pending = _pending, firstAttempt = _firstAttempt;
        var access = _access;
        int next = window.Next;
        GuestStep step;
        while (true)
        {
            // (Not for an access whose think time already reaches the stop: the full step leaves with it pending, and
            // with microsecond think times among several vCPUs that is most of them, not worth a call each.)
            if (!pending && !observes && next < window.Count && clock + drawn[next].ThinkNs < stop)
            {
                if (!_groupsTaken) TakeGroups(window, next);
                int start = next;
                (next, clock) = PlainHits(next, window.Count, clock, stop);
                accesses += next - start;
                hits += next - start;
                if (next > start && clock >= stop)
                {
                    step = GuestStep.Ran;
                    break;
                }
            }
            if (!pending)
            {
                if (next == window.Count)
                {
                    if (!_source.Fill(clock, window))
                    {
                        Ended = true;
                        step = GuestStep.Ended;
                        break;
                    }
                    next = 0;
                    _groupsTaken = false;
                    // A drawn window's first access is made as the others are; a stream that gives one access at a time
                    // (a window of one) has it made by the full step right away.
                    if (window.Count > 1 && !observes) continue;
                }
                access = drawn[next++];
                pending = firstAttempt = true;
                accesses++;
                if (access.ThinkNs > 0)
                {
                    clock += access.ThinkNs;
                    if (clock >= stop)
                    {
                        // The thread leaves with its access still to make: a hint (CacheHint) lets the host processor
                        // fetch the PTEG that access will look up while other work runs. No effect on the model.
                        Hpt.PrefetchGroup(hptes, _hpt.PrimaryGroup(access.Page));
                        step = GuestStep.Ran;
                        break;
                    }
                }
            }
            int gp = access.Page;
            bool write = access.IsWrite;
            int slot = _hpt.UserSlot(gp);
            bool clearPage = false;
            if (slot < 0 && _vm.LinearMapBolted)
            {
                // A page no process has mapped yet is first zeroed by the guest kernel through its linear mapping
                // (do_anonymous_page -> clear_user_highpage -> clear_page): a store through the bolted HPTE, whose R bit,
                // in the hardware HPTE or harvested into the guest's view, says the kernel has done so.
                int linear = _vm.Hpt.LinearSlot(gp);
                if (((hptes[linear].Flags | _vm.Hpt.Revmap[linear].GuestRc) & HpteFlags.Referenced) == 0)
                {
                    slot = linear;
                    write = clearPage = true;
                }
            }
            if (slot >= 0)
            {
                ref var h = ref hptes[slot];
                if ((h.Flags & HpteFlags.Valid) != 0 && (!write || (h.Flags & HpteFlags.ReadOnly) == 0))
                {
                    // §2.2: the hardware sets R, and C on a store; no host involvement. A plain process's store sets its
                    // PTE's dirty bit, which reclaim moves to the page (try_to_unmap_one: pte_dirty -> folio_mark_dirty).
                    if (write && _storeDirties && (h.Flags & HpteFlags.Changed) == 0) _host.Pages[_vm.HostPageOf(gp)].Set(HostPageFlags.Dirty);
                    h.Flags |= write ? HpteFlags.Referenced | HpteFlags.Changed : HpteFlags.Referenced;
                    if (firstAttempt && !clearPage) hits++;
                    if (observes) ObserveHit(gp);
                    pending = clearPage; // after the clear, the process's own access maps the page
                    clock += accessNs;
                    if (clock >= stop)
                    {
                        step = GuestStep.Ran;
                        break;
                    }
                    continue;
                }
            }
            Clock = clock;
            step = Miss(gp, write, slot);
            firstAttempt = false;
            clock = Clock;
            if (step != GuestStep.Ran || clock >= stop) break;
        }
        window.Next = next;
        Clock = clock;
        (_pending, _firstAttempt, _access) = (pending, firstAttempt, access);
        _counters.Accesses += accesses;
        _counters.HpteHits += hits;
        return step;
    }

    /// <summary>
    /// The hardware's accesses through valid HPTEs (§2.2: the table walk finds the HPTE, sets R, and C on a store), over
    /// and over: from drawn access <paramref name="next"/> on (of <paramref name="count"/>), each
    /// access whose user HPTE is in its primary PTEG and allows it, with nothing to note but R (and C), is made at
    /// <paramref name="clock"/> plus its think time, until one is not such a hit, its think time reaches
    /// <paramref name="stop"/> or the clock after it does. Returns the first access not made and the clock. A method of
    /// its own that calls nothing, so that its state stays in registers.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private (int Next, long Clock) PlainHits(int next, int count, long clock, long stop)
    {
        // Spans of the window's drawn part, so that indices checked against their length need no bounds check.
        var drawn = _window.Accesses.AsSpan(0, count);
        var groups = _groups.AsSpan(0, count);
        var hptes = _hptes;
        long accessNs = _accessNs;
        int storeChecks = _storeChecks, storeNeeds = _storeNeeds;
        while ((uint)next < (uint)groups.Length)
        {
            ref readonly var a = ref drawn[next];
            long at = clock + a.ThinkNs;
            if (at >= stop) break; // the full step leaves with it pending (or, entered at stop, makes it: always one step)
            // A hint for the PTEG of the access HintAhead on, so its line is on its way while this one and those between
            // are made (no effect on the model).
            if ((uint)(next + HintAhead) < (uint)groups.Length) Hpt.PrefetchGroup(hptes, groups[next + HintAhead]);
            int idx = Hpt.UserSlotIn(hptes, groups[next], a.Page);
            if (idx < 0) break;
            ref var h = ref hptes[idx];
            // A store's extra checks and its C bit are masked in without a branch: stores are a random fraction of the
            // accesses, so a branch on them would mispredict.
            int store = -Unsafe.BitCast<bool, byte>(a.IsWrite); // all ones for a store, 0 for a load
            if (((int)h.Flags & ((int)HpteFlags.Valid | (storeChecks & store))) != ((int)HpteFlags.Valid | (storeNeeds & store))) break;
            h.Flags |= (HpteFlags)((int)HpteFlags.Referenced | ((int)HpteFlags.Changed & store));
            next++;
            clock = at + accessNs;
            if (clock >= stop) break;
        }
        return (next, clock);
    }

    /// <summary>
    /// The primary PTEG (hpt_hash) of each access drawn into <paramref name="window"/>, hashed once for the hit loop, and
    /// hints for the first <see cref="HintAhead"/> from <paramref name="next"/> on (the loop hints the others as it goes).
    /// The hash of a page never changes (<see cref="Hpt.PrimaryGroup"/>), so the groups stay right for as long as the
    /// window holds the accesses. Taken only when the loop is about to run: with think times of microseconds among several
    /// vCPUs most windows are made one access per turn by the full step, which takes the hash itself. Optimised from its
    /// first call, as <see cref="PlainHits"/> is (see <see cref="SyntheticSource{TChoice}"/>'s Fill).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void TakeGroups(AccessWindow window, int next)
    {
        var hpt = _hpt;
        var groups = _groups;
        var drawn = window.Accesses;
        int count = window.Count;
        for (int i = 0; i < count; i++) groups[i] = hpt.PrimaryGroup(drawn[i].Page);
        for (int i = next; i < count && i < next + HintAhead; i++) Hpt.PrefetchGroup(_hptes, groups[i]);
        _groupsTaken = true;
    }

    /// <summary>
    /// The guest's balloon notes the access in the guest's view; a policy that sees every access (LRU, SLRU) hears of
    /// the hit on the page's lruvec (RMA and hugetlbfs pages are on no LRU).
    /// </summary>
    private void ObserveHit(int guestPage)
    {
        _balloon?.Touch(guestPage);
        if (!_host.ObservesAccesses) return;
        int hp = _vm.HostPageOf(guestPage);
        if (!_vm.IsUnevictable(hp)) _host.LruvecOf(hp).Hit(hp);
    }

    /// <summary>The access at <see cref="Clock"/> found no valid HPTE allowing it: H_ENTER in real mode, or an HDSI trap.</summary>
    private GuestStep Miss(int gp, bool write, int idx)
    {
        _balloon?.Touch(gp);
        _stallFrom = Clock;
        Fault = new PageFault { GuestPage = gp, Write = write, HpteIndex = idx, Start = Clock };
        if (idx < 0)
        {
            // The guest's hash_page finds no HPTE: it inserts one with H_ENTER in real mode.
            if (Hcalls.HEnter(_vm, _host, gp, Clock, out long end) == HEnterStatus.TooHard)
            {
                _counters.Exits++;
                Clock = TrappedAt = end;
                Fault.Kind = TrapKind.HEnterTooHard;
                return GuestStep.Trapped;
            }
            Clock = end;
            AddStallPart(StallCause.Exit, _stallFrom, Clock);
            EndStall();
            return GuestStep.Ran;
        }
        // §2.3: HDSI. Real-mode kvmppc_hpte_hv_fault finds the ABSENT (or read-only) HPTE and exits to the host.
        _counters.HdsiFaults++;
        _counters.Exits++;
        if ((_hptes[idx].Flags & HpteFlags.Valid) != 0) _counters.ProtectionFaults++;
        Clock += _costs.RealModeHcallNs;
        TrappedAt = Clock;
        Fault.Kind = TrapKind.Hdsi;
        return GuestStep.Trapped;
    }

    /// <summary>A sibling's exit takes this running thread out of the guest at <paramref name="t"/> (its vcore leaves as one).</summary>
    internal void PullOut(long t)
    {
        _counters.VcoreExits++;
        _stallFrom = t;
    }

    /// <summary>
    /// The vcore re-enters the guest at <paramref name="t"/>. A trapped thread resumes its faulting access there (its
    /// HDSI's latency ends); a pulled-out sibling resumes what it was doing when the vcore left.
    /// </summary>
    internal void Reenter(long t)
    {
        if (IsTrapped)
        {
            if (Fault.Kind == TrapKind.Hdsi && Fault.Start >= _host.WarmupEndNs) _counters.FaultLatency.Add(t - Fault.Start);
            Fault.Kind = TrapKind.None;
            Clock = t;
            if (Core.AttributeLone(this, t)) _stallFrom = -1;
            else
            {
                Core.AttributeTrapped(this, t);
                EndStall();
            }
            return;
        }
        if (_stallFrom < 0) return; // its stream ended before the exit
        long away = t - _stallFrom;
        AddStall(_stallFrom, t);
        AddSiblingWait(_stallFrom, t);
        AddStallPart(StallCause.Sibling, _stallFrom, t);
        _stallFrom = -1;
        Clock += away;
    }

    private void EndStall()
    {
        AddStall(_stallFrom, Clock);
        _stallFrom = -1;
    }

    /// <summary>The measured part of [<paramref name="from"/>, <paramref name="to"/>): after the warm-up, before the end of the run (0 if none).</summary>
    private long Measured(long from, long to) => Math.Max(0, Overlap(MeasuredWindow(to), from, to));

    /// <summary>The measured window clipped to <paramref name="until"/>: a stretch's measured part is its overlap with it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal (long From, long To) MeasuredWindow(long until) => (_host.WarmupEndNs, Math.Min(until, _end));

    /// <summary>How much of [<paramref name="from"/>, <paramref name="to"/>) lies in <paramref name="window"/> (not positive if none).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static long Overlap((long From, long To) window, long from, long to) => Math.Min(to, window.To) - Math.Max(from, window.From);

    /// <summary>The measured part of [<paramref name="from"/>, <paramref name="to"/>) of this thread's stall went to <paramref name="cause"/>.</summary>
    private void AddStallPart(StallCause cause, long from, long to) => AddStallPart(MeasuredWindow(to), cause, from, to);

    /// <summary>
    /// <see cref="AddStallPart(StallCause, long, long)"/> with the measured window already read (the vcore runner reads it
    /// once for all the stretches of an exit, each ending by the window's end).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void AddStallPart((long From, long To) window, StallCause cause, long from, long to)
    {
        long ns = Overlap(window, from, to);
        if (ns > 0) _counters.AddStallPart(cause, ns);
    }

    /// <summary>Adds <paramref name="parts"/>, stretches that lie whole in the measured window, to this thread's stall by cause.</summary>
    internal void AddStallParts(in StallParts parts) => _counters.AddStallParts(parts);

    /// <summary>
    /// <see cref="AddStallParts(in StallParts)"/> for a whole stall of <paramref name="stalled"/> ns that lies in the
    /// measured window, with <paramref name="exitNs"/> more to <see cref="StallCause.Exit"/> and <paramref name="lastNs"/>
    /// more to <paramref name="last"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void AddStallParts(in StallParts parts, long stalled, long exitNs, StallCause last, long lastNs)
    {
        _counters.AddStallParts(parts);
        _counters.AddStallPart(StallCause.Exit, exitNs);
        _counters.AddStallPart(last, lastNs);
        _counters.StalledNs += stalled;
    }

    private void AddStall(long from, long to) => _counters.StalledNs += Measured(from, to);

    private void AddSiblingWait(long from, long to) => _counters.SiblingWaitNs += Measured(from, to);

    /// <summary>Time out of the guest when the run ends is counted, so a frozen vCPU does not hide; a trap still in service is a fault in flight.</summary>
    public void FinishRun()
    {
        if (_stallFrom >= 0)
        {
            AddStall(_stallFrom, _end);
            if (IsTrapped)
            {
                Core.AttributeTrapped(this, _end);
                _counters.FaultsInFlightAtEnd++;
                _counters.OldestFaultInFlightNs = Math.Max(_counters.OldestFaultInFlightNs, _end - _stallFrom);
            }
            else
            {
                AddSiblingWait(_stallFrom, _end);
                AddStallPart(StallCause.Sibling, _stallFrom, _end);
            }
        }
        _counters.VcpuNs += Math.Max(0, _end - _host.WarmupEndNs);
    }
}
