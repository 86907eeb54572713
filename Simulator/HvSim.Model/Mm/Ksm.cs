using HvSim.Engine;
using HvSim.Model.Guest;

namespace HvSim.Model.Mm;

/// <summary>
/// Kernel samepage merging (3.4 mm/ksm.c) over the guests' RAM, which QEMU marks MADV_MERGEABLE: ksmd wakes every
/// sleep_millisecs and scans pages_to_scan present anonymous pages, guest after guest (the mm_slot list) and page after
/// page, costing host CPU per page (checksum and memcmp). cmp_and_merge_page merges a page whose contents match a KSM
/// page of the stable tree into it (try_to_merge_with_ksm_page: write_protect_page, then replace_page, each a
/// set_pte_at_notify -> change_pte -> kvm_set_spte_hva, which on Book3S HV unmaps the page's HPTEs, so the guest's next
/// access faults), or with an identical page met earlier in this scan round (the unstable tree, emptied at the end of
/// each round: try_to_merge_two_pages makes the first page the KSM page). The merged pages' own memory is freed; the
/// KSM page is shared read-only, and a store breaks it (do_wp_page copies into a new page). Contents come from the
/// guests' <c>duplicate_fraction</c>: the first that fraction of a guest's host pages hold the same contents as the
/// same pages of every other guest (one image), the rest are unique. State lives in side arrays allocated only when KSM
/// runs.
/// </summary>
public sealed class Ksm
{
    private readonly Host _host;
    /// <summary>Per host page: the content key of its KSM page while merged, -1 otherwise (PageKsm).</summary>
    private readonly int[] _mergedKey;
    /// <summary>Per host page: its contents were made unique by a store that broke a KSM page.</summary>
    private readonly bool[] _unique;
    /// <summary>Per content key: pages mapping its KSM page (the stable tree node's rmap_items); 0 = no KSM page.</summary>
    private readonly int[] _stableMappers;
    /// <summary>Per content key: the page of this scan round holding it unmerged (the unstable tree), -1 when none.</summary>
    private readonly int[] _unstable;
    /// <summary>Per content key: the scan round <see cref="_unstable"/> was set in (ksm_scan.seqnr).</summary>
    private readonly long[] _unstableRound;
    /// <summary>Per guest: how many of its first host pages hold duplicate contents (guests.duplicate_fraction).</summary>
    private readonly int[] _duplicatePages;
    private readonly int _pagesToScan;
    private readonly long _sleepNs, _scanCostNs;
    private int _cursor;
    private long _round;

    public Ksm(Host host)
    {
        _host = host;
        var ksm = host.Config.Host.Ksm;
        _pagesToScan = ksm.PagesToScan;
        _sleepNs = ksm.SleepNs;
        _scanCostNs = host.Costs.KsmScanPageNs;
        int pages = host.Pages.Length, keys = 1;
        foreach (var vm in host.Vms) keys = Math.Max(keys, vm.HostPageCount);
        _mergedKey = new int[pages];
        Array.Fill(_mergedKey, -1);
        _unique = new bool[pages];
        _stableMappers = new int[keys];
        _unstable = new int[keys];
        Array.Fill(_unstable, -1);
        _unstableRound = new long[keys];
        _duplicatePages = [.. host.Vms.Select(vm => (int)(vm.HostPageCount * vm.Config.DuplicateFraction))];
    }

    /// <summary>KSM pages in RAM (pages_shared).</summary>
    public long PagesShared { get; private set; }
    /// <summary>Guest pages mapping a KSM page (pages_sharing + pages_shared).</summary>
    public long PagesMerged { get; private set; }

    /// <summary>PageKsm of the page mapped at <paramref name="hostPage"/>: a store must break it (do_wp_page copies).</summary>
    public bool IsMerged(int hostPage) => _mergedKey[hostPage] >= 0;

    /// <summary>The contents of <paramref name="hostPage"/>: a key shared with the same page of other guests, or -1 when unique.</summary>
    public int ContentKey(int hostPage)
    {
        var vm = _host.VmOf(hostPage);
        int index = hostPage - vm.HostBase;
        if (_unique[hostPage] || index >= _duplicatePages[vm.Index]) return -1;
        return index;
    }

    /// <summary>ksm_scan_thread: scan pages_to_scan pages (ksm_do_scan), then sleep sleep_millisecs.</summary>
    public IEnumerable<Command> Run()
    {
        var sim = _host.Sim;
        while (true)
        {
            long t = KsmDoScan(sim.Now);
            if (t > sim.Now) yield return Command.Delay(t - sim.Now);
            yield return Command.Delay(_sleepNs);
        }
    }

