namespace HvSim.Model.Mm;

public sealed partial class Host
{
    /// <summary>
    /// do_anonymous_page for a never-touched page, into a page the caller allocated: a zeroed, writable, dirty page on
    /// the active list (page_add_new_anon_rmap). A read does not map the shared zero page here: every first touch
    /// allocates (docs/architecture.md, Simplifications).
    /// </summary>
    public void DoAnonymousPage(int hostPage)
    {
        Touched?.Add(hostPage);
        ref var page = ref Pages[hostPage];
        page.State = HostPageState.Resident;
        page.Flags |= HostPageFlags.Young | HostPageFlags.Writable | HostPageFlags.Dirty;
        Policy.Insert(hostPage);
    }
}
