namespace HvSim.Model.Guest;

/// <summary>Why a thread left the guest for the host kernel.</summary>
public enum TrapKind : byte
{
    None,
    /// <summary>BOOK3S_INTERRUPT_H_DATA_STORAGE that the real-mode handler could not resolve (RESUME_PAGE_FAULT).</summary>
    Hdsi,
    /// <summary>PPC970: H_ENTER returned H_TOO_HARD in real mode (the page is not pinned yet, kernel-model.md §2.9).</summary>
    HEnterTooHard,
}

/// <summary>
/// One guest page fault on its way through the host, the record KVM's fault path hands from stage to stage (what
/// vcpu->arch.pgfault_addr/index/hpte carry from kvmppc_hpte_hv_fault to kvmppc_book3s_hv_page_fault in 3.4, gathered
/// the way later kernels gather it in struct kvm_page_fault): real-mode check, exit, get_user_pages (swap-in wait,
/// direct reclaim), recheck under mmu_notifier_seq, instantiate.
/// </summary>
public struct PageFault
{
    public TrapKind Kind;
    public int GuestPage;
    /// <summary>A store (DSISR_ISSTORE): get_user_pages with write = 1, and a read-only HPTE still faults.</summary>
    public bool Write;
    /// <summary>HPT slot the real-mode search found (pgfault_index); -1 for H_TOO_HARD.</summary>
    public int HpteIndex;
    /// <summary>The memslot's host page for <see cref="GuestPage"/>.</summary>
    public int HostPage;
    /// <summary>Time of the faulting access: the fault's latency runs from here to guest re-entry.</summary>
    public long Start;
    /// <summary>kvm->mmu_notifier_seq snapshotted before get_user_pages.</summary>
    public long MmuSeq;
}
