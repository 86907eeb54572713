using System.Runtime.CompilerServices;
using HvSim.Engine;
using HvSim.Model.Config;
using HvSim.Model.Mm;
using HvSim.Model.Results;
using HvSim.Model.Workloads;

namespace HvSim.Model.Guest;

/// <summary>
/// A virtual core (struct kvmppc_vcore, Linux 3.4 arch/powerpc/kvm/book3s_hv.c): the vCPUs that KVM runs together on
/// one physical core, entering and leaving the guest as a unit. When a thread traps to the host, the whole core comes
/// out; kvmppc_run_core then calls kvmppc_handle_exit for each runnable thread in turn, in the one runner task, so a
/// page fault's get_user_pages, its swap-in wait and any direct reclaim hold every thread of the vcore out of the
/// guest; the vcore re-enters only when all are handled (and no vCPU is busy in the host, n_busy). In the guest its
/// threads' steps run in time order (<see cref="StepGuest"/>), driven by <see cref="GuestExecution"/> without an
/// engine event each; the simulation process is the runner (<see cref="Run"/>), parked while the vcore is in the guest.
/// </summary>
public sealed class Vcore
{
    private const long NoExit = long.MaxValue;
    private readonly Vcpu[] _threads;
    private readonly Vm _vm;
    private readonly Host _host;
    private readonly Simulation _sim;
    private readonly GuestExecution _guest;
    private readonly CostConfig _costs;
    private readonly bool _reference;
    private readonly long _end;
    /// <summary>The runner's time while the vcore is out of the guest.</summary>
    private long _clock;
    /// <summary>When the first thread trapped in this guest entry (the vcore leaves once every thread is there); NoExit before.</summary>
    private long _exitAt = NoExit;
    private Process _process = null!;

    // What the runner spent the current exit on, for the stall breakdown (StallCause): from _exitStart (-1 while in
    // the guest), the first _segs segments, the last ending at _accounted. The array grows once and is reused: a fault
    // allocates nothing.
    private long _exitStart = -1;
    private ExitSegment[] _segments = new ExitSegment[16];
    private int _segs;
    private long _accounted;
    /// <summary>The segments' lengths summed by cause as they are written (what a lone thread's stall gets, <see cref="AttributeTrapped"/>).</summary>
    private StallParts _exitParts;
    /// <summary>The trapped thread whose exit the runner handles (-1: none yet), and what it blocks on now.</summary>
    private int _serving = -1;
    private StallCause _blocked = StallCause.Other;
    /// <summary>What the runner's last swapin_readahead read synchronously (zswap, zram) and owes in decompression.</summary>
    private readonly SyncSwapRead _syncRead = new();
    /// <summary>While the runner waits for a swap read: the page (its queue/service split), else -1, and the read's event.</summary>
    private int _waitPage = -1;
    private SimEvent? _waitRead;

    private Vcore(Vm vm, Host host, Vcpu[] threads)
    {
        _vm = vm;
        _host = host;
        _sim = host.Sim;
        _guest = host.GuestExecution;
        _costs = host.Costs;
        _reference = host.Config.ReferenceMode;
        _end = host.Config.DurationNs;
        _threads = threads;
        StepDue = () => _guest.StepDue(this);
    }

    /// <summary>Time of the vcore's next guest step, once <see cref="StepGuest"/> or <see cref="HasNextStep"/> said it has one.</summary>
    internal long NextStepAt { get; private set; }

    /// <summary>The thread whose step is at <see cref="NextStepAt"/> (nothing else moves the vcore's threads until it runs).</summary>
    private int _nextThread;

    /// <summary>This vcore's slot in <see cref="GuestExecution"/>'s queue of waiting steps (set when it starts).</summary>
    internal int StepSlot;

    /// <summary>The engine callback of a step that is a real event (<see cref="GuestExecution"/>).</summary>
    internal readonly Action StepDue;

