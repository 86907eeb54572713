using HvSim.Model.Config;

namespace HvSim.Model.Guest;

public static class PlatformExtensions
{
    /// <summary>kvm->arch.using_mmu_notifiers: 1 on POWER7 (CPU_FTR_ARCH_206), 0 on PPC970.</summary>
    public static bool UsesMmuNotifiers(this Platform platform) => platform == Platform.Power7;

    /// <summary>threads_per_core of the host: POWER7 SMT4, PPC970 has no SMT. KVM_CAP_PPC_SMT reports it to QEMU.</summary>
    public static int ThreadsPerCore(this Platform platform) => platform == Platform.Power7 ? 4 : 1;
}
