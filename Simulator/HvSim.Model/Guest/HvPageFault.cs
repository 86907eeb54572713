using System.Runtime.CompilerServices;
using HvSim.Model.Config;
using HvSim.Model.Hv;
using HvSim.Model.Mm;

namespace HvSim.Model.Guest;

/// <summary>How the recheck under the rmap lock ends (kvmppc_book3s_hv_page_fault, steps d-e).</summary>
public enum FaultOutcome : byte
{
    /// <summary>The HPTE changed meanwhile (another vCPU fixed it, or the guest removed it): just resume the guest.</summary>
    Gone,
    /// <summary>mmu_notifier_retry: an invalidation ran since the snapshot; resume, the guest re-faults (another exit).</summary>
    Retry,
    /// <summary>The HPTE was made VALID (or writable).</summary>
    Instantiated,
}

/// <summary>
/// The non-blocking stages of kvmppc_book3s_hv_page_fault (virtual mode, kernel-model.md §2.3 step 2) and of
/// kvmppc_virtmode_h_enter (PPC970, §2.9). The blocking stage between them, get_user_pages, is driven by the vcore
/// runner (<see cref="Vcore"/>), which may sleep there for swap I/O or direct reclaim.
/// </summary>
public static class HvPageFault
{
    /// <summary>
    /// Step a: re-read the HPTE; the fault stands only if the slot still maps the page (the user HPTE may have been
    /// H_REMOVEd meanwhile; the bolted linear one never moves) and is still ABSENT, or still read-only for a store.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] // twice per fault: before get_user_pages and under the rmap lock
    public static bool StillFaulting(Vm vm, in PageFault f)
    {
        ref var h = ref vm.Hpt.Entries[f.HpteIndex];
        if (h.GuestPage != f.GuestPage) return false;
        return h.IsAbsent || (h.IsValid && f.Write && (h.Flags & HpteFlags.ReadOnly) != 0);
    }

    /// <summary>Step b's prologue: gfn -> host page, and the mmu_notifier_seq snapshot taken before get_user_pages.</summary>
    public static void Begin(Vm vm, Host host, ref PageFault f)
    {
        f.HostPage = vm.HostPageOf(f.GuestPage);
        f.MmuSeq = vm.Notifier.Seq;
        host.Touched?.Add(f.HostPage);
    }

    /// <summary>
    /// Steps d-e after get_user_pages: re-check the HPTE, then mmu_notifier_retry under the rmap lock (also when the
    /// page left RAM again), else instantiate; <paramref name="clock"/> advances by a protection upgrade's tlbie.
    /// </summary>
    public static FaultOutcome Finish(Vm vm, Host host, in PageFault f, ref long clock)
    {
        if (!StillFaulting(vm, f)) return FaultOutcome.Gone;
        if (vm.Notifier.Retry(f.MmuSeq) || host.Pages[f.HostPage].State != HostPageState.Resident)
        {
            vm.Counters.FaultRetries++;
            return FaultOutcome.Retry;
        }
        Instantiate(vm, host, f, ref clock);
        return FaultOutcome.Instantiated;
    }

    /// <summary>
    /// Step e: ABSENT -> VALID linked on the rmap chain (sets REFERENCED), or a protection upgrade of a VALID HPTE
    /// (tlbie first, R/C kept). Read-only when the host PTE is not writable, else SetPageDirty (a plain process's page,
    /// <see cref="FaultPath.Process"/>, only for a store: the PTE dirty bit).
    /// </summary>
    private static void Instantiate(Vm vm, Host host, in PageFault f, ref long clock)
    {
        int idx = f.HpteIndex, hostPage = f.HostPage;
        host.Touched?.Add(hostPage);
        ref var h = ref vm.Hpt.Entries[idx];
        ref var page = ref host.Pages[hostPage];
        if (h.IsValid)
        {
            clock = vm.Tlbie(clock);
            h.Flags &= ~HpteFlags.ReadOnly;
        }
        else
        {
            h.Flags = (h.Flags & (HpteFlags.Secondary | HpteFlags.Bolted)) | HpteFlags.Valid;
            Rmap.Link(vm.Hpt, ref page, idx);
        }
        page.Set(HostPageFlags.Young);
        if (page.Has(HostPageFlags.Writable))
        {
            h.Flags &= ~HpteFlags.ReadOnly;
            if (f.Write || vm.Config.FaultPath == FaultPath.Kvm) page.Set(HostPageFlags.Dirty);
        }
        else
        {
            h.Flags |= HpteFlags.ReadOnly;
        }
    }

    /// <summary>
    /// PPC970 kvmppc_virtmode_h_enter after get_user_pages: keep the page reference in slot_phys (pinned for the life
    /// of the memslot) and redo H_ENTER, unless another vCPU inserted the HPTE meanwhile.
    /// </summary>
    public static void PinAndEnter(Vm vm, Host host, in PageFault f, ref long clock)
    {
        Pin(vm, host, f.HostPage);
        if (vm.Hpt.UserSlot(f.GuestPage) < 0) Hcalls.HEnter(vm, host, f.GuestPage, clock, out clock, virtualMode: true);
    }

    /// <summary>PPC970 kvmppc_get_guest_page: the page reference kept in slot_phys pins the resident page for the life of the memslot.</summary>
    public static void Pin(Vm vm, Host host, int hostPage)
    {
        ref var page = ref host.Pages[hostPage];
        if (page.Has(HostPageFlags.Pinned)) return;
        page.Set(HostPageFlags.Pinned);
        vm.Counters.PinnedPages++;
    }
}
