using System.Runtime.CompilerServices;
using HvSim.Model.Config;
using HvSim.Model.Hv;
using HvSim.Model.Mm;
using HvSim.Model.Results;

namespace HvSim.Model.Guest;

/// <summary>
/// One KVM Book3S HV guest (struct kvm): its HPT and revmap, the memslot mapping guest pages onto host pages of QEMU's
/// anonymous memory, the MMU-notifier state and the per-VM tlbie lock.
/// </summary>
public sealed class Vm
{
    private readonly TlbieLock _tlbieLock;
    private readonly int _guestPagesPerHostPageShift;

    /// <param name="tables">The run's lease its HPT's arrays come from (<see cref="TablePool"/>); fresh arrays without one.</param>
    public Vm(int index, int configIndex, GuestConfig config, Platform platform, int hostBase, int hostPageBytes, HostPage[] pages,
        SimulationConfig sim, TablePool.Lease? tables = null)
    {
        Index = index;
        ConfigIndex = configIndex;
        Config = config;
        UsesMmuNotifiers = platform.UsesMmuNotifiers();
        GuestPageBytes = config.PageBytesOn(platform, hostPageBytes);
        GuestPageCount = checked((int)(config.MemoryBytes / GuestPageBytes));
        _guestPagesPerHostPageShift = System.Numerics.BitOperations.Log2((uint)(hostPageBytes / GuestPageBytes));
        HostBase = hostBase;
        HostPageCount = checked((int)(config.MemoryBytes / hostPageBytes));
        Hpt = new Hpt(config.HptOrder, GuestPageBytes, GuestPageCount, tables);
        _tlbieLock = new TlbieLock(sim.Costs.TlbieNs);
        Memcg = new MemCgroup(config.MemoryMaxBytes is { } max ? max / hostPageBytes : long.MaxValue,
            config.MemoryHighBytes is { } high ? high / hostPageBytes : long.MaxValue, (config.MemoryLowBytes ?? 0) / hostPageBytes);
        Counters = new GuestResult { Guest = config.Name, Admitted = true, GuestMemoryBytes = config.MemoryBytes };
        Notifier = new MmuNotifier(this, pages, sim.Aging);
        // §2.9: the RMA's pfns go straight into slot_phys, so the memslot's first pages are there from the start.
        RmaPages = (int)RmaPool.BackedPages(sim, HostPageCount);
        for (int p = hostBase; p < hostBase + RmaPages; p++)
        {
            pages[p].State = HostPageState.Resident;
            pages[p].Flags = HostPageFlags.Rma | HostPageFlags.Pinned | HostPageFlags.Writable;
        }
        // hugetlbfs: the whole memslot is huge pages reserved from the pool when QEMU mapped it; hugetlb_fault fills
        // them on first touch (not modelled: they count as resident from the start) and they are never on an LRU.
        Hugetlbfs = config.Backing == MemoryBacking.Hugetlbfs;
        if (Hugetlbfs)
            for (int p = hostBase; p < hostBase + HostPageCount; p++)
            {
                pages[p].State = HostPageState.Resident;
                pages[p].Flags = HostPageFlags.Writable;
            }
    }

    /// <summary>The guest's RAM is hugetlbfs huge pages (guests.backing): resident, never reclaimed.</summary>
    public bool Hugetlbfs { get; }

    /// <summary>
    /// The page is on no LRU, ever: backed by the PPC970 RMA or by a hugetlbfs huge page. Its memory is counted in the
    /// boot-time pool it came from.
    /// </summary>
    public bool IsUnevictable(int hostPage) => Hugetlbfs || IsRmaPage(hostPage);

    /// <summary>Host pages of this guest held by a boot-time pool (its RMA, or all of them with hugetlbfs).</summary>
    public int PoolPages => Hugetlbfs ? HostPageCount : RmaPages;

    /// <summary>Position among admitted guests (the owner id in host pages).</summary>
    public int Index { get; }
    public List<Vcpu> Vcpus { get; } = new();
    /// <summary>Position in <see cref="SimulationConfig.Guests"/>.</summary>
    public int ConfigIndex { get; }
    public GuestConfig Config { get; }
    /// <summary>kvm->arch.using_mmu_notifiers.</summary>
    public bool UsesMmuNotifiers { get; }
    /// <summary>The guest's page size: its HPTEs map pages of this size.</summary>
    public int GuestPageBytes { get; }
    public int GuestPageCount { get; }
    /// <summary>First host page id of this guest's memslot.</summary>
    public int HostBase { get; }
    public int HostPageCount { get; }
    /// <summary>PPC970: host pages at the start of the memslot that the guest's RMA backs (taken from the boot-time pool).</summary>
    public int RmaPages { get; }
    public Hpt Hpt { get; }
    /// <summary>The guest kernel bolted its linear map at boot (<see cref="BoltedLinearMap.HtabInitialize"/>).</summary>
    public bool LinearMapBolted { get; internal set; }
    public MmuNotifier Notifier { get; }
    /// <summary>The guest's virtio balloon (guests.balloon); null without one.</summary>
    public VirtioBalloon? Balloon { get; internal set; }
    /// <summary>The memory cgroup of this guest's QEMU process (guests.memory_max, memory_high, memory_low).</summary>
    public MemCgroup Memcg { get; }
    public GuestResult Counters { get; }

    /// <summary>PPC970: the page is backed by the guest's RMA (the first <see cref="RmaPages"/> of the memslot).</summary>
    public bool IsRmaPage(int hostPage) => hostPage < HostBase + RmaPages;

    /// <summary>gfn -> host page: the memslot's hva arithmetic at host-page granularity.</summary>
    public int HostPageOf(int guestPage) => HostBase + (guestPage >> _guestPagesPerHostPageShift);

    /// <summary>A global tlbie under this VM's tlbie_lock, issued at <paramref name="t"/>; returns its completion.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] // once per HPTE unmapped or upgraded
    public long Tlbie(long t)
    {
        Counters.Tlbies++;
        return _tlbieLock.Tlbie(t);
    }
}
