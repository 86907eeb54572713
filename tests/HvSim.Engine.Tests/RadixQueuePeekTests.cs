using HvSim.Engine.Kernel;

namespace HvSim.Engine.Tests;

/// <summary>
/// The radix queue's <see cref="RadixQueue.Peek"/> names the very entry <see cref="RadixQueue.Pop"/> takes next (the
/// first pushed of those with the smallest key), checked against a brute-force list, through refills that spread a
/// large bucket over lower levels, small buckets sorted into bucket 0, and buckets trading arrays as they grow.
/// </summary>
public class RadixQueuePeekTests
{
    [Theory]
    [InlineData(1, 40)]        // small buckets: sorted straight into bucket 0
    [InlineData(2, 3_000)]     // large buckets: spread over lower levels, arrays traded between buckets
    [InlineData(3, 100_000)]   // keys far apart: every level
    public void PeekIsWhatPopTakesNext(int seed, int keySpread)
    {
        var rng = new Random(seed);
        var queue = new RadixQueue();
        var reference = new List<(long Key, ulong Who)>(); // in push order: the first minimum is the one due
        ulong who = 0;
        long floor = 0;
        for (int op = 0; op < 60_000; op++)
        {
            if (reference.Count == 0 || rng.Next(100) < 55)
            {
                long key = floor + rng.Next(keySpread) / 8 * 8; // multiples of 8: many equal keys
                queue.Push(key, ++who);
                reference.Add((key, who));
                continue;
            }
            int first = 0;
            for (int i = 1; i < reference.Count; i++)
                if (reference[i].Key < reference[first].Key) first = i;
            ref readonly var peeked = ref queue.Peek();
            Assert.Equal(reference[first], (peeked.Key, peeked.Who));
            var popped = queue.Pop();
            Assert.Equal(reference[first], (popped.Key, popped.Who));
            floor = popped.Key; // like simulated time, keys never go below the last one taken
            reference.RemoveAt(first);
        }
    }
}
