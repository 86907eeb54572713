namespace HvSim.Model.Results;

/// <summary>
/// Where a vCPU's time out of the guest goes (summary.csv's stall_*_s columns). Every stalled nanosecond has exactly
/// one cause; the time a trapped thread waits while its vcore's runner serves a sibling's fault is <see cref="Sibling"/>.
/// </summary>
public enum StallCause : byte
{
    /// <summary>
    /// Guest exits and hcalls: the real-mode part of an HDSI (kvmppc_hpte_hv_fault), real-mode H_ENTER, the exit and
    /// re-entry of the vcore, and kvmppc_book3s_hv_page_fault's HPTE instantiation with its tlbie (PPC970: the pin and H_ENTER).
    /// </summary>
    Exit,
    /// <summary>Waiting for a swap read that sits in the device queue behind other requests (submit to dispatch).</summary>
    SwapQueue,
    /// <summary>Waiting for a swap read the device is serving (dispatch to completion: latency and transfer).</summary>
    SwapService,
    /// <summary>__alloc_pages_slowpath: direct reclaim (with its kvm_unmap_hva tlbies and get_request_wait sleeps).</summary>
    DirectReclaim,
    /// <summary>Out of the guest because a sibling thread of the vcore trapped, or waiting while the runner serves its fault.</summary>
    Sibling,
    /// <summary>
    /// Everything else: get_user_pages work on resident and swap-cache pages (minor faults), do_anonymous_page. Keep it
    /// last: <see cref="GuestResult"/> has one slot per cause up to it.
    /// </summary>
    Other,
}
