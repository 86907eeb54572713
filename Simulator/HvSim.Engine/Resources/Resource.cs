using HvSim.Engine.Kernel;
using HvSim.Engine.Monitors;

namespace HvSim.Engine.Resources;

/// <summary>
/// A resource with <see cref="Capacity"/> identical units, handed out in (priority, arrival) order; a released
/// unit goes straight to the next waiter. Requests can optionally preempt a less important holder.
/// </summary>
/// <example><code>
/// yield return cpu.Request(out var req);
/// using (req) { yield return Command.Delay(serviceNs); }
/// </code></example>
public sealed class Resource
{
    private enum State : byte { Free, Queued, Granted, Cancelled, Revoked }

    private struct Rec
    {
        public int Version;
        public State State;
        public int Priority;
        public int UserPos;
        public ulong Seq;
        public ulong Who;
        public long Since;
        public long Requested;
        /// <summary>The requesting process (slot and life), to interrupt when preempted.</summary>
        public int OwnerSlot;
        public uint OwnerLife;
    }

    private readonly Simulation _sim;
    private RecordPool<Rec> _recs = new(8);
    // Waiting record indices in a ring, in the order they are served: (priority, arrival). A request goes in behind
    // every waiter of its priority or a more important one, so with one priority (a FIFO queue, as in M/M/1) a push
    // and a pop touch one entry each; a more important request moves ahead of the less important ones.
    private int[] _queue = new int[8];
    private int _queueHead;
    private int _queueCount;
    private int[] _users;
    private ulong _seq;