    /// <summary>ksm_do_scan at <paramref name="t"/>: pages_to_scan pages through scan_get_next_rmap_item and cmp_and_merge_page; returns when done.</summary>
    public long KsmDoScan(long t)
    {
        int total = _host.Pages.Length;
        if (total == 0) return t;
        for (int n = 0; n < _pagesToScan; n++)
        {
            int page = _cursor;
            if (++_cursor == total)
            {
                _cursor = 0;
                _round++; // a full scan: the unstable tree starts afresh (ksm_scan.seqnr)
            }
            if (!Mergeable(page)) continue; // follow_page finds no present anonymous page to scan
            _host.Counters.KsmPagesScanned++;
            _host.Counters.KsmCpuNs += _scanCostNs;
            t += _scanCostNs;
            t = CmpAndMergePage(page, t);
        }
        return t;
    }

    /// <summary>A present, mergeable anonymous page not already KSM (VM_MERGEABLE, not hugetlbfs, not pinned, not under I/O or reclaim).</summary>
    private bool Mergeable(int hostPage)
    {
        ref var p = ref _host.Pages[hostPage];
        var vm = _host.VmOf(hostPage);
        return p.State == HostPageState.Resident && _mergedKey[hostPage] < 0 && !vm.IsUnevictable(hostPage)
            && !p.Has(HostPageFlags.Pinned | HostPageFlags.Locked | HostPageFlags.Writeback | HostPageFlags.Isolated);
    }

    /// <summary>
    /// cmp_and_merge_page: merge into the stable tree's KSM page of the same contents, else merge with the unstable
    /// tree's page of the same contents (both become one KSM page), else enter the unstable tree. Unique contents
    /// never match (their checksums keep them out of every merge).
    /// </summary>
    private long CmpAndMergePage(int page, long t)
    {
        int key = ContentKey(page);
        if (key < 0) return t;
        if (_stableMappers[key] > 0)
        {
            t = WriteProtectAndReplace(page, t, replace: true);
            Merge(page, key);
            return t;
        }
        int other = _unstableRound[key] == _round ? _unstable[key] : -1;
        if (other >= 0 && other != page && Mergeable(other) && ContentKey(other) == key)
        {
            // try_to_merge_two_pages: the tree's page becomes the KSM page (write-protected in place), then this page
            // is merged into it.
            t = WriteProtectAndReplace(other, t, replace: false);
            t = WriteProtectAndReplace(page, t, replace: true);
            Merge(other, key);
            Merge(page, key);
            _unstable[key] = -1;
            PagesShared++;
            _host.TakeKsmPage();
            return t;
        }
        _unstable[key] = page;
        _unstableRound[key] = _round;
        return t;
    }

    /// <summary>
    /// write_protect_page and, merging into another page, replace_page: each ptep_clear_flush + set_pte_at_notify, so
    /// each calls change_pte -> kvm_set_spte_hva (seq++ and an unmap of the page's HPTEs: the second finds none left).
    /// </summary>
    private long WriteProtectAndReplace(int page, long t, bool replace)
    {
        var notifier = _host.VmOf(page).Notifier;
        t = notifier.SetSpteHva(page, t);
        if (replace) t = notifier.SetSpteHva(page, t);
        return t;
    }

    /// <summary>The page now maps the KSM page of <paramref name="key"/>: read-only, off the LRU, its own memory freed.</summary>
    private void Merge(int page, int key)
    {
        _host.Touched?.Add(page);
        _mergedKey[page] = key;
        _stableMappers[key]++;
        PagesMerged++;
        _host.ReleaseMergedPage(page);
    }

    /// <summary>
    /// do_wp_page on a KSM page (3.4: PageKsm is never reused): the store's fault copies it into the new page the
    /// caller allocated; the page leaves the KSM page, whose memory is freed with its last mapper. Its contents are
    /// unique from now on.
    /// </summary>
    public void BreakCow(int page)
    {
        _unique[page] = true;
        _host.VmOf(page).Counters.KsmCowFaults++;
        ZapMerged(page);
    }

    /// <summary>
    /// The page stops mapping its KSM page (page_remove_rmap, from do_wp_page's copy or zap_pte_range): the KSM page's
    /// memory is freed with its last mapper.
    /// </summary>
    public void ZapMerged(int page)
    {
        int key = _mergedKey[page];
        _mergedKey[page] = -1;
        PagesMerged--;
        if (--_stableMappers[key] == 0)
        {
            PagesShared--;
            _host.ReturnFreePage();
        }
    }
}
