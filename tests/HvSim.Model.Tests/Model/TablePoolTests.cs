using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using HvSim.Model.Hv;

namespace HvSim.Model.Tests.Model;

/// <summary>
/// The runs' big tables handed from one run to the next (<see cref="TablePool"/>): a reused table holds exactly what a
/// fresh one holds, no table goes to two live runs, and the pool never holds more than its runs held at once.
/// </summary>
public class TablePoolTests
{
    /// <summary>
    /// The truth is a fresh HPT: kvmppc_alloc_hpt's table is zeroed memory (__get_free_pages(__GFP_ZERO), every HPTE
    /// invalid) and its revmap vzalloc'd, i.e. every slot free and every revmap entry zero; the model's fresh
    /// <see cref="Hpt"/> is built without the pool. Every byte of the reused arrays was scribbled over first.
    /// </summary>
    [Fact]
    public void AnHptFromThePoolAfterADirtyRunHoldsWhatAFreshOneHolds()
    {
        var pool = new TablePool();
        var (entries, revmap) = Scribble(pool);
        using var lease = pool.Open();
        var reused = new Hpt(18, 4096, 1 << 12, lease);
        Assert.Same(entries, reused.Entries); // the point of the test: the arrays did come back
        Assert.Same(revmap, reused.Revmap);
        var fresh = new Hpt(18, 4096, 1 << 12);
        for (int i = 0; i < fresh.Count; i++)
        {
            Assert.Equal(fresh.Entries[i], reused.Entries[i]);
            Assert.Equal(fresh.Revmap[i], reused.Revmap[i]);
        }
        Assert.All(reused.Entries, h => Assert.True(h.IsFree && h.GuestPage == -1 && h.Flags == HpteFlags.None));
        Assert.All(reused.Revmap, r => Assert.Equal(default, r));
    }

    /// <summary>An HPT of order 18 whose arrays, random bytes from end to end, went back to <paramref name="pool"/>.</summary>
    private static (Hpte[], RevmapEntry[]) Scribble(TablePool pool)
    {
        using var lease = pool.Open();
        var dirty = new Hpt(18, 4096, 1 << 12, lease);
        new Random(1).NextBytes(MemoryMarshal.AsBytes(dirty.Entries.AsSpan()));
        new Random(2).NextBytes(MemoryMarshal.AsBytes(dirty.Revmap.AsSpan()));
        return (dirty.Entries, dirty.Revmap);
    }

    /// <summary>
    /// A run on tables another run left behind (a run of another seed, whose HPTEs, R/C bits and rmap chains are all
    /// elsewhere) gives, counter for counter, what the same run gives on fresh tables from a pool of its own.
    /// </summary>
    [Theory]
    [InlineData(Config.Platform.Power7)]
    [InlineData(Config.Platform.Ppc970)]
    public void ARunOnTablesAnotherRunLeftGivesWhatItGivesOnFreshOnes(Config.Platform platform)
    {
        var cfg = ModelKit.Small(platform, durationMs: 120);
        var fresh = Run(cfg, new TablePool());
        var pool = new TablePool();
        Run(cfg with { Seed = 7 }, pool);
        long held = pool.HeldBytes;
        var reused = Run(cfg, pool);
        Assert.Equal(held, pool.HeldBytes); // nothing new allocated: the second run had the first one's tables
        EquivalenceTests.AssertSameResults(fresh, reused);
    }

    /// <summary>
    /// A run of one guest after a run of two: it takes one guest's tables and the pool lets go of the other's once the
    /// run has built its own, so after it the pool holds one guest's HPT and revmap (2^order / 16 HPTEs of each) and no
    /// more; kept, the idle guest's tables would sit beside the run, memory the guard did not allow it.
    /// </summary>
    [Fact]
    public void NoTableStaysIdleBesideARunThatHasBuiltItsOwn()
    {
        var pool = new TablePool();
        Run(ModelKit.Small(guests: 2, durationMs: 20), pool);
        Run(ModelKit.Small(guests: 1, durationMs: 20), pool);
        long oneGuest = (1L << (18 - 4)) * (Unsafe.SizeOf<Hpte>() + Unsafe.SizeOf<RevmapEntry>());
        Assert.Equal(oneGuest, pool.HeldBytes);
    }

