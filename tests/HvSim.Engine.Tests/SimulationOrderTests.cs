using HvSim.Engine;

namespace HvSim.Engine.Tests;

public class SimulationOrderTests
{
    [Fact]
    public void DelaysFireInTimeOrderAndAdvanceTheClock()
    {
        var sim = new Simulation();
        var log = new List<(string, long)>();
        IEnumerable<Command> P(string name, long d)
        {
            yield return Command.Delay(d);
            log.Add((name, sim.Now));
        }
        sim.Start(P("late", 30));
        sim.Start(P("early", 10));
        sim.Run();
        Assert.Equal(new[] { ("early", 10L), ("late", 30L) }, log);
    }
}
