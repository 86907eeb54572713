namespace HvSim.Model.Mm;

public sealed partial class Host
{
    /// <summary>
    /// do_anonymous_page for a never-touched page, into a page the caller allocated: a zeroed, writable, dirty page,
    /// charged to the guest's memory cgroup (mem_cgroup_charge), on the active list (3.4 page_add_new_anon_rmap ->
    /// lru_cache_add_lru(LRU_ACTIVE_ANON)) or, 5.9 and later, the inactive list (lru_cache_add_inactive_or_unevictable). A read does not map the shared zero page here: every first touch
    /// allocates (docs/fidelity.md row 40).
    /// </summary>
    public void DoAnonymousPage(int hostPage)
    {
        Touched?.Add(hostPage);
        ref var page = ref Pages[hostPage];
        page.State = HostPageState.Resident;
        page.Set(HostPageFlags.Young | HostPageFlags.Writable | HostPageFlags.Dirty);
        VmOf(hostPage).Memcg.Charge();
        if (Kernel.NewAnonInactive) LruvecOf(hostPage).InsertInactive(hostPage);
        else LruvecOf(hostPage).Insert(hostPage);
        Vmscan.ReclaimStat.UpdatePageReclaimStat(file: false, rotated: !Kernel.NewAnonInactive); // __pagevec_lru_add_fn
    }
}
