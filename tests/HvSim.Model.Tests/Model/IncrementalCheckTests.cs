using HvSim.Model.Check;
using HvSim.Model.Config;
using HvSim.Model.Mm;

namespace HvSim.Model.Tests.Model;

/// <summary>F23: the per-event check looks at what the event touched, so a broken rmap chain is caught at once.</summary>
public class IncrementalCheckTests
{
    private static SimulationConfig Config() => ModelKit.Small(Platform.Power7, hostMib: 40, guestMib: 24, durationMs: 40, check: true)
        with { InvariantFullSweepEveryEvents = int.MaxValue };

    [Fact]
    public void ACorruptedRmapChainOnATouchedPageIsCaughtAfterThatEventNotAtTheFinalSweep()
    {
        var cfg = Config();
        long events = 0, corruptedAt = -1;
        string? corruptedGuest = null;
        var ex = Assert.Throws<InvariantViolationException>(() => SimulationRunner.Run(cfg,
            pages => SimulationRunner.CreatePolicy(cfg.Host, pages), afterEvent: host =>
            {
                events++;
                if (corruptedAt >= 0 || events < 200) return;
                var touched = host.Touched!;
                for (int k = 0; k < touched.Count; k++)
                {
                    int p = touched[k];
                    int head = host.Pages[p].RmapHead;
                    if (head < 0) continue;
                    var hpt = host.VmOf(p).Hpt;
                    hpt.Revmap[head].Back = (head + 1) % hpt.Count; // the chain's tail no longer links back to the head
                    corruptedAt = events;
                    corruptedGuest = host.VmOf(p).Config.Name;
                    return;
                }
            }));
        Assert.True(corruptedAt > 0, "no touched page with an rmap chain was found");
        Assert.Equal(corruptedAt, events); // thrown by the check right after the corrupting event
        Assert.Contains("rmap forw/back broken", ex.Message);
        Assert.StartsWith(corruptedGuest + ": ", ex.Message);
    }

    [Fact]
    public void TheSameRunWithoutCorruptionPassesEveryCheck()
    {
        var cfg = Config();
        long events = 0;
        var r = SimulationRunner.Run(cfg, pages => SimulationRunner.CreatePolicy(cfg.Host, pages), afterEvent: _ => events++);
        Assert.Equal(r.ProcessedEvents, events);
        Assert.True(events > 200, $"{events} events");
    }
}
