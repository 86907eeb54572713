using HvSim.Model.Guest;
using HvSim.Model.Hv;
using HvSim.Model.Mm;

namespace HvSim.Model.Check;

public sealed class InvariantViolationException(string message) : Exception(message);

/// <summary>
/// The kernel-model.md §5 invariants plus issue 3's accounting identities. <see cref="CheckTouched"/> checks only the
/// host pages events touched since the last check (their state, LRU membership, swap slot, rmap chain and the HPTEs
/// of their guest pages); <see cref="CheckAll"/> sweeps every page and HPTE and the whole-host counts.
/// </summary>
public sealed class InvariantChecker
{
    private readonly Host _host;
    /// <summary>Per HPTE: the mark of the last chain walk that met it (a fresh mark per walk, so nothing is cleared).</summary>
    private readonly int[] _chainMark;
    private int _mark;
    private long _lastNow;

    public InvariantChecker(Host host)
    {
        _host = host;
        _chainMark = new int[host.Vms.Count == 0 ? 0 : host.Vms.Max(vm => vm.Hpt.Count)];
        Touched = new TouchedPages(host.Pages.Length);
        host.Touched = Touched;
    }

    public TouchedPages Touched { get; }

    /// <summary>Check what the events since the last check touched; sweeps everything if they touched too much.</summary>
    public void CheckTouched()
    {
        if (Touched.Overflowed)
        {
            CheckAll();
            return;
        }
        CheckGlobal();
        for (int k = 0; k < Touched.Count; k++)
        {
            int p = Touched[k];
            var vm = _host.VmOf(p);
            int mark = NextMark();
            CheckPage(vm, p, mark);
            int perHostPage = vm.GuestPageCount / vm.HostPageCount;
            int first = (p - vm.HostBase) * perHostPage;
            for (int gp = first; gp < first + perHostPage; gp++)
            {
                CheckGuestPageHpte(vm, gp, vm.Hpt.UserSlot(gp), p, mark);
                if (vm.LinearMapBolted) CheckGuestPageHpte(vm, gp, vm.Hpt.LinearSlot(gp), p, mark);
            }
        }
        Touched.Clear();
    }

    /// <summary>Guest page <paramref name="gp"/>'s user or bolted HPTE <paramref name="i"/> (none when -1) maps it, and is on host page <paramref name="p"/>'s chain when VALID.</summary>
    private void CheckGuestPageHpte(Vm vm, int gp, int i, int p, int mark)
    {
        if (i < 0) return;
        ref var h = ref vm.Hpt.Entries[i];
        if (h.GuestPage != gp) Fail($"{vm.Config.Name}: guest page {gp}'s HPTE {i} maps guest page {h.GuestPage}");
        CheckHpte(vm, i, ref h);
        if (h.IsValid && _chainMark[i] != mark) Fail($"{vm.Config.Name}: VALID HPTE {i} is not on the rmap chain of host page {p}");
    }

    /// <summary>Every invariant over the whole host state.</summary>
    public void CheckAll()
    {
        CheckGlobal();
        long inRam = 0, writeback = 0;
        foreach (var vm in _host.Vms)
        {
            var hpt = vm.Hpt;
            int mark = NextMark();
            long never = 0, resident = 0, swapCache = 0, swapped = 0;
            for (int p = vm.HostBase; p < vm.HostBase + vm.HostPageCount; p++)
            {
                ref var page = ref _host.Pages[p];
                if (page.Has(HostPageFlags.Writeback)) writeback++;
                switch (page.State)
                {
                    case HostPageState.NeverTouched: never++; break;
                    case HostPageState.Resident: resident++; break;
                    case HostPageState.SwapCache: swapCache++; break;
                    case HostPageState.SwappedOut: swapped++; break;
                }
                CheckPage(vm, p, mark);
            }
            if (never + resident + swapCache + swapped != vm.HostPageCount)
                Fail($"{vm.Config.Name}: page states sum to {never + resident + swapCache + swapped}, not {vm.HostPageCount}");
            inRam += resident + swapCache - vm.PoolPages;   // RMA and hugetlbfs pages are their pools', counted in RmaPages and HugetlbPages
            for (int i = 0; i < hpt.Count; i++)
            {
                ref var h = ref hpt.Entries[i];
                CheckHpte(vm, i, ref h);
                if (h.IsValid && _chainMark[i] != mark)
                    Fail($"{vm.Config.Name}: VALID HPTE {i} is not on the rmap chain of host page {vm.HostPageOf(h.GuestPage)}");
                else if (!h.IsValid && _chainMark[i] == mark)
                    Fail($"{vm.Config.Name}: non-VALID HPTE {i} is on an rmap chain");
                if (!h.IsFree && ((h.Flags & HpteFlags.Bolted) != 0 ? vm.Hpt.LinearSlot(h.GuestPage) : vm.Hpt.UserSlot(h.GuestPage)) != i)
                    Fail($"{vm.Config.Name}: HPTE {i} is not the guest's slot for page {h.GuestPage}");
            }
        }
        // Pages merged by KSM share the KSM pages' memory.
        long used = _host.ReservedPages + _host.RmaPages + _host.KvmPages + _host.HugetlbPages + _host.CompressedPoolPages + inRam
            - (_host.Ksm?.PagesMerged ?? 0) + (_host.Ksm?.PagesShared ?? 0) + (_host.PageCache?.NrCached ?? 0);
        if (_host.FreePages + used != _host.TotalPages)
            Fail($"free {_host.FreePages} + used {used} != host pages {_host.TotalPages}");
        if (writeback != _host.WritebackPages) Fail($"{writeback} pages have PG_writeback but {_host.WritebackPages} are counted under writeback");
        Touched.Clear();
    }

