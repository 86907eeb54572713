using HvSim.Engine;
using HvSim.Model.Mm;

namespace HvSim.Model.Guest;

/// <summary>
/// The guest's virtio balloon (3.4 drivers/virtio/virtio_balloon.c) with a target set from boot (guests.balloon: what the
/// QEMU monitor's `balloon` command or libvirt's currentMemory sets) or by the host's balloon policy
/// (<see cref="MomBalloonPolicy"/>), and QEMU's side of it (QEMU 1.x hw/virtio-balloon.c). The balloon thread
/// (<c>balloon</c>) moves num_pages towards the target (<c>towards_target</c>) one request of up to 256 pfns
/// (VIRTIO_BALLOON_ARRAY_PFNS_MAX) at a time: <c>fill_balloon</c> takes pages from the guest page allocator
/// (<c>alloc_page(GFP_HIGHUSER | __GFP_NORETRY | ...)</c>), tells the host on the inflate queue and waits for its ack;
/// <c>leak_balloon</c> takes the pages last put in (vb-&gt;pages is a stack: list_add, list_first_entry), tells the host
/// on the deflate queue (QEMU's MADV_WILLNEED does nothing for anonymous memory) and frees them to the guest;
/// QEMU's <c>virtio_balloon_handle_output</c> -> <c>balloon_page</c> madvises each page MADV_DONTNEED
/// (<see cref="Host.MadviseDontneed"/>: invalidate_range_start/end around the zap). The guest's view of its memory:
/// free pages first (pages its workload never used, which the allocator hands out before it reclaims anything), then
/// the page its own reclaim would give up, found by a second-chance clock over a referenced bit the guest sets on every
/// access (the guest LRU's page_referenced ageing, approximated). A guest that touches a page it gave the balloon needs
/// that memory back (<see cref="Exchange"/>): its vCPU waits for a <c>leak_balloon</c> request of the page, then for a
/// <c>fill_balloon</c> of the page its reclaim gives up in exchange, which keeps the balloon at its target; the host
/// zero-fills the page on the fault that follows. Requests take pfns / guests.balloon_rate of the balloon thread's and
/// QEMU's time.
/// </summary>
public sealed class VirtioBalloon
{
    /// <summary>VIRTIO_BALLOON_ARRAY_PFNS_MAX: pfns per inflate or deflate request.</summary>
    public const int ArrayPfnsMax = 256;
    /// <summary>1 &lt;&lt; VIRTIO_BALLOON_PFN_SHIFT: the balloon device counts 4 KiB pages whatever the guest's page size.</summary>
    public const int PfnBytes = 4096;
    /// <summary>fill_balloon's msleep(200) after alloc_page found nothing ("Out of puff!").</summary>
    public const long OutOfPuffNs = 200_000_000;

    private const byte Used = 1, Referenced = 2, Inflated = 4;
    private const int None = -1;
    private readonly Vm _vm;
    private readonly Host _host;
    /// <summary>Per guest page: the guest's view (<see cref="Used"/>, <see cref="Referenced"/>) and whether the balloon holds it.</summary>
    private readonly byte[] _state;
    /// <summary>VIRTIO_BALLOON_PAGES_PER_PAGE: pfns per guest page.</summary>
    private readonly int _pfnsPerPage;
    private readonly long _ratePfns;
    /// <summary>The next guest page to look at for a free one, from the top of guest memory down.</summary>
    private int _freeCursor;
    private int _hand;
    private SimEvent? _configChange;
    /// <summary>The one page of an <see cref="Exchange"/>'s inflate request.</summary>
    private readonly int[] _exchange = new int[1];
    /// <summary>vb-&gt;pages, the balloon's pages newest first (page-&gt;lru): next and previous guest page, by guest page.</summary>
    private readonly int[] _lruNext, _lruPrev;
    private int _lruHead = None;

    public VirtioBalloon(Vm vm, Host host)
    {
        _vm = vm;
        _host = host;
        _state = new byte[vm.GuestPageCount];
        _pfnsPerPage = vm.GuestPageBytes / PfnBytes;
        _ratePfns = vm.Config.BalloonRatePfns;
        TargetPages = (vm.Config.BalloonBytes ?? 0) / vm.GuestPageBytes;
        _freeCursor = vm.GuestPageCount - 1;
        _lruNext = new int[vm.GuestPageCount];
        _lruPrev = new int[vm.GuestPageCount];
    }