    /// <summary>The vcore has just left the guest in its own process, and its runner carries on there without a yield.</summary>
    internal bool RunnerInline { get; private set; }

    /// <summary>
    /// kvm vcpu_id of guest CPU <paramref name="cpuIndex"/>: QEMU spaces the ids so that each guest core starts a new
    /// host core, (cpu_index / smp_threads) * kvmppc_smt_threads() + cpu_index % smp_threads (kvmppc_fixup_cpu,
    /// target-ppc/kvm.c; kvmppc_smt_threads is KVM_CAP_PPC_SMT, the host's threads_per_core).
    /// </summary>
    public static int VcpuId(int cpuIndex, int threads, int hostThreadsPerCore) =>
        cpuIndex / threads * hostThreadsPerCore + cpuIndex % threads;

    /// <summary>kvmppc_core_vcpu_create: the vcore of a vCPU is vcpu_id / threads_per_core.</summary>
    public static int VcoreOf(int vcpuId, int hostThreadsPerCore) => vcpuId / hostThreadsPerCore;

    /// <summary>
    /// Create <paramref name="vm"/>'s vCPUs, each with the access stream <paramref name="source"/> gives its index,
    /// group them into vcores by vcpu_id and start one process per vcore. Returns the vCPUs in index order.
    /// </summary>
    public static List<Vcpu> StartAll(Vm vm, Host host, Func<int, IAccessSource> source)
    {
        int smt = host.Config.Platform.ThreadsPerCore();
        var vcpus = new List<Vcpu>();
        var cores = new SortedDictionary<int, List<Vcpu>>();
        for (int i = 0; i < vm.Config.Vcpus; i++)
        {
            int id = VcpuId(i, vm.Config.Threads, smt);
            var vcpu = new Vcpu(vm, host, source(i), id);
            vcpus.Add(vcpu);
            vm.Vcpus.Add(vcpu);
            int core = VcoreOf(id, smt);
            if (!cores.TryGetValue(core, out var list)) cores[core] = list = new List<Vcpu>();
            list.Add(vcpu); // kvmppc_run_vcpu adds threads to runnable_threads in the order they first run
        }
        foreach (var (core, threads) in cores)
        {
            var vcore = new Vcore(vm, host, threads.ToArray());
            for (int t = 0; t < threads.Count; t++) (threads[t].Core, threads[t].ThreadIndex) = (vcore, t);
            vcore._process = host.Sim.Start(vcore.Run(), $"{vm.Config.Name}/vcore{core}");
        }
        return vcpus;
    }

    /// <summary>The runner must sleep before doing what is due at <paramref name="clock"/>: an event or a guest step comes first.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool MustYield(long clock) => _reference || clock >= Math.Min(Math.Min(_sim.Peek(), _guest.NextStepAt), _end);

    private Command SleepUntil(long t) => Command.Delay(t - _sim.Now);

    /// <summary>The running thread with the earliest clock before <paramref name="before"/> (lowest index on ties); -1 if none.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] // a lone thread's answer is one comparison, asked at every re-entry
    private int NextInGuest(long before)
    {
        long min = Math.Min(before, _end);
        if (_threads.Length == 1) return Runs(_threads[0], min) ? 0 : -1; // QEMU's default threads=1: nothing to compare
        int next = -1;
        for (int i = 0; i < _threads.Length; i++)
        {
            var v = _threads[i];
            if (Runs(v, min) && (next < 0 || v.Clock < _threads[next].Clock)) next = i;
        }
        return next;
    }

    /// <summary>Thread <paramref name="v"/> is in the guest with a step before <paramref name="before"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Runs(Vcpu v, long before) => !v.Ended && !v.IsTrapped && v.Clock < before;

