using System.Runtime.CompilerServices;

namespace HvSim.Model;

/// <summary>
/// The runs' big tables (a guest's HPT and revmap: 20 MiB at hpt_order 24), handed from a finished run to the next one
/// in the same process rather than allocated fresh. A fresh array costs far more than writing it: the kernel zeroes
/// each 2 MiB huge page at its first touch (clear_page_erms, from do_huge_pmd_anonymous_page), and on a VM that first
/// touch faults in the hypervisor as well (8 % of the quickstart benchmark's timed part in one profile, where the GC had
/// given the earlier runs' arrays back to the kernel; docs/benchmarks.md, 2026-12-07 12:15). An array given back is already backed by the kernel and the VM, so
/// the next run resets it in user space, at the speed of memory. Like <see cref="HugePages"/>, this changes no value and
/// no result: a rented array holds exactly what a fresh one does.
/// </summary>
/// <remarks>
/// A run opens a <see cref="Lease"/>, rents through it while it builds its guests, and disposes it when it ends, however
/// it ends: every array it rented goes back, none goes to another lease before that, and each is reset when it is
/// rented, so whatever a failed or cancelled run left in one is never seen. Bounded two ways. While a run builds its
/// guests, the arrays the pool holds, idle and rented together, never exceed the most its leases held at the same
/// moment, because a rent that finds no idle array of its type and length first lets go of idle arrays, those idle
/// longest first, until the new one fits under that peak. Once a run has built them (<see cref="Lease.LetGoOfIdle"/>),
/// no array stays idle beside it: an idle array lives only from the end of the run that held it to the next run's
/// set-up, in the place of that finished run's memory, so the memory guard (which allows for its runs at once, each
/// with its own tables) needs no term for the pool, even when a run with fewer tables follows one with many.
/// </remarks>
public sealed class TablePool
{
    /// <summary>The pool of this process, which every run's lease draws from.</summary>
    internal static TablePool Shared { get; } = new();

    /// <summary>A pool of its own (tests); runs use <see cref="Shared"/>.</summary>
    internal TablePool()
    {
    }

    /// <summary>Arrays given back and not rented again, those given back longest ago first.</summary>
    private readonly LinkedList<(Array Array, long Bytes)> _idle = new();
    private long _idleBytes, _rentedBytes;
    /// <summary>The most bytes leases held at the same moment: what the idle and rented arrays never exceed.</summary>
    private long _peakBytes;

    /// <summary>A lease for one run's tables, to dispose when the run ends.</summary>
    internal Lease Open() => new(this);

    /// <summary>Bytes of the arrays the pool holds: idle ones and those leases hold.</summary>
    internal long HeldBytes
    {
        get { lock (_idle) return _idleBytes + _rentedBytes; }
    }

    /// <summary>
    /// An array of <paramref name="length"/> elements: an idle one of that type and length if there is one, reset
    /// (zeroed, or left for the caller to write in full when <paramref name="zeroed"/> is false), else a fresh one.
    /// </summary>
    private T[] Rent<T>(int length, long bytes, bool zeroed) where T : unmanaged
    {
        T[]? array = null;
        lock (_idle)
        {
            for (var node = _idle.Last; node != null; node = node.Previous)
                if (node.Value.Array is T[] idle && idle.Length == length)
                {
                    _idle.Remove(node);
                    _idleBytes -= bytes;
                    array = idle;
                    break;
                }
            _rentedBytes += bytes;
            _peakBytes = Math.Max(_peakBytes, _rentedBytes);
            while (_idleBytes + _rentedBytes > _peakBytes)
            {
                _idleBytes -= _idle.First!.Value.Bytes;
                _idle.RemoveFirst();
            }
        }
        if (array == null)
        {
            try
            {
                return HugePages.NewArray<T>(length, zeroed);
            }
            catch
            {
                lock (_idle) _rentedBytes -= bytes;
                throw;
            }
        }
        if (zeroed) Array.Clear(array);
        return array;
    }

    /// <summary>Lets go of every idle array (the garbage collector takes them).</summary>
    private void LetGoOfIdle()
    {
        lock (_idle)
        {
            _idle.Clear();
            _idleBytes = 0;
        }
    }

    /// <summary>Takes back a lease's arrays, idle from now on.</summary>
    private void Return(List<(Array Array, long Bytes)> arrays)
    {
        lock (_idle)
            foreach (var rented in arrays)
            {
                _rentedBytes -= rented.Bytes;
                _idleBytes += rented.Bytes;
                _idle.AddLast(rented);
            }
    }

    /// <summary>One run's tables: rented through it by one thread, all given back when it is disposed.</summary>
    public sealed class Lease : IDisposable
    {
        private readonly TablePool _pool;
        private readonly List<(Array Array, long Bytes)> _rented = [];

        internal Lease(TablePool pool) => _pool = pool;

        /// <summary>
        /// An array of <paramref name="length"/> elements, all zero as a fresh one is, or with whatever it held when the
        /// caller writes every element before reading any (<paramref name="zeroed"/> false), on huge pages where the
        /// host offers them (<see cref="HugePages"/>).
        /// </summary>
        internal T[] Rent<T>(int length, bool zeroed = true) where T : unmanaged
        {
            long bytes = (long)length * Unsafe.SizeOf<T>();
            var array = _pool.Rent<T>(length, bytes, zeroed);
            _rented.Add((array, bytes));
            return array;
        }

        /// <summary>
        /// The run has rented every table it needs: the pool lets go of the idle arrays this run did not take, so that
        /// none sits idle while it runs (another run's set-up may so miss an array it could have had: it allocates a
        /// fresh one, which changes no result).
        /// </summary>
        internal void LetGoOfIdle() => _pool.LetGoOfIdle();

        /// <summary>Gives every array back; the run must not touch them after this.</summary>
        public void Dispose()
        {
            _pool.Return(_rented);
            _rented.Clear();
        }
    }
}
