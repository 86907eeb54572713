using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace HvSim.Engine.Tests;

/// <summary>
/// The kernel against a brute-force reference queue (a list searched for the minimum (time, class, sequence)),
/// under random interleavings of scheduling, cancelling, peeking, stepping and bounded runs.
/// </summary>
public class QueueModelTests
{
    private sealed record RefEvent(long Time, int Class, long Seq, int Id)
    {
        public bool Cancelled { get; set; }
    }

    [Theory]
    [InlineData(new[] { 5, 5, 3, 15, 3, 3 })]   // two due at 1; step one; schedule a zero delay; the older one first
    [InlineData(new[] { 5, 35, 10, 13, 4, 18 })]
    public void HandPickedInterleavingsAgreeWithABruteForceQueue(int[] ops) => Assert.True(AgreesWithBruteForce(ops));

    [Property(MaxTest = 1000, EndSize = 200)]
    public Property KernelAgreesWithABruteForceQueue() =>
        Prop.ForAll(Gen.Choose(0, 9_999).ArrayOf().ToArbitrary(), ops => AgreesWithBruteForce(ops));

    /// <summary>
    /// Delays scaled by 613 spread keys over the radix queue's higher levels (and its sorts of large buckets),
    /// while equal delays still tie.
    /// </summary>
    [Property(MaxTest = 500, EndSize = 400)]
    public Property KernelAgreesWithABruteForceQueueOnWideDelays() =>
        Prop.ForAll(Gen.Choose(0, 9_999).ArrayOf().ToArbitrary(), ops => AgreesWithBruteForce(ops, 613));

    private static bool AgreesWithBruteForce(int[] ops, long scale = 1)
    {
        var sim = new Simulation();
        var pending = new List<RefEvent>();
        var handles = new Dictionary<int, ScheduledCall>();
        var fired = new List<int>();
        var expected = new List<int>();
        long seq = 0, now = 0;
        int nextId = 0;

        RefEvent? Min() => pending.Where(e => !e.Cancelled).OrderBy(e => e.Time).ThenBy(e => e.Class).ThenBy(e => e.Seq).FirstOrDefault();
        void FireRef(RefEvent e) { pending.Remove(e); now = e.Time; expected.Add(e.Id); }

        foreach (int raw in ops)
        {
            int op = Math.Abs(raw % 5), arg = Math.Abs(raw / 5);
            switch (op)
            {
                case 0:
                case 1:
                {
                    long delay = scale * (arg % 3 == 0 ? 0 : arg % 50 < 40 ? arg % 4 : arg % 50);   // many ties and zero delays
                    var cls = arg % 7 == 0 ? EventPriority.Urgent : EventPriority.Normal;
                    int id = nextId++;
                    handles[id] = sim.Schedule(delay, () => fired.Add(id), cls);
                    pending.Add(new RefEvent(now + delay, (int)cls, seq++, id));
                    break;
                }
                case 2:
                {
                    var live = pending.Where(e => !e.Cancelled).ToList();
                    if (live.Count == 0) break;
                    var victim = live[arg % live.Count];
                    victim.Cancelled = true;
                    handles[victim.Id].Cancel();
                    break;
                }
                case 3:
                {
                    if (sim.Peek() != (Min()?.Time ?? long.MaxValue)) return false;
                    if (sim.Step() != (Min() != null)) return false;
                    if (Min() is { } m) FireRef(m);
                    break;
                }
                case 4:
                {
                    long until = now + scale * (arg % 40);
                    sim.Run(until);
                    while (Min() is { } m && m.Time <= until) FireRef(m);
                    now = until;
                    break;
                }
            }
            if (sim.Now != now || !fired.SequenceEqual(expected)) return false;
        }
        sim.Run();
        while (Min() is { } last) FireRef(last);
        return fired.SequenceEqual(expected) && sim.Now == now;
    }
}
