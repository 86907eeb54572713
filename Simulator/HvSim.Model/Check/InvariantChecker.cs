using HvSim.Model.Hv;
using HvSim.Model.Mm;

namespace HvSim.Model.Check;

public sealed class InvariantViolationException(string message) : Exception(message);

/// <summary>
/// The kernel-model.md §5 invariants plus issue 3's accounting identities, checked over the whole host state.
/// </summary>
public sealed class InvariantChecker(Host host)
{
    private long _lastNow;
    private bool[] _onChain = [];

    public void Check()
    {
        var sim = host.Sim;
        if (sim.Now < _lastNow) Fail($"simulated time went back from {_lastNow} to {sim.Now}");
        _lastNow = sim.Now;
        long inRam = 0, writeback = 0;
        foreach (var vm in host.Vms)
        {
            var hpt = vm.Hpt;
            if (_onChain.Length < hpt.Count) _onChain = new bool[hpt.Count];
            var onChain = _onChain;
            Array.Clear(onChain);
            long never = 0, resident = 0, swapCache = 0, swapped = 0;
            for (int p = vm.HostBase; p < vm.HostBase + vm.HostPageCount; p++)
            {
                ref var page = ref host.Pages[p];
                if (page.Has(HostPageFlags.Writeback)) writeback++;
                switch (page.State)
                {
                    case HostPageState.NeverTouched: never++; break;
                    case HostPageState.Resident: resident++; break;
                    case HostPageState.SwapCache: swapCache++; break;
                    case HostPageState.SwappedOut: swapped++; break;
                }
                if (page.State is HostPageState.SwapCache or HostPageState.SwappedOut && page.SwapSlot < 0)
                    Fail($"{vm.Config.Name}: host page {p} is {page.State} without a swap slot");
                if (page.SwapSlot >= 0 && host.SwapCache.OwnerOf(page.SwapSlot) != p)
                    Fail($"{vm.Config.Name}: swap slot {page.SwapSlot} of host page {p} is owned by {host.SwapCache.OwnerOf(page.SwapSlot)}");
                bool onLru = page.InRam && !page.Has(HostPageFlags.Locked)
                    && !(page.State == HostPageState.SwapCache && page.Has(HostPageFlags.Writeback));
                if (host.Policy.Contains(p) != onLru)
                    Fail($"{vm.Config.Name}: host page {p} ({page.State}, {page.Flags}) is {(onLru ? "missing from" : "wrongly on")} the LRU");
                if (page.Has(HostPageFlags.Pinned) && page.State != HostPageState.Resident)
                    Fail($"{vm.Config.Name}: pinned host page {p} is {page.State}");
                if (page.RmapHead < 0) continue;
                int i = page.RmapHead, n = 0;
                do
                {
                    ref var h = ref hpt.Entries[i];
                    if (!h.IsValid) Fail($"{vm.Config.Name}: HPTE {i} on the rmap chain of host page {p} is not VALID");
                    if (vm.HostPageOf(h.GuestPage) != p) Fail($"{vm.Config.Name}: HPTE {i} (guest page {h.GuestPage}) is on the chain of host page {p}");
                    if (onChain[i]) Fail($"{vm.Config.Name}: HPTE {i} is on a chain twice");
                    onChain[i] = true;
                    if (hpt.Revmap[hpt.Revmap[i].Forw].Back != i) Fail($"{vm.Config.Name}: rmap forw/back broken at HPTE {i}");
                    i = hpt.Revmap[i].Forw;
                    if (++n > hpt.Count) Fail($"{vm.Config.Name}: rmap chain of host page {p} does not close");
                } while (i != page.RmapHead);
            }
            if (never + resident + swapCache + swapped != vm.HostPageCount)
                Fail($"{vm.Config.Name}: page states sum to {never + resident + swapCache + swapped}, not {vm.HostPageCount}");
            inRam += resident + swapCache;
            for (int i = 0; i < hpt.Count; i++)
            {
                ref var h = ref hpt.Entries[i];
                if (h.IsValid && h.IsAbsent) Fail($"{vm.Config.Name}: HPTE {i} is both VALID and ABSENT");
                if (h.IsValid)
                {
                    int p = vm.HostPageOf(h.GuestPage);
                    if (host.Pages[p].State != HostPageState.Resident)
                        Fail($"{vm.Config.Name}: VALID HPTE {i} maps host page {p} which is {host.Pages[p].State}");
                    if (!onChain[i]) Fail($"{vm.Config.Name}: VALID HPTE {i} is not on the rmap chain of host page {p}");
                }
                else if (onChain[i])
                {
                    Fail($"{vm.Config.Name}: non-VALID HPTE {i} is on an rmap chain");
                }
                if (h.IsAbsent && !vm.UsesMmuNotifiers) Fail($"{vm.Config.Name}: PPC970 HPTE {i} is ABSENT");
                if (!h.IsFree && vm.HpteOf[h.GuestPage] != i) Fail($"{vm.Config.Name}: HPTE {i} is not the guest's slot for page {h.GuestPage}");
            }
        }
        long used = host.ReservedPages + host.RmaPages + inRam;
        if (host.FreePages + used != host.TotalPages)
            Fail($"free {host.FreePages} + used {used} != host pages {host.TotalPages}");
        if (host.FreePages < 0) Fail($"free pages went negative: {host.FreePages}");
        if (writeback != host.WritebackPages) Fail($"{writeback} pages have PG_writeback but {host.WritebackPages} are counted under writeback");
        // Writers stop at the request limit; one reclaim batch of unmergeable pages can overshoot it.
        if (host.SwapDevice.QueuedWrites > SwapDevice.NrRequests + host.Config.Host.ReclaimBatchPages)
            Fail($"{host.SwapDevice.QueuedWrites} swap writes queued, more than the request list allows");
    }

    private static void Fail(string message) => throw new InvariantViolationException(message);
}
