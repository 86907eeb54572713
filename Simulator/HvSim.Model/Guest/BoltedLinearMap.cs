using System.Runtime.CompilerServices;
using HvSim.Model.Config;
using HvSim.Model.Hv;
using HvSim.Model.Mm;

namespace HvSim.Model.Guest;

/// <summary>
/// The guest kernel's bolted linear mapping of its RAM (Linux 3.4 arch/powerpc/mm/hash_utils_64.c): at boot
/// htab_initialize calls htab_bolt_mapping over every memblock, which enters one HPTE_V_BOLTED HPTE per page of the
/// linear page size (the guest's page size here: 16 MiB pages are not modelled) with H_ENTER into the page's primary
/// linear-map PTEG only, and BUG()s when that PTEG is full. The guest never removes a bolted HPTE; the host makes it
/// ABSENT like any other (kvm_unmap_rmapp), and the guest kernel's next touch of the page through it takes an HDSI.
/// </summary>
public static class BoltedLinearMap
{
    /// <summary>How many pages ahead of the one it bolts the boot hints its PTEG (<see cref="CacheHint"/>).</summary>
    private const int HintAhead = 16;

    /// <summary>
    /// htab_initialize at boot, before the workload starts (t = 0): H_ENTER of every guest page's bolted HPTE, in page
    /// order. POWER7: the host page is untouched, so the HPTE is written ABSENT (RMA pages do not exist there). PPC970:
    /// the real-mode H_ENTER returns H_TOO_HARD for a page not pinned yet, kvmppc_virtmode_h_enter pins it
    /// (get_user_pages of a zero-filled page) and enters the HPTE VALID: the bolted map pins all guest RAM at boot.
    /// </summary>
    public static void HtabInitialize(Vm vm, Host host)
    {
        if (vm.Config.LinearMap != LinearMap.Bolted) return;
        for (int gp = 0; gp < vm.GuestPageCount; gp++)
            BoltPage(vm, host, gp);
        vm.LinearMapBolted = true;
    }

    /// <summary>
    /// htab_bolt_mapping's H_ENTER of guest page <paramref name="gp"/> (pSeries_lpar_hpte_insert), with the host's
    /// kvmppc_virtmode_h_enter when real mode punts. A method of its own, called once per page, so that it runs
    /// optimised code from the first guests on (a loop body only gets on-stack-replacement code, and a run boots a
    /// handful of guests: too few calls of <see cref="HtabInitialize"/> for it to be compiled again).
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void BoltPage(Vm vm, Host host, int gp)
    {
        // A hint for the PTEG a later page's H_ENTER fills (no effect on the model): within a segment the linear hash
        // visits its groups in VSID-XOR order, which the processor's own prefetchers do not follow, so without it almost
        // every H_ENTER waited for its PTEG's line (most of a guest's boot time).
        if (gp + HintAhead < vm.GuestPageCount) vm.Hpt.PrefetchLinearGroup(gp + HintAhead);
        if (Hcalls.HEnter(vm, host, gp, 0, out _, bolted: true) != HEnterStatus.TooHard) return;
        vm.Counters.Exits++;
        int hostPage = vm.HostPageOf(gp);
        long clock = 0;
        if (host.Pages[hostPage].State == HostPageState.NeverTouched)
        {
            host.TakeFreePage(); // admission left room for every pin above the min watermark
            host.FaultInNewPage(hostPage, ref clock);
        }
        HvPageFault.Pin(vm, host, hostPage);
        Hcalls.HEnter(vm, host, gp, 0, out _, virtualMode: true, bolted: true);
    }

    /// <summary>
    /// Why a guest with this config cannot boot with its bolted linear map, or null when it can: htab_bolt_mapping finds
    /// a linear-map PTEG full (H_PTEG_FULL, and htab_initialize's BUG_ON panics the guest), or the bolted HPTEs fill a
    /// PTEG and its secondary alike, so hash_page can place no user HPTE there and loops (pSeries_lpar_hpte_remove never
    /// removes a bolted HPTE).
    /// </summary>
    public static string? WhyNotBootable(GuestConfig guest, Platform platform, int hostPageBytes)
    {
        if (guest.LinearMap != LinearMap.Bolted) return null;
        int pageBytes = guest.PageBytesOn(platform, hostPageBytes);
        long pages = guest.MemoryBytes / pageBytes;
        int groups = 1 << (guest.HptOrder - 7);
        var bolted = new byte[groups];
        var linear = new Hpt.LinearHash(guest.HptOrder, pageBytes, pages);
        for (int gp = 0; gp < pages; gp++)
            if (++bolted[linear.Group(gp) / Hpt.PtegSlots] > Hpt.PtegSlots)
                return $"the guest kernel panics at boot: htab_bolt_mapping cannot bolt its linear map ({pages} HPTEs of {pageBytes >> 10} KiB) " +
                    $"into its HPT (2^{guest.HptOrder} bytes): linear-map PTEG {linear.Group(gp) / Hpt.PtegSlots} is full " +
                    "(H_PTEG_FULL, BUG_ON in htab_initialize); give it a larger hpt_order, larger pages or linear_map: none";
        for (int g = 0; g < groups; g++)
            if (bolted[g] == Hpt.PtegSlots && bolted[~g & (groups - 1)] == Hpt.PtegSlots)
                return $"the guest hangs at boot: its bolted linear map ({pages} HPTEs of {pageBytes >> 10} KiB) fills PTEG {g} and its " +
                    $"secondary PTEG {~g & (groups - 1)} of its HPT (2^{guest.HptOrder} bytes), so hash_page can place no user HPTE there " +
                    "and retries for ever; give it a larger hpt_order, larger pages or linear_map: none";
        return null;
    }
}
