using HvSim.Model.Config;
using HvSim.Model.Guest;
using HvSim.Model.Mm;

namespace HvSim.Model.Hv;

public enum HEnterStatus
{
    /// <summary>H_SUCCESS: the HPTE was written VALID or ABSENT.</summary>
    Success,
    /// <summary>PPC970: the page is not pinned yet; the real-mode handler punts to virtual mode (§2.9).</summary>
    TooHard,
}

/// <summary>The guest's HPT-management hypercalls, handled in real mode (kernel-model.md §2.1, §2.7).</summary>
public static class Hcalls
{
    /// <summary>
    /// kvmppc_h_enter / kvmppc_do_h_enter for guest page <paramref name="guestPage"/> issued at <paramref name="t"/>;
    /// <paramref name="end"/> is when the guest resumes. <paramref name="virtualMode"/> is the PPC970 redo after
    /// kvmppc_virtmode_h_enter pinned the page (its cost is inside the exit already paid). A user mapping goes where the
    /// guest's hpte_insert puts it (<see cref="Hpt.UserSlot"/> finds it again); <paramref name="bolted"/> is the guest kernel's
    /// linear mapping of the page (htab_bolt_mapping: HPTE_V_BOLTED, its primary linear-map group only).
    /// </summary>
    public static HEnterStatus HEnter(Vm vm, Host host, int guestPage, long t, out long end, bool virtualMode = false, bool bolted = false)
    {
        if (!virtualMode)
        {
            vm.Counters.HEnterCalls++;
            t += host.Costs.RealModeHcallNs;
        }
        int hostPage = vm.HostPageOf(guestPage);
        host.Touched?.Add(hostPage);
        ref var page = ref host.Pages[hostPage];
        if (!vm.UsesMmuNotifiers && !page.Has(HostPageFlags.Pinned))
        {
            end = t;
            return HEnterStatus.TooHard;
        }
        long mmuSeq = vm.Notifier.Seq;
        var hpt = vm.Hpt;
        int slot;
        HpteFlags flags;
        if (bolted)
        {
            // The first slot of the group neither VALID nor ABSENT; admission refused a guest whose group is full.
            slot = hpt.FreeSlot(hpt.LinearGroup(guestPage));
            if (slot < 0) throw new InvalidOperationException($"linear-map PTEG of guest page {guestPage} is full (H_PTEG_FULL)");
            flags = HpteFlags.Bolted;
        }
        else
        {
            slot = ChooseSlot(vm, host, guestPage, ref t, out bool secondary);
            flags = secondary ? HpteFlags.Secondary : HpteFlags.None;
        }
        ref var h = ref hpt.Entries[slot];
        h.GuestPage = guestPage;
        h.Flags = flags;
        hpt.Revmap[slot].GuestRc = HpteFlags.None;
        // Step 3: the real-mode walk of QEMU's page table finds the host PTE present or not.
        if (page.State == HostPageState.Resident && !vm.Notifier.Retry(mmuSeq))
        {
            page.Set(HostPageFlags.Young);
            h.Flags |= HpteFlags.Valid;
            if (page.Has(HostPageFlags.Writable)) page.Set(HostPageFlags.Dirty);
            else h.Flags |= HpteFlags.ReadOnly;
            Rmap.Link(hpt, ref page, slot);
        }
        else
        {
            // pa = 0 (not present) or mmu_notifier_retry: H_SUCCESS with an ABSENT HPTE; the first access HDSIs.
            h.Flags |= HpteFlags.Absent;
        }
        end = t;
        return HEnterStatus.Success;
    }

    /// <summary>
    /// The guest's hpte_insert: a free slot of the primary, then the secondary PTEG; when both are full the guest
    /// H_REMOVEs a non-bolted HPTE of one of them (chosen by the timebase, as pSeries_lpar_hpte_remove does).
    /// </summary>
    private static int ChooseSlot(Vm vm, Host host, int guestPage, ref long t, out bool secondary)
    {
        var hpt = vm.Hpt;
        int primary = hpt.PrimaryGroup(guestPage);
        int slot = hpt.FreeSlot(primary);
        secondary = false;
        if (slot >= 0) return slot;
        int second = hpt.SecondaryGroup(guestPage);
        slot = hpt.FreeSlot(second);
        if (slot >= 0)
        {
            secondary = true;
            return slot;
        }
        long timebase = t * 512 / 1000; // 512 MHz timebase
        int group = (timebase & 1) == 0 ? primary : second;
        for (int k = 0; k < Hpt.PtegSlots; k++)
        {
            int i = group + (int)((timebase + k) & (Hpt.PtegSlots - 1));
            if ((hpt.Entries[i].Flags & HpteFlags.Bolted) != 0) continue;
            t = HRemove(vm, host, i, t);
            secondary = group == second;
            return i;
        }
        throw new InvalidOperationException("PTEG full of bolted HPTEs");
    }

    /// <summary>
    /// kvmppc_h_remove at <paramref name="t"/>: a VALID HPTE is tlbie'd (tlbiel if the VM has one vCPU) and unlinked
    /// with its R/C harvested; an ABSENT one just disappears. Returns when the guest resumes.
    /// </summary>
    public static long HRemove(Vm vm, Host host, int index, long t)
    {
        vm.Counters.HRemoveCalls++;
        t += host.Costs.RealModeHcallNs;
        var hpt = vm.Hpt;
        ref var h = ref hpt.Entries[index];
        if (h.GuestPage >= 0) host.Touched?.Add(vm.HostPageOf(h.GuestPage));
        if (h.IsValid)
        {
            if (vm.Config.Vcpus == 1)
            {
                vm.Counters.Tlbies++;
                t += host.Costs.TlbieNs;
            }
            else
            {
                t = vm.Tlbie(t);
            }
            ref var page = ref host.Pages[vm.HostPageOf(h.GuestPage)];
            Rmap.Unlink(hpt, ref page, index);
            var rc = h.Flags & (HpteFlags.Referenced | HpteFlags.Changed);
            hpt.Revmap[index].GuestRc |= rc;
            if ((rc & HpteFlags.Referenced) != 0) page.Set(HostPageFlags.RmapReferenced);
            if ((rc & HpteFlags.Changed) != 0) page.Set(HostPageFlags.RmapChanged);
        }
        h.GuestPage = -1;
        h.Flags = HpteFlags.None;
        return t;
    }
}
