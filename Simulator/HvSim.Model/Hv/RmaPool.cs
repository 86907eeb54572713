using HvSim.Model.Config;
using HvSim.Model.Guest;

namespace HvSim.Model.Hv;

/// <summary>
/// PPC970 real-mode areas (kernel-model.md §2.9). kvm_linear_init (3.4 book3s_hv_builtin.c) preallocates
/// kvm_rma_count physically contiguous RMAs of kvm_rma_size at host boot, out of all other use; the kernel's default
/// count is 0 (no pool, so no PPC970 guest can run until the administrator boots with kvm_rma_count=N). Each guest
/// needs one, because PPC970 runs guest real mode there (kvmppc_hv_setup_rma: "CPU requires an RMO" otherwise). QEMU
/// gets the RMA through KVM_ALLOCATE_RMA, and maps it as the first kvm_rma_size of guest memory. Its pfns go straight
/// into slot_phys, so those guest pages are never faulted in or pinned one by one, and the guest pins only the rest of
/// its memory. A guest that is refused gives its RMA back (kvm_release_rma). POWER7 runs real mode in a VRMA of
/// ordinary guest pages and has no pool.
/// </summary>
public readonly record struct RmaPool(int Count, long PagesEach)
{
    /// <summary>
    /// The pool the host booted with: host.rma_count RMAs, or with rma_count auto one per admitted guest. No RMA size
    /// means no pool and no RMA needed.
    /// </summary>
    public static RmaPool AtBoot(SimulationConfig config, int admittedGuests)
    {
        long each = PagesPerRma(config);
        return each == 0 ? default : new RmaPool(config.Host.RmaCount ?? admittedGuests, each);
    }

    /// <summary>kvm_rma_size in host pages; 0 on POWER7 or with no RMA size.</summary>
    public static long PagesPerRma(SimulationConfig config)
    {
        var host = config.Host;
        if (config.Platform.UsesMmuNotifiers() || host.RmaBytes == 0) return 0;
        return (host.RmaBytes + host.PageSizeBytes - 1) / host.PageSizeBytes;
    }

    /// <summary>Of a guest's memslot of <paramref name="guestHostPages"/> host pages, how many its RMA backs.</summary>
    public static long BackedPages(SimulationConfig config, long guestHostPages) => Math.Min(PagesPerRma(config), guestHostPages);

    /// <summary>Host pages the pool takes at boot.</summary>
    public long TotalPages => Count * PagesEach;

    /// <summary>Guests need an RMA to run at all (PPC970 with a non-zero kvm_rma_size).</summary>
    public bool Required => PagesEach > 0;
}
