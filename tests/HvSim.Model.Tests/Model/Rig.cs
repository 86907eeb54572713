using HvSim.Engine;
using HvSim.Model.Config;
using HvSim.Model.Guest;
using HvSim.Model.Mm;
using HvSim.Model.Replacement;
using HvSim.Model.Workloads;

namespace HvSim.Model.Tests.Model;

/// <summary>A workload that replays a fixed list of accesses (one list per vCPU; missing lists mean an idle vCPU).</summary>
internal sealed record ScriptedWorkload(GuestAccess[][] PerVcpu) : WorkloadSpec
{
    public override IAccessSource Create(int guestPages, int vcpu, int vcpuCount, RngStream rng) =>
        new Source(vcpu < PerVcpu.Length ? PerVcpu[vcpu] : []);

    private sealed class Source(GuestAccess[] script) : IAccessSource
    {
        private int _next;

        public bool Next(long now, ref GuestAccess access)
        {
            if (_next == script.Length) return false;
            access = script[_next++];
            return true;
        }
    }

    public static GuestAccess Read(int page, long thinkNs = 0) => new() { Page = page, ThinkNs = thinkNs };
    public static GuestAccess Write(int page, long thinkNs = 0) => new() { Page = page, IsWrite = true, ThinkNs = thinkNs };
}

/// <summary>
/// One host and one guest built by hand, to drive single kernel-model.md transitions. Its guest bolts no linear map
/// unless asked (the constructor's <c>linearMap</c>), so each guest page has at most one HPTE.
/// </summary>
internal sealed class Rig
{
    public static readonly CostConfig Costs = new();

    public Rig(Platform platform = Platform.Power7, AgingVariant aging = AgingVariant.RBit, int? guestPageBytes = null,
        int vcpus = 1, int threads = 1, GuestAccess[][]? script = null, SwapDeviceConfig? swap = null, long hostMib = 64, long guestMib = 16,
        Func<int, IReplacementPolicy>? policy = null, bool swapToken = true, HostKernel? kernel = null, long? memoryMaxBytes = null,
        LinearMap linearMap = LinearMap.None, FaultPath faultPath = FaultPath.Kvm,
        Func<GuestConfig, GuestConfig>? guest = null, Func<HostConfig, HostConfig>? host = null, params GuestConfig[] moreGuests)
    {
        Config = new SimulationConfig
        {
            Platform = platform,
            Aging = aging,
            Host = (host ?? (h => h))(new HostConfig
            {
                MemoryBytes = hostMib * ModelKit.Mib, ReservedBytes = 8 * ModelKit.Mib, RmaBytes = 4 * ModelKit.Mib, SwapToken = swapToken,
                Kernel = kernel ?? HostKernel.Linux34,
                Swap = swap ?? new SwapDeviceConfig { LatencyMeanNs = 100_000, LatencyCv = 0, ParallelSlots = 1, BandwidthBytesPerSecond = 0, CapacityBytes = 64 * ModelKit.Mib },
            }),
            Guests = [(guest ?? (g => g))(new GuestConfig { Name = "g", MemoryBytes = guestMib * ModelKit.Mib, Vcpus = vcpus, Threads = threads, HptOrder = 18, PageSizeBytes = guestPageBytes, MemoryMaxBytes = memoryMaxBytes, LinearMap = linearMap, FaultPath = faultPath, Workload = new ScriptedWorkload(script ?? []) }), .. moreGuests],
            DurationNs = 1_000_000_000,
        };
        Sim = new Simulation(1);
        Host = new Host(Sim, Config, [.. Enumerable.Range(0, Config.Guests.Count)], policy ?? (n => new FifoPolicy(n)));
        Vm = Host.Vms[0];
        BoltedLinearMap.HtabInitialize(Vm, Host); // the guest boots (nothing to do without a bolted linear map)
    }

    public SimulationConfig Config { get; }
    public Simulation Sim { get; }
    public Host Host { get; }
    public Vm Vm { get; }

    /// <summary>Make a host page resident as a fresh zero-filled page (what a first-touch fault does).</summary>
    public void MakeResident(int hostPage)
    {
        Assert.True(Host.TryAllocateFast());
        Host.DoAnonymousPage(hostPage);
    }

    public void MakeResidentIfNeeded(int hostPage)
    {
        if (Page(hostPage).State == HostPageState.NeverTouched) MakeResident(hostPage);
    }

    /// <summary>Start every vCPU of every guest with its script, grouped into vcores as the kernel does.</summary>
    public List<Vcpu> StartVcpus() =>
        [.. Host.Vms.SelectMany(vm => Vcore.StartAll(vm, Host, v => vm.Config.Workload.Create(vm.GuestPageCount, v, vm.Config.Vcpus, Sim.Rng(vm.Index == 0 ? $"v{v}" : $"{vm.Index}/v{v}"))))];

    public ref HostPage Page(int hostPage) => ref Host.Pages[hostPage];

    /// <summary>
    /// One try_to_free_pages pass at <paramref name="t"/> by a task outside the guest (no swap token of its own): the
    /// pages it freed, and when its tlbies let it finish. The pass must not sleep for a swap request.
    /// </summary>
    public int Reclaim(int nrToReclaim, long t, out long end)
    {
        var sc = new ScanControl(Config.Host.ReclaimBatchPages);
        sc.Begin(t, nrToReclaim);
        Assert.True(Host.Vmscan.DoTryToFreePages(sc), "the pass slept in get_request_wait");
        end = sc.T;
        return (int)sc.NrReclaimed;
    }

    /// <summary>shrink_page_list for one page taken off the LRU by hand (isolate_lru_page).</summary>
    public void ShrinkIsolatedPage(int hostPage)
    {
        Host.Policy.Remove(hostPage);
        Page(hostPage).Flags |= HostPageFlags.Isolated;
        var sc = new ScanControl(Config.Host.ReclaimBatchPages);
        sc.Begin(Sim.Now, 32);
        Assert.True(Host.Vmscan.ShrinkPage(sc, hostPage));
        Host.FinishPlug();
    }
}
