using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using HvSim.Analysis.Planning;
using HvSim.Analysis.Tables;
using HvSim.Model.Config;

namespace HvSim.Analysis.Tests;

public class PlainNumberTests : IDisposable
{
    private readonly TempFolders _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(3e-6, "0.000003")]
    [InlineData(-2.5e-7, "-0.00000025")]
    [InlineData(1.2345678901234568e-10, "0.00000000012345678901234568")] // 17 significant digits
    [InlineData(1e21, "1000000000000000000000")]
    [InlineData(1.5e22, "15000000000000000000000")]
    [InlineData(0.30000000000000004, "0.30000000000000004")] // 0.1 + 0.2: all 17 digits kept
    [InlineData(123.5, "123.5")]
    [InlineData(0.0, "0")]
    public void NumbersAreWrittenWithoutAnExponent(double value, string expected) =>
        Assert.Equal(expected, PlainNumberConverter.Format(value));

    [Fact]
    public void EveryFiniteDoubleReadsBackExactly()
    {
        Prop.ForAll(ArbMap.Default.ArbFor<NormalFloat>(), f =>
        {
            string text = PlainNumberConverter.Format(f.Get);
            return !text.Contains('E') && double.Parse(text, CultureInfo.InvariantCulture) == f.Get;
        }).QuickCheckThrowOnFailure();
    }

    /// <summary>Every replication has the same tiny slowdown, so mean and both CI ends are that value.</summary>
    private sealed class TinySlowdown : IPlanEvaluator
    {
        public ProbeMetrics Evaluate(PlanPoint point, int replication) => new(true, double.NaN, 1e-7, 0);
    }

    [Fact]
    public void PlanCsvHasPlainNumbersAndReadsThemBack()
    {
        var slo = new Slo([new SloLimit(SloMetric.MeanStallFraction, 3e-6)]);
        var plan = new CapacityPlanner(new TinySlowdown(), slo, replications: 2, maxGuests: 2).FindMaxGuests(Platform.Power7);
        var dir = _temp.New("hvsim-analysis-");
        PlanFiles.Write(dir, new PlanResult("study", slo, 2, 2, [plan]));
        string[] lines = File.ReadAllLines(Path.Combine(dir, PlanFiles.PlanFile));
        Assert.StartsWith("study,power7,2,true,mean_stall_fraction,0.000003,0.95,2,0.0000001,0.0000001,0.0000001,,", lines[1]);
        Assert.All(File.ReadAllLines(Path.Combine(dir, PlanFiles.ProbesFile)).Skip(1), line =>
        {
            Assert.Contains(",mean_stall_fraction,0.000003,2,0.0000001,0.0000001,0.0000001,", line);
            Assert.EndsWith(",max_guests,0.0000001,true,meets the SLO", line); // the bound's upper end, plain too
        });
        var back = PlanFiles.TryRead(dir)!;
        Assert.Equal(3e-6, back.Plan.Single().Limit);
        Assert.Equal(1e-7, back.Plan.Single().Mean);
        Assert.Equal(1e-7, back.Probes[0].CiHigh);
    }
}
