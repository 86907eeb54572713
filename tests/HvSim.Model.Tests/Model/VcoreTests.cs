using HvSim.Model.Config;
using HvSim.Model.Hv;
using HvSim.Model.Workloads;
using static HvSim.Model.Tests.Model.ScriptedWorkload;

namespace HvSim.Model.Tests.Model;

public class VcoreTests
{
    [Theory]
    [InlineData(Platform.Power7)]
    [InlineData(Platform.Ppc970)]
    public void An_exit_pulls_the_running_threads_of_the_same_vcore_out_of_the_guest(Platform platform)
    {
        // vCPU 0 first-touches page 0 at t = 0: H_ENTER (1 us), HDSI real mode (1 us), exit at 2 us.
        // vCPUs 1-4 compute for 100 us, then hit a resident page. vCPUs 1-3 share vCPU 0's vcore (SMT4 on POWER7).
        GuestAccess[][] script = [[Read(0)], [Read(5, 100_000)], [Read(5, 100_000)], [Read(5, 100_000)], [Read(5, 100_000)]];
        var rig = new Rig(platform: platform, vcpus: 5, script: script);
        rig.MakeResident(5);
        rig.Host.Pages[5].Flags |= Mm.HostPageFlags.Pinned;
        Hcalls.HEnter(rig.Vm, rig.Host, 5, 0, out _);
        var vcpus = rig.StartVcpus();
        rig.Sim.Run();
        long access = Rig.Costs.AccessNs;
        if (platform == Platform.Power7)
        {
            Assert.Equal([100_000 + 10_000 + access, 100_000 + 10_000 + access, 100_000 + 10_000 + access, 100_000 + access],
                vcpus.Skip(1).Select(v => v.Clock));
            Assert.Equal(3, rig.Vm.Counters.VcoreExits);
        }
        else
        {
            // PPC970 has no SMT: no sibling exits (its first touch is an H_TOO_HARD exit, not an HDSI).
            Assert.All(vcpus.Skip(1), v => Assert.Equal(100_000 + access, v.Clock));
            Assert.Equal(0, rig.Vm.Counters.VcoreExits);
        }
    }
}
