using HvSim.Model.Config;

namespace HvSim.Model.Guest;

public static class PlatformExtensions
{
    /// <summary>kvm->arch.using_mmu_notifiers: 1 on POWER7 (CPU_FTR_ARCH_206), 0 on PPC970.</summary>
    public static bool UsesMmuNotifiers(this Platform platform) => platform == Platform.Power7;

    /// <summary>threads_per_core of the host: POWER7 SMT4, PPC970 has no SMT. KVM_CAP_PPC_SMT reports it to QEMU.</summary>
    public static int ThreadsPerCore(this Platform platform) => platform == Platform.Power7 ? 4 : 1;

    /// <summary>
    /// hpte_page_size (3.4 kvm_book3s_64.h): the guest page sizes H_ENTER accepts besides 16 MiB (not modelled).
    /// 64 KiB HPTEs only with CPU_FTR_ARCH_206 (POWER7); on PPC970 they return H_PARAMETER.
    /// </summary>
    public static bool AcceptsGuestPage(this Platform platform, int bytes) =>
        bytes == 4096 || (bytes == 65536 && platform == Platform.Power7);

    /// <summary>
    /// The base page a Linux guest uses when the scenario does not say: the largest size the platform's H_ENTER accepts
    /// that the host's backing pages can hold (QEMU offers the guest no page larger than the RAM backing page).
    /// POWER7: 64 KiB on a 64 KiB host, else 4 KiB; PPC970: 4 KiB.
    /// </summary>
    public static int DefaultGuestPageBytes(this Platform platform, int hostPageBytes) =>
        platform.AcceptsGuestPage(65536) && hostPageBytes >= 65536 ? 65536 : 4096;

    /// <summary>
    /// LPIDs a host can give guests (kvmppc_mmu_hv_init, 3.4 book3s_64_mmu_hv.c): POWER7 has 10-bit LPIDs, LPID_RSVD
    /// (0x3ff) kept for partition switching and the host's own; PPC970 has 6 bits (MAX_LPID_970 = 63 reserved, 0 the host's).
    /// </summary>
    public static int GuestLpids(this Platform platform) => (1 << platform.LpidBits()) - 2;

    /// <summary>Width of the LPID (POWER7: the LPID SPR; PPC970: the LPID1 and LPID5 fields of HID4).</summary>
    public static int LpidBits(this Platform platform) => platform == Platform.Power7 ? 10 : 6;
}