    /// <summary>
    /// The clock at which thread <paramref name="current"/> stops being the one <see cref="NextInGuest"/> picks: another
    /// running thread's clock (one tick later for a higher index, which loses ties), the exit or the end of the run.
    /// </summary>
    private long TurnEnds(int current, long exitAt)
    {
        long limit = Math.Min(exitAt, _end);
        if (_threads.Length == 1) return limit;
        for (int i = 0; i < _threads.Length; i++)
        {
            var v = _threads[i];
            if (i == current || v.Ended || v.IsTrapped) continue;
            limit = Math.Min(limit, i > current ? v.Clock + 1 : v.Clock);
        }
        return limit;
    }

    /// <summary>A thread has a step to run in the guest: <see cref="NextStepAt"/> is its time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal bool HasNextStep()
    {
        int next = _nextThread = NextInGuest(_exitAt);
        if (next >= 0) NextStepAt = _threads[next].Clock;
        return next >= 0;
    }

    /// <summary>
    /// Guest execution of the vcore from its step that is due now: the earliest running thread runs on while it stays the
    /// earliest and before <paramref name="stop"/>; until the exit reaches them, the other threads run on too (a trap
    /// inside that window joins this exit). Always at least one step (in reference mode exactly one). True while the
    /// vcore stays in the guest, its next step at <see cref="NextStepAt"/>; false when it has nothing left to run, or
    /// when every thread is out and the vcore leaves the guest: its runner then resumes where a yield would.
    /// <paramref name="due"/> is when the next engine event or another vcore's step is due (guest steps schedule no
    /// events, so it holds until the vcore leaves).
    /// </summary>
    internal bool StepGuest(long stop, long due)
    {
        if (_threads.Length == 1) return StepLone(stop, due);
        bool first = true;
        while (true)
        {
            int next = first ? _nextThread : NextInGuest(_exitAt);
            if (next < 0)
            {
                if (_exitAt == NoExit) return false; // every thread has ended, or reached the end of the run
                Leave(LeaveGuest(_exitAt), due);
                return false;
            }
            var v = _threads[next];
            if (!first && (_reference || v.Clock >= stop))
            {
                (NextStepAt, _nextThread) = (v.Clock, next);
                return true;
            }
            first = false;
            var step = v.StepUntil(_reference ? long.MinValue : Math.Min(TurnEnds(next, _exitAt), stop));
            if (step == GuestStep.Trapped && _exitAt == NoExit) _exitAt = v.Clock;
        }
    }

    /// <summary>
    /// <see cref="StepGuest"/> for a vcore of one thread (QEMU's default threads=1), the same steps without the choice
    /// between threads: the thread runs until <paramref name="stop"/> or the end of the run (in reference mode one step),
    /// and when it traps there is no sibling to pull out or wait for, so the vcore leaves at once.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool StepLone(long stop, long due)
    {
        if (_nextThread < 0) return false; // started with nothing to run
        var v = _threads[0];
        long until = _reference ? long.MinValue : Math.Min(_end, stop); // TurnEnds: nothing but the end of the run
        while (true)
        {
            var step = v.StepUntil(until);
            if (step == GuestStep.Trapped)
            {
                // LeaveGuest of a lone thread: its trap is the exit, and the last thread out.
                _exitAt = _exitStart = _accounted = v.Clock;
                Leave(v.Clock + _costs.ExitNs, due);
                return false;
            }
            if (step == GuestStep.Ended || v.Clock >= _end) return false; // nothing left to run
            if (_reference || v.Clock >= stop)
            {
                (NextStepAt, _nextThread) = (v.Clock, 0);
                return true;
            }
        }
    }

    /// <summary>
    /// Every thread is out: the runner starts on the exits at <paramref name="runnerAt"/>. Run in its own process with
    /// nothing due (<paramref name="due"/>) before then, the runner goes on inline; else it is resumed then, where a yield
    /// would put it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Leave(long runnerAt, long due)
    {
        _clock = runnerAt;
        Spent(StallCause.Exit);
        RunnerInline = !_reference && _clock < Math.Min(due, _end) && _process.IsActive;
        if (!RunnerInline) _process.ResumeAfter(_clock - _sim.Now);
    }

