using System.Runtime.CompilerServices;
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
        // Back to back: only Zipf looks ahead, and still with the same draws.
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

    /// <summary>A page choice that records what the stream draws and what the look-ahead hints (a draw includes a double, so two never collide).</summary>
    private sealed class Recorder(RngStream stream)
    {
        public readonly List<PageDraw> Drawn = [];
        public readonly List<(int During, PageDraw Draw)> Hinted = [];
        public int Access;

        public struct Choice(Recorder recorder) : IPageChoice
        {
            public readonly bool LooksAhead => true;
            public readonly bool Pure => false;

            public readonly PageDraw Draw(ref RngState rng, long now)
            {
                var draw = new PageDraw((int)rng.NextBounded(Pages), rng.NextDouble());
                if (Unsafe.AreSame(ref rng, ref recorder.Stream.State)) recorder.Drawn.Add(draw);
                return draw;
            }

            public readonly void Prefetch(in PageDraw draw) => recorder.Hinted.Add((recorder.Access, draw));
            public readonly int Resolve(in PageDraw draw) => draw.Slot;
        }

        public RngStream Stream => stream;

        /// <summary><paramref name="accesses"/> accesses of a stream with this choice, someone else drawing once after each access <paramref name="interferes"/> names.</summary>
        public void Run(double writeFraction, long thinkNs, int accesses, Func<int, bool> interferes)
        {
            var source = new SyntheticSource<Choice>(new UniformWorkload { WriteFraction = writeFraction, ThinkNs = thinkNs }, new Choice(this), stream);
            var access = new GuestAccess();
            for (Access = 0; Access < accesses; Access++)
            {
                Assert.True(source.Next(0, ref access));
                if (interferes(Access)) stream.NextUInt64();
            }
        }
    }

    [Theory]
    [InlineData(0.3, 2_000L)]
    [InlineData(0, 0L)]
    [InlineData(0.5, 1L)]
    public void EachAccessHintsTheDrawTheStreamMakesLeadAccessesLater(double writeFraction, long thinkNs)
    {
        var recorder = new Recorder(new RngStream(23, "s"));
        recorder.Run(writeFraction, thinkNs, Accesses, _ => false);
        const int lead = AccessLookahead.Lead;
        // The first access starts the look-ahead: it hints accesses 1 to Lead. From then on access i hints access i + Lead.
        Assert.Equal(recorder.Drawn[1..(lead + 1)], recorder.Hinted.Where(h => h.During == 0).Select(h => h.Draw));
        for (int i = 1; i + lead < Accesses; i++)
            Assert.Equal([recorder.Drawn[i + lead]], recorder.Hinted.Where(h => h.During == i).Select(h => h.Draw));
    }

    [Fact]
    public void AfterSomeoneElseDrawsTheLookaheadStartsAgainAndHintsRightOnceMore()
    {
        var recorder = new Recorder(new RngStream(29, "shared"));
        recorder.Run(0.3, 1_000, Accesses, Interferes);
        const int lead = AccessLookahead.Lead;
        var hintedDuring = recorder.Hinted.ToLookup(h => h.During, h => h.Draw);
        // Access j is hinted by one of the Lead accesses before it unless someone else drew after one of them.
        int checkedAccesses = 0;
        for (int j = lead; j < Accesses; j++)
        {
            if (Enumerable.Range(j - lead, lead).Any(Interferes)) continue;
            Assert.True(Enumerable.Range(j - lead, lead).Any(i => hintedDuring[i].Contains(recorder.Drawn[j])), $"access {j} was not hinted");
            checkedAccesses++;
        }
        Assert.True(checkedAccesses > Accesses * 9 / 10, $"{checkedAccesses} accesses checked");
    }
}