    private static Results.RunResult Run(Config.SimulationConfig cfg, TablePool pool) =>
        SimulationRunner.Run(cfg, n => SimulationRunner.CreatePolicy(cfg.Host, n), tables: pool);

    /// <summary>
    /// Leases opened, renting and given back in a random order, on arrays of a few types and lengths: no array is held by
    /// two open leases, every rented array is all zero, and the arrays still alive after a collection beyond those the
    /// open leases hold (so held by the pool alone) never weigh more than the open leases held at once at their most,
    /// the peak counted here, not by the pool.
    /// </summary>
    [Fact]
    public void NoArrayGoesToTwoLeasesAndThePoolHoldsNoMoreThanItsLeasesHeldAtOnce()
    {
        var pool = new TablePool();
        var rng = new Random(12);
        var open = new List<(TablePool.Lease Lease, List<Array> Arrays)>();
        var all = new List<WeakReference<Array>>();
        long peak = 0;
        int reuses = 0;
        for (int step = 0; step < 3000; step++)
        {
            int action = rng.Next(10);
            if (open.Count == 0 || (action == 0 && open.Count < 4)) open.Add((pool.Open(), []));
            else if (action <= 2)
            {
                int k = rng.Next(open.Count);
                open[k].Lease.Dispose();
                open.RemoveAt(k);
            }
            else
            {
                var (lease, arrays) = open[rng.Next(open.Count)];
                var array = RentAndDirty(lease, rng.Next(3), rng.Next(4));
                Assert.DoesNotContain(open, o => o.Arrays.Any(a => ReferenceEquals(a, array)));
                if (all.Any(w => w.TryGetTarget(out var a) && ReferenceEquals(a, array))) reuses++;
                else all.Add(new WeakReference<Array>(array));
                arrays.Add(array);
            }
            peak = Math.Max(peak, open.Sum(o => o.Arrays.Sum(Bytes)));
            if (step % 100 == 0)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                GC.Collect();
                long alive = all.Sum(w => w.TryGetTarget(out var a) ? Bytes(a) : 0);
                Assert.InRange(alive, 0, peak);
            }
        }
        Assert.InRange(reuses, 100, int.MaxValue); // the pool did hand arrays on
    }

    private static readonly int[] Lengths = [1 << 10, 3 << 10, 1 << 12, 5 << 10];

    /// <summary>An array from <paramref name="lease"/>, checked all zero, then written all over (what a run does).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Array RentAndDirty(TablePool.Lease lease, int type, int size)
    {
        switch (type)
        {
            case 0:
            {
                var a = lease.Rent<long>(Lengths[size]);
                Assert.All(a, x => Assert.Equal(0, x));
                a.AsSpan().Fill(-1);
                return a;
            }
            case 1:
            {
                var a = lease.Rent<int>(Lengths[size]);
                Assert.All(a, x => Assert.Equal(0, x));
                a.AsSpan().Fill(-1);
                return a;
            }
            default:
            {
                var a = lease.Rent<RevmapEntry>(Lengths[size]);
                Assert.All(a, x => Assert.Equal(default, x));
                a.AsSpan().Fill(new RevmapEntry { Forw = 1, Back = 2, GuestRc = HpteFlags.Referenced });
                return a;
            }
        }
    }

    private static long Bytes(Array a) => a switch
    {
        long[] l => l.Length * 8L,
        int[] i => i.Length * 4L,
        RevmapEntry[] r => r.Length * (long)Unsafe.SizeOf<RevmapEntry>(),
        _ => throw new ArgumentException(a.GetType().Name),
    };
}
