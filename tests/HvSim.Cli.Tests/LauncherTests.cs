namespace HvSim.Cli.Tests;

/// <summary>What the `./hvsim` script does beyond starting the CLI.</summary>
public sealed class LauncherTests
{
    // The runtime reports the budget it settled on, not the variable's text, so these fail if the script stops setting
    // it or the runtime stops honouring it. bench's table caption is where hvsim prints it.
    [Fact]
    public void TheLauncherPinsTheGen0BudgetTo16MiB()
    {
        var r = Hvsim.RunLauncher(new Dictionary<string, string?> { ["DOTNET_GCgen0size"] = null }, "bench", "engine", "--quick");
        Assert.True(r.Exit == 0, r.ToString());
        Assert.Contains("GC: workstation, gen0 budget 16 MiB (DOTNET_GCgen0size=0x1000000)", r.Out);
    }

    [Fact]
    public void AUsersOwnGen0BudgetWinsOverTheLaunchers()
    {
        var r = Hvsim.RunLauncher(new Dictionary<string, string?> { ["DOTNET_GCgen0size"] = "0x2000000" }, "bench", "engine", "--quick");
        Assert.True(r.Exit == 0, r.ToString());
        Assert.Contains("gen0 budget 32 MiB (DOTNET_GCgen0size=0x2000000)", r.Out);
    }
}
