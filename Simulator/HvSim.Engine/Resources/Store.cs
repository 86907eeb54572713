using HvSim.Engine.Kernel;

namespace HvSim.Engine.Resources;

/// <summary>
/// A FIFO store of items with a capacity. <see cref="Put"/> waits while the store is full, <see cref="Get"/>
/// while it is empty; waiting getters are served in arrival order and a put hands its item straight to the
/// first of them.
/// </summary>
/// <example><code>
/// yield return queue.Put(packet);            // producer
/// yield return queue.Get(out var got);       // consumer
/// var packet = got.Take();
/// </code></example>
public sealed class Store<T>
{
    private enum State : byte { Free, Waiting, Delivered }

    private struct GetRec
    {
        public int Version;
        public State State;
        public ulong Who;
        public T Item;
    }

    private struct PutRec
    {
        public ulong Who;
        public T Item;
    }

    private readonly Simulation _sim;
    private readonly Queue<T> _items = new();
    private readonly Queue<int> _getters = new();
    private readonly Queue<PutRec> _putters = new();
    private RecordPool<GetRec> _recs = new(4);

    public Store(Simulation sim, int capacity = int.MaxValue, string name = "store")
    {
        if (capacity < 1) throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "capacity must be >= 1");
        _sim = sim ?? throw new ArgumentNullException(nameof(sim));
        Capacity = capacity;
        Name = name;
    }

    public string Name { get; }
    public int Capacity { get; }

    /// <summary>Items in the store.</summary>
    public int Count => _items.Count;

    /// <summary>
    /// Add <paramref name="item"/>; the caller waits while the store is full (a put whose process gave up waiting is
    /// dropped). May be called outside a process when it need not wait.
    /// </summary>
    public Command Put(T item)
    {
        while (_getters.Count > 0)
        {
            int idx = _getters.Dequeue();
            ref GetRec r = ref _recs.Items[idx];
            if (!_sim.IsLive(r.Who)) { FreeRec(idx); continue; }
            r.Item = item;
            r.State = State.Delivered;
            _sim.WakeNow(r.Who);
            return Command.Continue;
        }
        if (_items.Count < Capacity && _putters.Count == 0)
        {
            _items.Enqueue(item);
            return Command.Continue;
        }
        _putters.Enqueue(new PutRec { Who = _sim.WaiterWho("store", Name, "wait to put when it is full"), Item = item });
        return Command.Suspend;
    }

    /// <summary>Take the oldest item; the caller waits while the store is empty. Read the item with <see cref="StoreGet{T}.Take"/>.</summary>
    public Command Get(out StoreGet<T> get)
    {
        if (_items.Count > 0)
        {
            get = new StoreGet<T>(_items.Dequeue());
            AdmitPutters();
            return Command.Continue;
        }
        ulong who = _sim.WaiterWho("store", Name, "Get");
        int idx = _recs.Alloc();
        ref GetRec r = ref _recs.Items[idx];
        r.State = State.Waiting;
        r.Who = who;
        _getters.Enqueue(idx);
        get = new StoreGet<T>(this, idx, r.Version);
        return Command.Suspend;
    }

    internal bool IsDelivered(int idx, int version) => _recs.Items[idx].Version == version && _recs.Items[idx].State == State.Delivered;

    internal T Take(int idx, int version)
    {
        if (!IsDelivered(idx, version)) throw new InvalidOperationException($"store '{Name}': no item was delivered to this get (or it was already taken)");
        T item = _recs.Items[idx].Item;
        FreeRec(idx);
        return item;
    }

    /// <summary>Space was freed: let waiting putters in, in order.</summary>
    private void AdmitPutters()
    {
        while (_items.Count < Capacity && _putters.Count > 0)
        {
            var put = _putters.Dequeue();
            if (!_sim.IsLive(put.Who)) continue;
            _items.Enqueue(put.Item);
            _sim.WakeNow(put.Who);
        }
    }

    private void FreeRec(int idx)
    {
        ref GetRec r = ref _recs.Items[idx];
        r.Version++;
        r.State = State.Free;
        r.Item = default!;
        _recs.Free(idx);
    }
}

/// <summary>Result of one <see cref="Store{T}.Get"/>: whether an item arrived, and the item.</summary>
public readonly struct StoreGet<T>
{
    private readonly Store<T>? _store;
    private readonly int _index;
    private readonly int _version;
    private readonly T _item;
    private readonly bool _immediate;

    internal StoreGet(T item)
    {
        _store = null;
        _index = 0;
        _version = 0;
        _item = item;
        _immediate = true;
    }

    internal StoreGet(Store<T> store, int index, int version)
    {
        _store = store;
        _index = index;
        _version = version;
        _item = default!;
        _immediate = false;
    }

    /// <summary>True when an item is here to take (false while waiting, after a deadline or interrupt, and once taken).</summary>
    public bool HasItem => _immediate || (_store != null && _store.IsDelivered(_index, _version));

    /// <summary>The item; throws if none was delivered. A get that had to wait can be taken once.</summary>
    public T Take() => _immediate ? _item : _store != null ? _store.Take(_index, _version) : throw new InvalidOperationException("empty store get");
}
