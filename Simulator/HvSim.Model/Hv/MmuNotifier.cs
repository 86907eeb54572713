using System.Runtime.CompilerServices;
using HvSim.Model.Config;
using HvSim.Model.Guest;
using HvSim.Model.Mm;

namespace HvSim.Model.Hv;

/// <summary>
/// KVM's MMU-notifier callbacks for one Book3S HV VM (kernel-model.md §2.4-2.6, §2.8) and the per-VM
/// mmu_notifier_seq / mmu_notifier_count that make racing faults retry. All callbacks are no-ops when the VM does not
/// use MMU notifiers (PPC970, §2.9). Times are ns; each method returns when its tlbies have completed.
/// </summary>
public sealed class MmuNotifier
{
    private readonly Vm _vm;
    private readonly HostPage[] _pages;
    private readonly AgingVariant _aging;

    public MmuNotifier(Vm vm, HostPage[] pages, AgingVariant aging)
    {
        _vm = vm;
        _pages = pages;
        _aging = aging;
    }

    /// <summary>kvm->mmu_notifier_seq: bumped by every completed invalidation.</summary>
    public long Seq { get; private set; }
    /// <summary>kvm->mmu_notifier_count: invalidate_range_start calls not yet ended.</summary>
    public int Count { get; private set; }

    private bool Active => _vm.UsesMmuNotifiers;

    /// <summary>mmu_notifier_retry: a fault or H_ENTER that snapshotted <paramref name="seq"/> must not go VALID.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Retry(long seq) => Count != 0 || Seq != seq;

    /// <summary>invalidate_page: seq++ then kvm_unmap_hva (reclaim's try_to_unmap_one, migration).</summary>
    public long InvalidatePage(int hostPage, long t)
    {
        if (!Active) return t;
        Seq++;
        return UnmapHva(hostPage, t);
    }

    /// <summary>invalidate_range_start: count++ then kvm_unmap_hva for every page of the range.</summary>
    public long InvalidateRangeStart(int firstHostPage, int pages, long t)
    {
        if (!Active) return t;
        Count++;
        for (int p = firstHostPage; p < firstHostPage + pages; p++) t = UnmapHva(p, t);
        return t;
    }

    /// <summary>invalidate_range_end: seq++ then count--.</summary>
    public void InvalidateRangeEnd()
    {
        if (!Active) return;
        Seq++;
        Count--;
    }

    /// <summary>kvm_unmap_hva / kvm_unmap_rmapp: every HPTE on the chain goes ABSENT with one tlbie, R/C harvested.</summary>
    public long UnmapHva(int hostPage, long t)
    {
        if (!Active) return t;
        _vm.Counters.UnmapHvaCalls++;
        return UnmapRmapp(hostPage, t);
    }

    private long UnmapRmapp(int hostPage, long t)
    {
        ref var page = ref _pages[hostPage];
        var hpt = _vm.Hpt;
        while (page.RmapHead >= 0)
        {
            int i = page.RmapHead;
            Rmap.Unlink(hpt, ref page, i);
            ref var h = ref hpt.Entries[i];
            var rc = h.Flags & (HpteFlags.Referenced | HpteFlags.Changed);
            h.Flags = (h.Flags & ~(HpteFlags.Valid | HpteFlags.Referenced | HpteFlags.Changed)) | HpteFlags.Absent;
            t = _vm.Tlbie(t);
            // The final R/C are read after the tlbie (hardware may set them late) into both views.
            if ((rc & HpteFlags.Referenced) != 0) page.Set(HostPageFlags.RmapReferenced);
            if ((rc & HpteFlags.Changed) != 0) page.Set(HostPageFlags.RmapChanged);
            hpt.Revmap[i].GuestRc |= rc;
            _vm.Counters.HptesInvalidated++;
        }
        return t;
    }

    /// <summary>kvm_age_hva (clear_flush_young): v1 unmaps a referenced page, v2 clears hardware R bits (§2.5).</summary>
    public bool AgeHva(int hostPage, ref long t)
    {
        if (!Active) return false;
        _vm.Counters.AgeHvaCalls++;
        ref var page = ref _pages[hostPage];
        bool young = page.Has(HostPageFlags.RmapReferenced);
        if (_aging == AgingVariant.Unmap)
        {
            if (young) t = UnmapRmapp(hostPage, t);
            page.Clear(HostPageFlags.RmapReferenced);
            return young;
        }
        page.Clear(HostPageFlags.RmapReferenced);
        var hpt = _vm.Hpt;
        int head = page.RmapHead;
        if (head < 0) return young;
        int i = head;
        do
        {
            ref var h = ref hpt.Entries[i];
            if ((h.Flags & HpteFlags.Referenced) != 0)
            {
                h.Flags &= ~HpteFlags.Referenced;
                t = _vm.Tlbie(t);
                hpt.Revmap[i].GuestRc |= HpteFlags.Referenced;
                young = true;
            }
            i = hpt.Revmap[i].Forw;
        } while (i != head);
        return young;
    }

    /// <summary>kvm_test_age_hva (test_young): REFERENCED, or (v2) any HPTE on the chain with R set; changes nothing.</summary>
    public bool TestAgeHva(int hostPage)
    {
        if (!Active) return false;
        ref var page = ref _pages[hostPage];
        if (page.Has(HostPageFlags.RmapReferenced)) return true;
        if (_aging == AgingVariant.Unmap || page.RmapHead < 0) return false;
        var hpt = _vm.Hpt;
        int i = page.RmapHead;
        do
        {
            if ((hpt.Entries[i].Flags & HpteFlags.Referenced) != 0) return true;
            i = hpt.Revmap[i].Forw;
        } while (i != page.RmapHead);
        return false;
    }

    /// <summary>kvm_set_spte_hva (change_pte): Book3S HV simply unmaps (§2.6); the caller bumped seq.</summary>
    public long SetSpteHva(int hostPage, long t)
    {
        if (!Active) return t;
        Seq++;
        return UnmapHva(hostPage, t);
    }
}
