using HvSim.Engine;
using HvSim.Model.Workloads;

namespace HvSim.Model.Tests.Workloads;

/// <summary>
/// The access look-ahead (<see cref="AccessLookahead"/>) predicts a synthetic stream's later pages for prefetch hints
/// from a copy of its random generator. Checked against a reference that draws each access straight from a generator
/// of the same seed with the workload's definition (page choice, then the store draw, then the think draw), so the
/// stream's draws are the ones it would make with no look-ahead, also when someone else advances its generator.
/// </summary>
public class AccessLookaheadTests
{
    private const int Pages = 5000;
    private const int Accesses = 20_000;

    public static TheoryData<string, double, long> Streams => new()
    {
        { "uniform", 0.3, 2_000 },
        { "uniform", 0, 500 },
        { "zipf", 0.3, 50_000 },
        { "zipf", 0, 1 },
        { "hotcold", 0.5, 30_000 },
        { "hotcold", 0, 100 },
        // No think time: no look-ahead, and the same draws.
        { "uniform", 0.3, 0 },
        { "zipf", 0, 0 },
    };

    private static WorkloadSpec Spec(string kind, double writeFraction, long thinkNs) => kind switch
    {
        "uniform" => new UniformWorkload { WriteFraction = writeFraction, ThinkNs = thinkNs },
        "zipf" => new ZipfWorkload { Alpha = 1.1, WriteFraction = writeFraction, ThinkNs = thinkNs, LayoutSeed = 3 },
        _ => new HotColdWorkload { HotAccessFraction = 0.8, HotPageFraction = 0.05, WriteFraction = writeFraction, ThinkNs = thinkNs, LayoutSeed = 3 },
    };

    /// <summary>One access drawn from <paramref name="rng"/> as the workload defines it, with nothing looking ahead.</summary>
    private static (int Page, bool Write, long Think) Reference(WorkloadSpec spec, RngStream rng)
    {
        int page;
        switch (spec)
        {
            case UniformWorkload:
                page = (int)rng.NextBounded(Pages);
                break;
            case ZipfWorkload z:
                page = new PagePermutation(Pages, z.LayoutSeed).Map(ZipfSampler.For(Pages, z.Alpha).Sample(rng));
                break;
            default:
                var h = (HotColdWorkload)spec;
                int hot = h.HotPages(Pages), cold = Pages - hot;
                int slot = rng.NextDouble() < h.HotAccessFraction ? (int)rng.NextBounded((ulong)hot) : hot + (int)rng.NextBounded((ulong)cold);
                page = new PagePermutation(Pages, h.LayoutSeed).Map(slot);
                break;
        }
        bool write = spec.WriteFraction > 0 && rng.NextDouble() < spec.WriteFraction;
        long think = spec.ThinkNs > 0 ? (long)Math.Round(rng.NextExponential(spec.ThinkNs)) : 0;
        return (page, write, think);
    }

    /// <summary>After which accesses someone else draws from the stream's generator: a few isolated ones and a burst.</summary>
    private static bool Interferes(int access) => access % 997 == 5 || access is >= 4000 and < 4010;

    [Theory]
    [MemberData(nameof(Streams))]
    public void TheStreamDrawsWhatItWouldWithoutLookingAheadEvenWhenItsGeneratorIsShared(string kind, double writeFraction, long thinkNs)
    {
        var spec = Spec(kind, writeFraction, thinkNs);
        var rng = new RngStream(17, "shared");
        var reference = new RngStream(17, "shared");
        var source = spec.Create(Pages, 0, 1, rng);
        var access = new GuestAccess();
        for (int i = 0; i < Accesses; i++)
        {
            Assert.True(source.Next(i * 1000L, ref access));
            Assert.Equal(Reference(spec, reference), (access.Page, access.IsWrite, access.ThinkNs));
            if (Interferes(i)) Assert.Equal(reference.NextUInt64(), rng.NextUInt64());
        }
    }

    [Theory]
    [MemberData(nameof(Streams))]
    public void ThePredictedPageIsThePageTheStreamThenDraws(string kind, double writeFraction, long thinkNs)
    {
        var source = Spec(kind, writeFraction, thinkNs).Create(Pages, 0, 1, new RngStream(23, "s"));
        var rng = new RngStream(23, "s");
        var pages = new int[Accesses];
        var predicted = new int[Accesses];
        var access = new GuestAccess();
        for (int i = 0; i < Accesses; i++)
        {
            Assert.True(source.Next(0, ref access));
            (pages[i], predicted[i]) = (access.Page, access.PrefetchPage);
        }
        if (thinkNs == 0)
        {
            Assert.All(predicted, p => Assert.Equal(-1, p));
            return;
        }
        // The guess made with access i is for access i + 1 + PageLead: every one is right (nothing else draws here).
        for (int i = 0; i + 1 + AccessLookahead.PageLead < Accesses; i++)
            Assert.True(pages[i + 1 + AccessLookahead.PageLead] == predicted[i], $"access {i}: predicted {predicted[i]}, drawn {pages[i + 1 + AccessLookahead.PageLead]}");
    }

    [Theory]
    [InlineData("uniform")]
    [InlineData("zipf")]
    [InlineData("hotcold")]
    public void AfterSomeoneElseDrawsTheLookaheadStartsAgainAndPredictsRightOnceMore(string kind)
    {
        var rng = new RngStream(29, "shared");
        var source = Spec(kind, 0.3, 1_000).Create(Pages, 0, 1, rng);
        var pages = new int[Accesses];
        var predicted = new int[Accesses];
        var access = new GuestAccess();
        for (int i = 0; i < Accesses; i++)
        {
            Assert.True(source.Next(0, ref access));
            (pages[i], predicted[i]) = (access.Page, access.PrefetchPage);
            if (Interferes(i)) rng.NextUInt64();
        }
        // A guess made with access i is for access i + 1 + PageLead; an extra draw after any access from i to
        // i + PageLead moves the stream under it. Every guess with no such draw in between is right.
        int right = 0;
        for (int i = 0; i + 1 + AccessLookahead.PageLead < Accesses; i++)
        {
            if (Enumerable.Range(i, AccessLookahead.PageLead + 1).Any(Interferes)) continue;
            Assert.True(pages[i + 1 + AccessLookahead.PageLead] == predicted[i], $"access {i}: predicted {predicted[i]}, drawn {pages[i + 1 + AccessLookahead.PageLead]}");
            right++;
        }
        Assert.True(right > Accesses * 9 / 10, $"{right} checked guesses");
    }
}
