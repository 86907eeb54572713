using HvSim.Model.Bench;
using HvSim.Model.Config;

namespace HvSim.Model.Tests.Model;

/// <summary>The quickstart configuration (60 s simulated on POWER7, 2 s on PPC970): POWER7 admits and pages, PPC970 refuses what cannot be pinned.</summary>
public class QuickstartTests
{
    [Fact]
    public void Power7AdmitsAllFourGuestsAndPages()
    {
        var r = SimulationRunner.Run(ModelBenchmarks.QuickstartConfig(Platform.Power7));
        Assert.Equal(4, r.Guests.Count(g => g.Admitted));
        Assert.All(r.Guests, g =>
        {
            Assert.True(g.MajorFaults > 0, $"{g.Guest}: no major faults");
            Assert.True(g.SwapOuts > 0, $"{g.Guest}: nothing swapped out");
            Assert.True(g.UnmapHvaCalls > 0);
            Assert.Equal(0, g.PinnedPages);
        });
        Assert.True(r.Host.KswapdWakeups > 0);
        // 12 GiB of guests on 7.5 GiB: the host never uses more RAM than it has.
        Assert.All(r.GuestSeries.GroupBy(s => s.TimeNs), t => Assert.True(t.Sum(s => s.ResidentBytes) <= (8L << 30) - (512L << 20)));
    }

    [Fact]
    public void Ppc970AdmitsTwoPinnedGuestsAndRefusesTwo()
    {
        // No warm-up: counters then cover the whole run, like the pinned-page level they are compared with.
        var r = SimulationRunner.Run(ModelBenchmarks.QuickstartConfig(Platform.Ppc970, 2_000_000_000) with { WarmupNs = 0 });
        Assert.Equal([true, true, false, false], r.Guests.Select(g => g.Admitted));
        Assert.All(r.Guests.Where(g => g.Admitted), g =>
        {
            Assert.Equal(0, g.HdsiFaults);
            Assert.Equal(0, g.SwapOuts);
            Assert.True(g.PinnedPages > 0);
            Assert.InRange(g.PinnedPages, 1, (3L << 30) / (64 << 10)); // pinned lazily, at most every page
            Assert.True(g.HEnterCalls >= g.PinnedPages); // each pin is one first H_ENTER (H_TOO_HARD)
            Assert.Equal(g.PinnedPages, g.MinorFaults); // each pinned page was zero-filled once by get_user_pages
            // One exit per pin, plus the rare race where both vCPUs punt the same page before it is pinned.
            Assert.InRange(g.Exits, g.PinnedPages, g.PinnedPages + g.PinnedPages / 100);
        });
        Assert.All(r.Guests.Where(g => !g.Admitted), g => Assert.Contains("PPC970 pins all guest memory", g.RefusalReason));
    }
}
