using HvSim.Model.Guest;
using HvSim.Model.Config;

namespace HvSim.Model.Mm;

/// <summary>What get_user_pages needs next for one page (<see cref="Host.GetUserPage"/>).</summary>
public enum GupStatus : byte
{
    /// <summary>The page is resident and mapped as asked.</summary>
    Done,
    /// <summary>lock_page: a swap read of the page is in flight; wait for <see cref="Host.ReadInFlight"/>, then look again.</summary>
    Locked,
    /// <summary>A never-touched page, or a store to a KSM page: allocate one, then call <see cref="Host.FaultInNewPage"/>.</summary>
    NeedPage,
    /// <summary>
    /// do_swap_page's swap-cache miss: run <see cref="Host.SwapinReadahead"/> (it allocates the pages), then, while the
    /// target is locked, wait for <see cref="Host.ReadInFlight"/> and <see cref="Host.FinishSwapIn"/>.
    /// </summary>
    SwapMiss,
    /// <summary>Another fault brought the page in while this one allocated: the page went back to the free list; look again.</summary>
    Raced,
}

public sealed partial class Host
{
    /// <summary>
    /// get_user_pages_fast / follow_page on one host page of <paramref name="vm"/>'s memslot at <paramref name="clock"/>,
    /// doing what needs neither a new page nor a wait: a resident page is a hit (young; do_wp_page first for a store to a
    /// read-only PTE, a minor fault); an unlocked swap-cache page is do_swap_page's minor fault.
    /// </summary>
    public GupStatus GetUserPage(Vm vm, int hostPage, bool write, ref long clock)
    {
        ref var page = ref Pages[hostPage];
        switch (page.State)
        {
            case HostPageState.Resident:
                page.Set(HostPageFlags.Young);
                if (write && !page.Has(HostPageFlags.Writable))
                {
                    if (Ksm?.IsMerged(hostPage) == true) return GupStatus.NeedPage; // do_wp_page copies a KSM page
                    DoWpPage(ref page);
                    vm.Counters.MinorFaults++;
                    clock += Costs.SwapCacheHitNs;
                }
                else
                {
                    clock += Costs.GupHitNs;
                }
                return GupStatus.Done;
            case HostPageState.SwapCache when !page.Has(HostPageFlags.Locked):
                SwapCacheGetFolio(vm, hostPage);
                DoSwapPage(hostPage, write);
                vm.Counters.MinorFaults++;
                clock += Costs.SwapCacheHitNs;
                return GupStatus.Done;
            case HostPageState.SwapCache:
                SwapCacheGetFolio(vm, hostPage);
                return GupStatus.Locked;
            case HostPageState.SwappedOut:
                return GupStatus.SwapMiss;
            default:
                return GupStatus.NeedPage;
        }
    }

    /// <summary>
    /// handle_mm_fault with the page the caller allocated for a never-touched page: do_anonymous_page (a minor fault),
    /// unless another fault brought the page in while this one allocated.
    /// </summary>
    public GupStatus FaultInNewPage(int hostPage, ref long clock)
    {
        if (Ksm?.IsMerged(hostPage) == true)
        {
            // do_wp_page on a KSM page: copy it into the new page, which is mapped writable as a new anon page.
            Ksm.BreakCow(hostPage);
            DoAnonymousPage(hostPage);
            VmOf(hostPage).Counters.MinorFaults++;
            clock += Costs.ZeroFillNs;
            return GupStatus.Done;
        }
        if (Pages[hostPage].State != HostPageState.NeverTouched)
        {
            ReturnFreePage();
            return GupStatus.Raced;
        }
        DoAnonymousPage(hostPage);
        VmOf(hostPage).Counters.MinorFaults++;
        clock += Costs.ZeroFillNs;
        return GupStatus.Done;
    }

    /// <summary>
    /// do_swap_page after lock_page returns: map the page just read (its CPU, <see cref="CostConfig.SwapInNs"/>, on
    /// <paramref name="clock"/>), unless reclaim took it again (false: look again).
    /// </summary>
    public bool FinishSwapIn(int hostPage, bool write, ref long clock)
    {
        ref var page = ref Pages[hostPage];
        if (page.State != HostPageState.SwapCache || page.Has(HostPageFlags.Locked)) return false;
        DoSwapPage(hostPage, write);
        clock += Costs.SwapInNs;
        return true;
    }
}