    private void CheckGlobal()
    {
        var sim = _host.Sim;
        if (sim.Now < _lastNow) Fail($"simulated time went back from {_lastNow} to {sim.Now}");
        _lastNow = sim.Now;
        if (_host.FreePages < 0) Fail($"free pages went negative: {_host.FreePages}");
        // Writers sleep in get_request_wait at the request limit.
        if (_host.SwapDevice.QueuedWrites > SwapDevice.NrRequests)
            Fail($"{_host.SwapDevice.QueuedWrites} swap writes queued, more than the request list allows");
    }

    private int NextMark()
    {
        if (++_mark == int.MaxValue)
        {
            Array.Clear(_chainMark);
            _mark = 1;
        }
        return _mark;
    }

    /// <summary>One host page: state, swap slot, LRU membership, pin, and its rmap chain (each HPTE stamped with <paramref name="mark"/>).</summary>
    private void CheckPage(Vm vm, int p, int mark)
    {
        ref var page = ref _host.Pages[p];
        if (page.State is HostPageState.SwapCache or HostPageState.SwappedOut && page.SwapSlot < 0)
            Fail($"{vm.Config.Name}: host page {p} is {page.State} without a swap slot");
        if (page.SwapSlot >= 0 && _host.SwapCache.OwnerOf(page.SwapSlot) != p)
            Fail($"{vm.Config.Name}: swap slot {page.SwapSlot} of host page {p} is owned by {_host.SwapCache.OwnerOf(page.SwapSlot)}");
        bool rma = vm.IsRmaPage(p);
        if (page.Has(HostPageFlags.Rma) != rma)
            Fail($"{vm.Config.Name}: host page {p} is {(rma ? "inside" : "outside")} the guest's RMA but its flags say {page.Flags}");
        if (rma && (page.State != HostPageState.Resident || !page.Has(HostPageFlags.Pinned)))
            Fail($"{vm.Config.Name}: RMA page {p} is {page.State}, {page.Flags}: it must stay resident and pinned");
        // On the LRU unless a read holds it locked or a reclaimer has it isolated (pages under writeback stay on it).
        bool onLru = page.InRam && !vm.IsUnevictable(p) && _host.Ksm?.IsMerged(p) != true && !page.Has(HostPageFlags.Locked | HostPageFlags.Isolated);
        if (_host.LruvecOf(p).Contains(p) != onLru)
            Fail($"{vm.Config.Name}: host page {p} ({page.State}, {page.Flags}) is {(onLru ? "missing from" : "wrongly on")} the LRU");
        if (page.Has(HostPageFlags.Pinned) && page.State != HostPageState.Resident)
            Fail($"{vm.Config.Name}: pinned host page {p} is {page.State}");
        if (page.RmapHead < 0) return;
        var hpt = vm.Hpt;
        int i = page.RmapHead, n = 0;
        do
        {
            if ((uint)i >= (uint)hpt.Count) Fail($"{vm.Config.Name}: rmap chain of host page {p} points outside the HPT ({i})");
            ref var h = ref hpt.Entries[i];
            if (!h.IsValid) Fail($"{vm.Config.Name}: HPTE {i} on the rmap chain of host page {p} is not VALID");
            if (vm.HostPageOf(h.GuestPage) != p) Fail($"{vm.Config.Name}: HPTE {i} (guest page {h.GuestPage}) is on the chain of host page {p}");
            if (_chainMark[i] == mark) Fail($"{vm.Config.Name}: HPTE {i} is on a chain twice");
            _chainMark[i] = mark;
            int forw = hpt.Revmap[i].Forw;
            if ((uint)forw >= (uint)hpt.Count || hpt.Revmap[forw].Back != i) Fail($"{vm.Config.Name}: rmap forw/back broken at HPTE {i}");
            i = forw;
            if (++n > hpt.Count) Fail($"{vm.Config.Name}: rmap chain of host page {p} does not close");
        } while (i != page.RmapHead);
    }

    /// <summary>One HPTE on its own: never both VALID and ABSENT, a VALID one maps a resident page, no ABSENT on PPC970.</summary>
    private void CheckHpte(Vm vm, int i, ref Hpte h)
    {
        if (h.IsValid && h.IsAbsent) Fail($"{vm.Config.Name}: HPTE {i} is both VALID and ABSENT");
        if (h.IsValid)
        {
            int p = vm.HostPageOf(h.GuestPage);
            if (_host.Pages[p].State != HostPageState.Resident)
                Fail($"{vm.Config.Name}: VALID HPTE {i} maps host page {p} which is {_host.Pages[p].State}");
        }
        if (h.IsAbsent && !vm.UsesMmuNotifiers) Fail($"{vm.Config.Name}: PPC970 HPTE {i} is ABSENT");
    }

    private static void Fail(string message) => throw new InvariantViolationException(message);
}