    /// <summary>The target in guest pages (virtio_balloon_config.num_pages / VIRTIO_BALLOON_PAGES_PER_PAGE).</summary>
    public long TargetPages { get; private set; }
    /// <summary>Guest pages in the balloon (vb-&gt;num_pages / VIRTIO_BALLOON_PAGES_PER_PAGE).</summary>
    public long NumPages { get; private set; }
    /// <summary>The guest's memory as the host sees it (libvirt's balloon "actual", MoM's balloon_cur): memory minus the balloon, in guest pages.</summary>
    public long CurrentPages => _vm.GuestPageCount - NumPages;

    /// <summary>
    /// QEMU's virtio_balloon_to_target (the monitor's `balloon`, libvirt's virDomainSetMemory) sets num_pages in the
    /// device config, and the guest's virtballoon_changed wakes the balloon thread (config_change).
    /// </summary>
    public void SetTarget(long pages)
    {
        TargetPages = Math.Clamp(pages, 0, _vm.GuestPageCount - 1);
        WakeConfigChange();
    }

    /// <summary>wake_up(&amp;vb-&gt;config_change): the balloon thread looks at its target again.</summary>
    private void WakeConfigChange()
    {
        var wake = _configChange;
        _configChange = null;
        wake?.Trigger();
    }

    /// <summary>
    /// The guest's free memory in pages (3.4 update_balloon_stats: VIRTIO_BALLOON_S_MEMFREE from NR_FREE_PAGES; libvirt's
    /// "unused", MoM's mem_unused): pages the workload never used and the balloon does not hold.
    /// </summary>
    public long FreePages()
    {
        long free = 0;
        foreach (byte s in _state)
            if (s == 0) free++;
        return free;
    }

    /// <summary>The guest accessed <paramref name="guestPage"/>: it is in use and recently referenced in the guest's view.</summary>
    public void Touch(int guestPage) => _state[guestPage] |= Used | Referenced;

    /// <summary>The balloon holds <paramref name="guestPage"/> (it is on vb-&gt;pages).</summary>
    public bool Holds(int guestPage) => (_state[guestPage] & Inflated) != 0;

    /// <summary>Time one request of <paramref name="guestPages"/> pages takes at guests.balloon_rate.</summary>
    public long RequestNs(int guestPages) => (long)guestPages * _pfnsPerPage * 1_000_000_000L / _ratePfns;

    /// <summary>
    /// balloon(): while num_pages differs from the target (towards_target), fill_balloon or leak_balloon one request at a
    /// time (QEMU madvises each page of an inflate before it acks); otherwise wait for config_change.
    /// </summary>
    public IEnumerable<Command> Run()
    {
        var sim = _host.Sim;
        var pages = new int[Math.Max(1, ArrayPfnsMax / _pfnsPerPage)];
        while (true)
        {
            long diff = TargetPages - NumPages;
            if (diff == 0)
            {
                yield return Command.Wait(_configChange = sim.NewEvent());
                continue;
            }
            if (diff < 0)
            {
                foreach (var c in LeakBalloon(pages, (int)Math.Min(-diff, pages.Length))) yield return c;
                continue;
            }
            int n = FillBalloon(pages, (int)Math.Min(diff, pages.Length));
            if (n == 0)
            {
                yield return Command.Delay(OutOfPuffNs);
                continue;
            }
            foreach (var c in TellHost(pages, n)) yield return c;
        }
    }

    /// <summary>
    /// leak_balloon: up to <paramref name="max"/> pages off vb-&gt;pages, newest first (list_first_entry), tell_host on the
    /// deflate queue (QEMU's balloon_page with deflate: MADV_WILLNEED, nothing for anonymous memory), then
    /// release_pages_by_pfn frees them to the guest. The model frees them at once (a touch meanwhile is an ordinary
    /// zero-fill fault).
    /// </summary>
    private IEnumerable<Command> LeakBalloon(int[] pages, int max)
    {
        int n = 0;
        while (n < max && _lruHead != None)
        {
            int gp = _lruHead;
            ListDel(gp);
            _state[gp] = 0; // free in the guest
            if (gp > _freeCursor) _freeCursor = gp;
            NumPages--;
            _vm.Counters.BalloonLeaked++;
            pages[n++] = gp;
        }
        long ns = RequestNs(n);
        _vm.Counters.BalloonCpuNs += ns;
        yield return Command.Delay(ns);
    }