    /// <summary>
    /// kvmppc_vcpu_run for the whole vcore: guest execution (<see cref="StepGuest"/>, driven by
    /// <see cref="GuestExecution"/>) until a thread traps, then kvmppc_run_core's exit handling (VCORE_EXITING): one
    /// runner serves the trapped threads in runnable_threads order, and all re-enter together. Written as one iterator
    /// so that a fault allocates nothing (only direct reclaim, the slow path, nests one).
    /// </summary>
    public IEnumerable<Command> Run()
    {
        foreach (var v in _threads) v.Clock = _sim.Now;
        _nextThread = NextInGuest(_exitAt);
        _guest.Start(this);
        while (true)
        {
            if (!RunnerInline) yield return Command.Park; // in the guest; StepGuest resumes the runner when the vcore leaves
            RunnerInline = false;
            for (int i = 0; i < _threads.Length; i++)
            {
                if (!_threads[i].IsTrapped) continue;
                _serving = i;
                // kvmppc_handle_exit -> kvmppc_book3s_hv_page_fault (HDSI) or, PPC970, the H_TOO_HARD hcall in virtual mode.
                bool hdsi = Serving.Kind == TrapKind.Hdsi;
                if (hdsi && !HvPageFault.StillFaulting(_vm, Serving)) continue;
                if (hdsi && _vm.Balloon?.Holds(Serving.GuestPage) == true)
                {
                    // The guest needs memory it gave the balloon: it takes the page back and gives up another (its own
                    // reclaim) before it uses it. Its invalidation comes before this fault's mmu_notifier_seq snapshot.
                    if (_clock > _sim.Now) yield return SleepUntil(_clock);
                    foreach (var c in _vm.Balloon!.Exchange(Serving.GuestPage)) yield return c;
                    _clock = _sim.Now;
                    Spent(StallCause.Other);
                }
                HvPageFault.Begin(_vm, _host, ref Serving);
                int page = Serving.HostPage;
                bool write = Serving.Write || !hdsi; // kvmppc_get_guest_page pins with write = 1
                bool gupSlow = hdsi && _host.GupSlowPathEnter(_vm, page, write);
                while (true)
                {
                    // get_user_pages_fast -> handle_mm_fault; the runner sleeps for swap reads and direct reclaim.
                    var status = _host.GetUserPage(_vm, page, write, ref _clock);
                    Spent(StallCause.Other);
                    if (status == GupStatus.Done) break;
                    if (_clock > _sim.Now) yield return SleepUntil(_clock);
                    if (status == GupStatus.NeedPage)
                    {
                        if (!_host.TryAllocateFast(_vm))
                            foreach (var c in AllocateSlow()) yield return c;
                        var faulted = _host.FaultInNewPage(page, ref _clock);
                        Spent(StallCause.Other);
                        if (faulted == GupStatus.Done) break;
                        continue;
                    }
                    if (status == GupStatus.SwapMiss)
                    {
                        _blocked = StallCause.DirectReclaim; // readahead blocks only to allocate its pages
                        _syncRead.Reset();
                        foreach (var c in _host.SwapinReadahead(_vm, page, _syncRead)) yield return c;
                        _clock = _sim.Now;
                        Spent(StallCause.DirectReclaim);
                        // zswap_load / zram_bvec_read decompressed on this task: do_swap_page maps the page at once.
                        _clock += _syncRead.CpuNs;
                        Spent(StallCause.Other);
                        if (_syncRead.Target && _host.FinishSwapIn(page, write, ref _clock))
                        {
                            Spent(StallCause.Other);
                            break;
                        }
                        if (!_host.Pages[page].Has(HostPageFlags.Locked)) continue;
                    }
                    _waitPage = page;
                    var read = _waitRead = _host.ReadInFlight(page);
                    yield return Command.Wait(read); // lock_page until the swap read completes
                    _clock = _sim.Now;
                    SpentOnSwapRead(read.Value, _clock);
                    (_waitPage, _waitRead) = (-1, null);
                    if (status == GupStatus.SwapMiss && _host.FinishSwapIn(page, write, ref _clock)) break;
                }
                if (gupSlow) _host.GupSlowPathExit(_vm, page);
                if (hdsi)
                {
                    if (MustYield(_clock)) yield return SleepUntil(_clock);
                    HvPageFault.Finish(_vm, _host, Serving, ref _clock);
                }
                else
                {
                    HvPageFault.PinAndEnter(_vm, _host, Serving, ref _clock);
                }
                Spent(StallCause.Exit);
            }
            if (_vm.Memcg.NrPagesOverHigh > 0)
            {
                if (_clock > _sim.Now) yield return SleepUntil(_clock);
                foreach (var c in _host.PageAlloc.MemCgroupHandleOverHigh(_vm)) yield return c;
                _clock = Math.Max(_clock, _sim.Now);
            }
            foreach (var v in _threads) v.Reenter(_clock);
            (_exitStart, _segs, _serving, _blocked, _exitParts) = (-1, 0, -1, StallCause.Other, default);
            _exitAt = NoExit;
            _guest.Enter(this);
        }
    }

