using HvSim.Engine;
using HvSim.Model.Workloads;

namespace HvSim.Model.Tests.Workloads;

/// <summary>
/// A vCPU takes its accesses through an <see cref="AccessWindow"/>, which a pure stream fills many at a time. Checked
/// against the same workload's plain stream (<see cref="IAccessSource.Next"/>, one access per call, with a generator of
/// the same seed): the same accesses in the same order, and the generator where the plain stream leaves it every time
/// the vCPU stops stepping, also when someone else draws from the generator in between and when the workload depends on
/// the time of the draw.
/// </summary>
public class AccessWindowTests
{
    private const int Pages = 5000;

    /// <summary>The guest's pages: <see cref="Pages"/>, or a power of two where the kind says so (a uniform choice draws those by a shift).</summary>
    private static int PagesOf(string kind) => kind.EndsWith("-4096-pages") ? 4096 : Pages;

    public static TheoryData<string> Workloads => new()
    {
        "uniform", "uniform-no-stores", "uniform-back-to-back-4096-pages", "zipf", "zipf-back-to-back", "hotcold", "sequential", "working_set", "mix", "phased",
    };

    private static WorkloadSpec Spec(string kind) => kind switch
    {
        "uniform" => new UniformWorkload { WriteFraction = 0.3, ThinkNs = 2_000 },
        "uniform-no-stores" => new UniformWorkload { WriteFraction = 0, ThinkNs = 0 },
        "uniform-back-to-back-4096-pages" => new UniformWorkload { WriteFraction = 0.3, ThinkNs = 0 },
        "zipf" => new ZipfWorkload { Alpha = 1.1, WriteFraction = 0.3, ThinkNs = 50_000, LayoutSeed = 3 },
        "zipf-back-to-back" => new ZipfWorkload { Alpha = 0.8, WriteFraction = 1, ThinkNs = 0, LayoutSeed = 5 },
        "hotcold" => new HotColdWorkload { HotAccessFraction = 0.8, HotPageFraction = 0.05, WriteFraction = 0.5, ThinkNs = 1, LayoutSeed = 3 },
        "sequential" => new SequentialWorkload { Stride = 3, Passes = 2, WriteFraction = 0.3, ThinkNs = 100 },
        "working_set" => new WorkingSetWorkload { StartFraction = 0.1, EndFraction = 1, RampNs = 5_000_000, WriteFraction = 0.3, ThinkNs = 300 },
        "mix" => new MixWorkload { Streams = [new(new UniformWorkload { ThinkNs = 10 }, 1), new(new ZipfWorkload { Alpha = 1.2 }, 2)] },
        _ => new PhasedWorkload
        {
            Loop = true,
            Phases = [new(new ZipfWorkload { Alpha = 1.2, ThinkNs = 500 }, 1_000_000), new(new UniformWorkload { ThinkNs = 700 }, 2_000_000)],
        },
    };

    /// <summary>
    /// Takes accesses as the vCPU's step loop does: <see cref="AccessWindow.Resume"/>, then accesses until
    /// <paramref name="steps"/> are made or the stream ends, then <see cref="AccessWindow.Leave"/>.
    /// </summary>
    private static List<(int Page, bool Write, long Think)> Steps(AccessWindow window, IAccessSource source, ref long now, int steps)
    {
        var made = new List<(int Page, bool Write, long Think)>();
        window.Resume();
        for (int i = 0; i < steps; i++)
        {
            if (window.IsEmpty && !source.Fill(now, window)) break;
            var access = window.Accesses[window.Next++];
            made.Add((access.Page, access.IsWrite, access.ThinkNs));
            now += access.ThinkNs + 100;
        }
        window.Leave();
        return made;
    }

    private static List<(int Page, bool Write, long Think)> Plain(IAccessSource source, ref long now, int steps)
    {
        var made = new List<(int Page, bool Write, long Think)>();
        var access = new GuestAccess();
        for (int i = 0; i < steps && source.Next(now, ref access); i++)
        {
            made.Add((access.Page, access.IsWrite, access.ThinkNs));
            now += access.ThinkNs + 100;
        }
        return made;
    }

    [Theory]
    [MemberData(nameof(Workloads))]
    public void AVcpuTakesWhatThePlainStreamMakesAndLeavesItsGeneratorWhereThePlainStreamWould(string kind)
    {
        var spec = Spec(kind);
        var (rng, plainRng) = (new RngStream(41, "g"), new RngStream(41, "g"));
        var (source, plain) = (spec.Create(PagesOf(kind), 0, 1, rng), spec.Create(PagesOf(kind), 0, 1, plainRng));
        var window = new AccessWindow();
        var turns = new Random(7);
        long now = 0, plainNow = 0;
        int made = 0;
        for (int turn = 0; turn < 3000; turn++)
        {
            // Turns of 0 to 2.5 windows of steps: a window is left part-used, used up exactly, or refilled within a turn.
            int steps = turns.Next(AccessWindow.Size * 5 / 2 + 1);
            var taken = Steps(window, source, ref now, steps);
            Assert.Equal(Plain(plain, ref plainNow, steps), taken);
            Assert.Equal(plainRng.StateWord, rng.StateWord);
            made += taken.Count;
            // Someone else draws from the generator now and then, once or several times.
            if (turn % 7 == 3)
                for (int i = turn % 3; i >= 0; i--) Assert.Equal(plainRng.NextUInt64(), rng.NextUInt64());
        }
        Assert.InRange(made, kind == "sequential" ? 2 * Pages : 50_000, int.MaxValue);
    }
}
