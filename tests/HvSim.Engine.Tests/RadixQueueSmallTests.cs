using HvSim.Engine.Kernel;

namespace HvSim.Engine.Tests;

/// <summary>
/// A radix queue that holds at most four events keeps them outside its buckets (issue 12: M/M/1 has only the next
/// arrival and the service end pending), and moves them into the buckets when a fifth comes.
/// </summary>
public class RadixQueueSmallTests
{
    /// <summary>
    /// Pushes and pops that keep 0 to 6 entries pending, so the queue keeps crossing the four-entry limit, with keys
    /// from a narrow range (many ties): every pop, peek and minimum is the first pushed of the smallest keys, as in a
    /// brute-force list.
    /// </summary>
    [Theory]
    [InlineData(1, 4)]
    [InlineData(2, 40)]
    [InlineData(3, 5_000)]
    public void AroundTheSmallLimitPopsAreInKeyThenPushOrder(int seed, int keySpread)
    {
        var rng = new Random(seed);
        var queue = new RadixQueue();
        var reference = new List<(long Key, ulong Who)>();
        ulong who = 0;
        long floor = 0;
        for (int op = 0; op < 200_000; op++)
        {
            bool push = reference.Count == 0 || (reference.Count < 6 && rng.Next(2) == 0);
            if (push)
            {
                long key = floor + rng.Next(keySpread);
                queue.Push(key, ++who);
                reference.Add((key, who));
                Assert.Equal(reference.Count, queue.Count);
                continue;
            }
            int first = 0;
            for (int i = 1; i < reference.Count; i++)
                if (reference[i].Key < reference[first].Key) first = i;
            Assert.Equal(reference[first].Key, queue.MinKey);
            ref readonly var peeked = ref queue.Peek();
            Assert.Equal(reference[first], (peeked.Key, peeked.Who));
            var popped = queue.Pop();
            Assert.Equal(reference[first], (popped.Key, popped.Who));
            floor = popped.Key;
            reference.RemoveAt(first);
        }
    }

    /// <summary>
    /// Up to four pending events never touch a bucket: a fresh queue that stays within them allocates nothing (a
    /// bucket's first use allocates its array).
    /// </summary>
    [Fact]
    public void UpToFourPendingEventsAllocateNoBucket()
    {
        var queue = new RadixQueue();
        var rng = new Random(7);
        long now = 0;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++)
        {
            while (queue.Count < 4) queue.Push(now + 1 + rng.Next(1_000_000), (ulong)i + 1);
            now = queue.Pop().Key;
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