    /// <summary>
    /// The vcore leaves the guest at <paramref name="exitAt"/>: running threads are pulled out there, and once the last
    /// trapping thread is out the exit and re-entry cost is paid. Returns when the runner starts handling the exits.
    /// </summary>
    private long LeaveGuest(long exitAt)
    {
        long lastTrap = exitAt;
        foreach (var v in _threads)
        {
            if (v.IsTrapped) lastTrap = Math.Max(lastTrap, v.Clock);
            else if (!v.Ended) v.PullOut(exitAt);
        }
        _exitStart = _accounted = lastTrap;
        return lastTrap + _costs.ExitNs;
    }

    /// <summary>__alloc_pages_slowpath for the page a fault needs, in the runner: the whole vcore waits for its reclaim.</summary>
    private IEnumerable<Command> AllocateSlow()
    {
        _blocked = StallCause.DirectReclaim;
        foreach (var c in _host.PageAlloc.AllocPagesSlowpath(_vm)) yield return c;
        _clock = _sim.Now;
        Spent(StallCause.DirectReclaim);
    }

    /// <summary>The runner's time up to <see cref="_clock"/> since the last segment went to <paramref name="cause"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Spent(StallCause cause) => Segment(_clock, cause);

    /// <summary>The exit up to <paramref name="end"/> since the last segment went to <paramref name="cause"/> (inlined: three per fault).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Segment(long end, StallCause cause)
    {
        if (end <= _accounted) return;
        if (_segs == _segments.Length) GrowSegments();
        ref var seg = ref _segments[_segs++];
        (seg.End, seg.Cause, seg.Owner) = (end, cause, _serving);
        _exitParts[(int)cause] += end - _accounted;
        _accounted = end;
        _blocked = StallCause.Other;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void GrowSegments() => Array.Resize(ref _segments, _segs * 2);

    /// <summary>A wait for a swap read until <paramref name="end"/>: queued until the device started it at <paramref name="started"/>, then served.</summary>
    private void SpentOnSwapRead(long started, long end)
    {
        Segment(Math.Clamp(started, _accounted, end), StallCause.SwapQueue);
        Segment(end, StallCause.SwapService);
    }

    /// <summary>
    /// The stall of trapped thread <paramref name="v"/> from its fault to <paramref name="until"/> (its re-entry, or the
    /// end of the run) by cause: its real-mode work and exit, waiting for siblings to trap, then what the runner spent
    /// each stretch of the exit on (on a sibling's fault: <see cref="StallCause.Sibling"/>), and at the end of the run
    /// what the runner still waits for.
    /// </summary>
    internal void AttributeTrapped(Vcpu v, long until)
    {
        // Every stretch ends by until (or until is the end of the run), so its measured part is its overlap with the
        // thread's measured window (Vcpu.MeasuredWindow), read once here.
        var window = v.MeasuredWindow(until);
        v.AddStallPart(window, StallCause.Exit, v.StallFrom, v.TrappedAt);
        if (_exitStart < 0)
        {
            v.AddStallPart(window, StallCause.Sibling, v.TrappedAt, until); // the vcore had not left the guest yet
            return;
        }
        v.AddStallPart(window, StallCause.Sibling, v.TrappedAt, _exitStart);
        long start = _exitStart;
        if (_threads.Length == 1 && window.From <= _exitStart && _accounted <= window.To)
        {
            // A lone thread owns every segment, and they lie whole in the measured window: each adds its length to its
            // cause's part, as the per-segment loop below would, so their sums by cause (_exitParts) are added at once.
            v.AddStallParts(_exitParts);
            start = _accounted;
        }
        else
        {
            foreach (ref readonly var seg in _segments.AsSpan(0, _segs))
            {
                if (start >= until) break;
                long end = Math.Min(seg.End, until);
                v.AddStallPart(window, Own(seg.Owner, v) ? seg.Cause : StallCause.Sibling, start, end);
                start = end;
            }
        }
        if (start >= until) return;
        if (!Own(_serving, v)) v.AddStallPart(window, StallCause.Sibling, start, until);
        else if (_waitPage >= 0)
        {
            // A read that ended at the run's last instant is no longer in flight: its event holds when it started.
            long started = Math.Clamp(_waitRead!.IsTriggered ? _waitRead.Value : _host.ReadStartedAt(_waitPage), start, until);
            v.AddStallPart(window, StallCause.SwapQueue, start, started);
            v.AddStallPart(window, StallCause.SwapService, started, until);
        }
        else v.AddStallPart(window, _blocked, start, until);
    }

    /// <summary>
    /// <see cref="AttributeTrapped"/> and the thread's whole stall at once, for a lone thread (QEMU's default threads=1)
    /// re-entering at <paramref name="until"/> when all of its stall, from its fault on, lies in the measured window:
    /// its real-mode part and exit go to <see cref="StallCause.Exit"/>, every segment of the exit to its cause (the sums
    /// <see cref="_exitParts"/>), and what the runner did after its last segment to what it was doing. It trapped where
    /// the vcore left, so it waited for no sibling. False, having done nothing, otherwise, and in reference mode, whose
    /// per-stretch bookkeeping is the check of this one (the inline and reference modes agree counter for counter).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] // once per fault, into Vcpu.Reenter
    internal bool AttributeLone(Vcpu v, long until)
    {
        if (_reference || _threads.Length != 1 || _exitStart < 0 || _waitPage >= 0
            || v.StallFrom < _host.WarmupEndNs || until > _end || until < _accounted) return false;
        // The two stretches outside the segments go straight to the thread's parts, after the segments' sums: added to
        // those sums first, their stores were still on their way to the cache when the vector add read them back (a
        // store-forwarding stall, half of Vcpu.Reenter's time).
        v.AddStallParts(_exitParts, stalled: until - v.StallFrom, exitNs: v.TrappedAt - v.StallFrom, last: _blocked, lastNs: until - _accounted);
        return true;
    }

    /// <summary>
    /// The fault of the trapped thread the runner serves (<see cref="_serving"/>), read where it is: the runner's iterator
    /// keeps no reference to the thread across its yields (a write barrier per fault).
    /// </summary>
    private ref PageFault Serving => ref _threads[_serving].Fault;

    private static bool Own(int owner, Vcpu v) => owner < 0 || owner == v.ThreadIndex;

    /// <summary>A stretch of an exit up to <paramref name="End"/> that went to <paramref name="Cause"/> on behalf of thread <paramref name="Owner"/> (-1: all of them).</summary>
    private struct ExitSegment
    {
        public long End;
        public StallCause Cause;
        public int Owner;
    }
}