    /// <summary>list_add(&amp;page-&gt;lru, &amp;vb-&gt;pages): the page goes first.</summary>
    private void ListAdd(int gp)
    {
        _lruPrev[gp] = None;
        _lruNext[gp] = _lruHead;
        if (_lruHead != None) _lruPrev[_lruHead] = gp;
        _lruHead = gp;
    }

    /// <summary>list_del(&amp;page-&gt;lru).</summary>
    private void ListDel(int gp)
    {
        int next = _lruNext[gp], prev = _lruPrev[gp];
        if (prev == None) _lruHead = next;
        else _lruNext[prev] = next;
        if (next != None) _lruPrev[next] = prev;
    }

    /// <summary>
    /// tell_host on the inflate queue: QEMU's virtio_balloon_handle_output madvises each page (balloon_page) and acks
    /// the request, which takes its pfns / guests.balloon_rate or its tlbies, whichever is longer.
    /// </summary>
    private IEnumerable<Command> TellHost(int[] pages, int n)
    {
        var sim = _host.Sim;
        long start = sim.Now;
        for (int i = 0; i < n; i++)
        {
            if (!Holds(pages[i])) continue; // the guest took it back while the request was in flight
            foreach (var c in _host.MadviseDontneed(_vm, _vm.HostPageOf(pages[i]))) yield return c;
        }
        long acked = start + RequestNs(n);
        if (acked > sim.Now) yield return Command.Delay(acked - sim.Now);
        _vm.Counters.BalloonCpuNs += sim.Now - start;
    }

    /// <summary>fill_balloon's alloc_page loop: up to <paramref name="max"/> pages by the guest's view, into the balloon.</summary>
    private int FillBalloon(int[] pages, int max)
    {
        int n = 0;
        while (n < max)
        {
            int gp = AllocPage();
            if (gp < 0) break;
            _state[gp] = (byte)((_state[gp] & ~Referenced) | Inflated);
            ListAdd(gp);
            NumPages++;
            _vm.Counters.BalloonInflated++;
            pages[n++] = gp;
        }
        return n;
    }

    /// <summary>
    /// alloc_page as the guest sees it: a free page (never used), else the page reclaim gives up, the first the
    /// second-chance clock finds unreferenced since its last pass; -1 when none.
    /// </summary>
    private int AllocPage()
    {
        while (_freeCursor >= 0)
        {
            int gp = _freeCursor--;
            if (_state[gp] == 0 && HostCanZap(gp)) return gp;
        }
        for (int steps = 2 * _state.Length; steps > 0; steps--)
        {
            int gp = _hand;
            _hand = _hand + 1 == _state.Length ? 0 : _hand + 1;
            byte s = _state[gp];
            if ((s & Inflated) != 0) continue;
            if ((s & Referenced) != 0)
            {
                _state[gp] = (byte)(s & ~Referenced);
                continue;
            }
            if (HostCanZap(gp)) return gp;
        }
        return -1;
    }

    /// <summary>
    /// Not a page the host holds for a swap read, a reclaim pass or writeback at this instant: 3.4 would zap its PTE and
    /// free it once the holder lets go; the model has the guest pick another.
    /// </summary>
    private bool HostCanZap(int guestPage) =>
        !_host.Pages[_vm.HostPageOf(guestPage)].Has(HostPageFlags.Locked | HostPageFlags.Isolated | HostPageFlags.Writeback);

    /// <summary>
    /// The guest needs <paramref name="guestPage"/> back, now: leak_balloon of that page (tell_host on the deflate queue,
    /// then the page is the guest's again; QEMU's MADV_WILLNEED does nothing for anonymous memory), then fill_balloon of
    /// the page the guest's view gives up in exchange, so that the balloon stays at its target. The caller (the vCPU
    /// that touched the page) waits for both requests. When no page can be given up, the balloon thread retries.
    /// </summary>
    public IEnumerable<Command> Exchange(int guestPage)
    {
        ListDel(guestPage);
        _state[guestPage] = Used | Referenced;
        NumPages--;
        _vm.Counters.BalloonDeflated++;
        long ns = RequestNs(1);
        _vm.Counters.BalloonCpuNs += ns;
        yield return Command.Delay(ns);
        if (FillBalloon(_exchange, 1) == 1)
        {
            foreach (var c in TellHost(_exchange, 1)) yield return c;
            yield break;
        }
        WakeConfigChange(); // the balloon thread refills towards its target
    }
}
