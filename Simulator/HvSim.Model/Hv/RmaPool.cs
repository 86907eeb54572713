using HvSim.Model.Config;
using HvSim.Model.Guest;

namespace HvSim.Model.Hv;

/// <summary>
/// PPC970 real-mode areas (kernel-model.md §2.9). kvm_rma_init preallocates kvm_rma_count physically contiguous RMAs
/// of kvm_rma_size at host boot, out of all other use. Each guest needs one, because PPC970 runs guest real mode
/// there. QEMU gets the RMA through KVM_ALLOCATE_RMA, and maps it as the first kvm_rma_size of guest memory. Its pfns
/// go straight into slot_phys, so those guest pages are never faulted in or pinned one by one, and the guest pins
/// only the rest of its memory. POWER7 runs real mode in a VRMA of ordinary guest pages and has no pool.
/// </summary>
public readonly record struct RmaPool(int Count, long PagesEach)
{
    /// <summary>The pool a host boots with. No RMA size means no pool and no RMA needed.</summary>
    public static RmaPool For(SimulationConfig config)
    {
        var host = config.Host;
        if (config.Platform.UsesMmuNotifiers() || host.RmaBytes == 0) return default;
        long page = host.PageSizeBytes;
        return new RmaPool(host.RmaCount ?? config.Guests.Count, (host.RmaBytes + page - 1) / page);
    }

    /// <summary>Host pages the pool takes at boot.</summary>
    public long TotalPages => Count * PagesEach;

    /// <summary>Guests need an RMA to run at all (PPC970 with a non-zero kvm_rma_size).</summary>
    public bool Required => PagesEach > 0;

    /// <summary>Of a guest's memslot of <paramref name="guestHostPages"/> host pages, how many its RMA backs.</summary>
    public long BackedPages(long guestHostPages) => Math.Min(PagesEach, guestHostPages);
}
