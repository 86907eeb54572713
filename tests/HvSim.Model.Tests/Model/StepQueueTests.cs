using HvSim.Model.Guest;

namespace HvSim.Model.Tests.Model;

/// <summary>
/// GuestExecution's queue of waiting guest steps against a brute-force reference: a plain list searched for its
/// smallest (time, scheduling order) on every question, under random enqueues, head re-keys and removals.
/// </summary>
public class StepQueueTests
{
    [Theory]
    [InlineData(1, 4, 3)] // the quickstart's handful of vcores, many ties in time
    [InlineData(2, 64, 1000)] // the scale benchmark's 64 vcores, few ties
    [InlineData(3, 17, 0)] // every step at one nanosecond: scheduling order alone decides
    public void GivesUpItsStepsInTimeThenSchedulingOrder(int seed, int vcores, int spread)
    {
        var rng = new Random(seed);
        var queue = new StepQueue();
        var reference = new List<(long At, long Order, int Slot)>();
        var waiting = new bool[vcores];
        long order = 0, now = 0;
        for (int op = 0; op < 20_000; op++)
        {
            int r = rng.Next(10);
            if (r < 3 || reference.Count == 0)
            {
                int slot = rng.Next(vcores);
                if (waiting[slot]) continue; // a vcore has at most one step waiting
                long at = now + rng.Next(spread + 1);
                queue.Enqueue(slot, at, ++order);
                reference.Add((at, order, slot));
                waiting[slot] = true;
            }
            else
            {
                var head = reference.MinBy(e => (e.At, e.Order));
                var second = reference.Where(e => e != head).Select(e => e.At).DefaultIfEmpty(long.MaxValue).Min();
                Assert.Equal(head.At, queue.HeadAt);
                Assert.Equal(head.Slot, queue.HeadSlot);
                Assert.Equal(second, queue.SecondAt);
                now = head.At;
                reference.Remove(head);
                if (r < 8)
                {
                    // The head's vcore ran its turn and waits again, later.
                    long at = now + rng.Next(spread + 1);
                    queue.ReplaceHead(at, ++order);
                    reference.Add((at, order, head.Slot));
                }
                else
                {
                    queue.RemoveHead();
                    waiting[head.Slot] = false;
                }
            }
            Assert.Equal(reference.Count, queue.Count);
            Assert.Equal(reference.Count == 0 ? long.MaxValue : reference.Min(e => e.At), queue.HeadAt);
        }
    }
}
