namespace HvSim.Model.Config;

/// <summary>
/// How a guest's memory is faulted in on the host (guests.fault_path), declared once: the KVM guest HvSim models, or
/// the plain process the real-kernel validation (docs/validation.md) measures with the same access stream.
/// </summary>
public enum FaultPath : byte
{
    /// <summary>
    /// A KVM guest: the host fault is get_user_pages, whose FOLL_TOUCH calls mark_page_accessed (mm/gup.c
    /// follow_page_pte), and a page mapped writable into the guest is dirtied at once (3.4 kvmppc_book3s_hv_page_fault
    /// SetPageDirty; 6.x kvm_release_faultin_page with map_writable).
    /// </summary>
    Kvm,
    /// <summary>
    /// A plain process: the CPU's own page fault runs handle_mm_fault (no get_user_pages, no mark_page_accessed), and a
    /// page becomes dirty only when a store sets its PTE's dirty bit (try_to_unmap_one: pte_dirty -> folio_mark_dirty).
    /// </summary>
    Process,
}