    public Resource(Simulation sim, int capacity = 1, string name = "resource")
    {
        if (capacity < 1) throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "capacity must be >= 1");
        _sim = sim ?? throw new ArgumentNullException(nameof(sim));
        Capacity = capacity;
        Name = name;
        _users = new int[Math.Min(capacity, 64)];
    }

    public string Name { get; }
    public int Capacity { get; }

    /// <summary>Units currently granted.</summary>
    public int InUse { get; private set; }

    /// <summary>Requests waiting (abandoned ones drop out when they reach the head).</summary>
    public int QueueLength
    {
        get => _queueLength;
        private set
        {
            _queueLength = value;
            QueueStats?.Set(value);
        }
    }

    private int _queueLength;

    /// <summary>Optional monitor of <see cref="InUse"/> over time (attach before the first request).</summary>
    public LevelStats? InUseStats { get; set; }

    /// <summary>Optional monitor of <see cref="QueueLength"/> over time (attach before the first request).</summary>
    public LevelStats? QueueStats { get; set; }

    /// <summary>Optional histogram of the time from request to grant, in ns (every grant, zero waits included).</summary>
    public LogHistogram? WaitTimes { get; set; }

    /// <summary>
    /// Ask for one unit. The process runs on at once if a unit is free; otherwise it waits. Lower
    /// <paramref name="priority"/> values are served first (FIFO within a priority). With <paramref name="preempt"/>,
    /// a request that finds no free unit takes one from the least important holder whose priority is strictly
    /// worse (the latest such request); that holder is interrupted with a <see cref="Preempted"/> cause.
    /// Dispose <paramref name="request"/> to release the unit or to withdraw a request still waiting. A process
    /// interrupted while waiting should check <see cref="ResourceRequest.IsGranted"/>: a unit granted at the same
    /// instant is still its own until disposed.
    /// </summary>
    public Command Request(out ResourceRequest request, int priority = 0, bool preempt = false)
    {
        ulong who = _sim.WaiterWho("resource", Name, "Request");
        int idx = _recs.Alloc();
        ref Rec r = ref _recs.Items[idx];
        r.State = State.Queued;
        r.Priority = priority;
        r.Seq = _seq++;
        r.Who = who;
        (r.OwnerSlot, r.OwnerLife) = _sim.ActiveIdentity;
        r.Requested = _sim.Now;
        request = new ResourceRequest(this, idx, r.Version);
        if (InUse < Capacity)
        {
            Grant(idx);
            return Command.Continue;
        }
        if (preempt && TryPreempt(idx))
        {
            Grant(idx);
            return Command.Continue;
        }
        QueuePush(idx);
        QueueLength++;
        return Command.Suspend;
    }

    internal bool IsGranted(int idx, int version) => _recs.Items[idx].Version == version && _recs.Items[idx].State == State.Granted;

    internal void Dispose(int idx, int version)
    {
        ref Rec r = ref _recs.Items[idx];
        if (r.Version != version) return;
        switch (r.State)
        {
            case State.Granted:
                RemoveUser(idx);
                FreeRec(idx);
                GrantWaiters();
                break;
            case State.Queued:
                r.State = State.Cancelled;   // leaves the heap when it reaches the head
                QueueLength--;
                break;
            case State.Revoked:
                FreeRec(idx);
                break;
        }
    }

    private void Grant(int idx)
    {
        ref Rec r = ref _recs.Items[idx];
        r.State = State.Granted;
        r.Since = _sim.Now;
        if (InUse == _users.Length) Array.Resize(ref _users, _users.Length * 2);
        r.UserPos = InUse;
        _users[InUse++] = idx;
        InUseStats?.Set(InUse);
        WaitTimes?.Add(r.Since - r.Requested);
    }

    private void RemoveUser(int idx)
    {
        int pos = _recs.Items[idx].UserPos;
        int last = _users[--InUse];
        _users[pos] = last;
        _recs.Items[last].UserPos = pos;
        InUseStats?.Set(InUse);
    }

    /// <summary>Hand free units straight to the next waiting requests.</summary>
    private void GrantWaiters()
    {
        while (InUse < Capacity && _queueCount > 0)
        {
            int idx = QueuePop();
            ref Rec r = ref _recs.Items[idx];
            if (r.State == State.Cancelled) { FreeRec(idx); continue; }
            QueueLength--;
            if (!_sim.IsLive(r.Who)) { FreeRec(idx); continue; }   // its process gave up (deadline or interrupt)
            Grant(idx);
            _sim.WakeNow(r.Who);
        }
    }

    private bool TryPreempt(int idx)
    {
        int prio = _recs.Items[idx].Priority;
        int victim = -1;
        for (int i = 0; i < InUse; i++)
        {
            int u = _users[i];
            ref Rec c = ref _recs.Items[u];
            if (c.Priority <= prio) continue;
            if (victim < 0 || c.Priority > _recs.Items[victim].Priority ||
                (c.Priority == _recs.Items[victim].Priority && c.Seq > _recs.Items[victim].Seq))
                victim = u;
        }
        if (victim < 0) return false;
        ref Rec v = ref _recs.Items[victim];
        RemoveUser(victim);
        v.State = State.Revoked;
        var owner = _sim.ProcessOf(v.OwnerSlot, v.OwnerLife);
        if (owner != null) owner.Interrupt(new Preempted(this, _sim.ActiveProcess!, v.Since));
        return true;
    }

    private void FreeRec(int idx)
    {
        ref Rec r = ref _recs.Items[idx];
        r.Version++;
        r.State = State.Free;
        _recs.Free(idx);
    }

    /// <summary>Queue a waiter behind every one it does not outrank (a lower priority value outranks).</summary>
    private void QueuePush(int idx)
    {
        if (_queueCount == _queue.Length) GrowQueue();
        int mask = _queue.Length - 1;
        int priority = _recs.Items[idx].Priority;
        int i = _queueCount;
        for (int prev = (_queueHead + i - 1) & mask; i > 0 && _recs.Items[_queue[prev]].Priority > priority; prev = (prev - 1) & mask, i--)
            _queue[(prev + 1) & mask] = _queue[prev];
        _queue[(_queueHead + i) & mask] = idx;
        _queueCount++;
    }

    /// <summary>The waiter served next.</summary>
    private int QueuePop()
    {
        int top = _queue[_queueHead];
        _queueHead = (_queueHead + 1) & (_queue.Length - 1);
        _queueCount--;
        return top;
    }

    private void GrowQueue()
    {
        var bigger = new int[_queue.Length * 2];
        for (int i = 0; i < _queueCount; i++) bigger[i] = _queue[(_queueHead + i) & (_queue.Length - 1)];
        _queue = bigger;
        _queueHead = 0;
    }
}
