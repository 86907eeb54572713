using HvSim.Model.Config;
using HvSim.Model.Guest;
using HvSim.Model.Hv;
using HvSim.Model.Workloads;
using HvSim.Scenarios.Language;
using HvSim.Traces;

namespace HvSim.Scenarios.Loading;

/// <summary>Checks between keys that each look fine alone: HPT size, page sizes, watermarks, swap vs overcommit, trace vs guest size.</summary>
internal static class ConsistencyChecks
{
    /// <summary>First characters that make a CSV cell a formula in spreadsheets (OWASP "CSV injection").</summary>
    private const string FormulaStarts = "=+-@\t\r";

    private const int HpteBytes = 16;
    /// <summary>The model keeps a guest index in a byte.</summary>
    private const int MaxGuests = 255;

    /// <summary>
    /// Every check runs on whatever did bind, so one `validate` reports every problem; a check is skipped only when
    /// one of its own inputs is bad (<see cref="Binder.IsBad"/>) or would only repeat a problem already reported.
    /// </summary>
    public static void Check(RunTemplate t, Binder binder, Node root, Diagnostics d, TracePageCounts traces)
    {
        var at = binder.Locations;
        Node Loc(params string[] paths) => paths.Select(p => at.GetValueOrDefault(p)).FirstOrDefault(n => n is not null) ?? root;
        bool Bad(params string[] paths) => paths.Any(binder.IsBad);
        var s = t.Config;
        if (!Bad("warmup", "duration") && !s.WarmupAuto && s.WarmupNs >= s.DurationNs)
            d.Add(Loc("warmup", "duration"), $"warmup {Units.FormatDuration(s.WarmupNs)} is not shorter than duration {Units.FormatDuration(s.DurationNs)}",
                "warmup < duration");
        if (!Bad("interval", "duration") && s.SampleIntervalNs > s.DurationNs)
            d.Add(Loc("interval", "duration"), $"interval {Units.FormatDuration(s.SampleIntervalNs)} is longer than duration {Units.FormatDuration(s.DurationNs)}",
                "interval <= duration");

        var h = t.Config.Host;
        bool hostPageOk = !Bad("host.page_size") && h.PageSizeBytes is 4 << 10 or 64 << 10;
        if (!Bad("host.page_size") && !hostPageOk)
            d.Add(Loc("host.page_size"), $"host page size {Size(h.PageSizeBytes)} is not supported", "4KiB or 64KiB");
        else if (hostPageOk && !Bad("host.memory") && h.MemoryBytes % h.PageSizeBytes != 0)
            d.Add(Loc("host.memory"), $"host memory {Size(h.MemoryBytes)} is not a whole number of {Size(h.PageSizeBytes)} pages",
                $"a multiple of the page size {Size(h.PageSizeBytes)}");
        bool hostSizesOk = !Bad("host.memory", "host.reserved");
        if (hostSizesOk && h.ReservedBytes >= h.MemoryBytes)
            d.Add(Loc("host.reserved", "host.memory"), $"reserved {Size(h.ReservedBytes)} leaves nothing of host memory {Size(h.MemoryBytes)}",
                "reserved < memory");

        // With nothing left after reserved, the watermarks cannot fit either: that is the one problem reported above.
        bool usableOk = hostSizesOk && h.ReservedBytes < h.MemoryBytes;
        var watermarks = HvSim.Model.Mm.Watermarks.InBytes(h);
        long highWatermark = watermarks.High;
        long usable = h.MemoryBytes - h.ReservedBytes;
        bool watermarksOk = usableOk && !Bad("host.min_free_kbytes") && highWatermark < usable;
        if (usableOk && !Bad("host.min_free_kbytes") && !watermarksOk)
        {
            long min = watermarks.Min;
            // high = min_free_kbytes x 1536 bytes fits while min_free_kbytes < usable / 1536, rounded up: rounded down,
            // the bound would refuse the largest value that fits whenever 1536 does not divide usable.
            long bound = (usable + 1535) / 1536;
            d.Add(Loc("host.min_free_kbytes", "host.memory"),
                $"watermarks min {Units.FormatSizeApprox(min)}, low {Units.FormatSizeApprox(watermarks.Low)}, high {Size(highWatermark)} " +
                $"do not fit below the {Size(usable)} of host memory left after reserved",
                $"min_free_kbytes < {bound}, so that high = 3/2 min stays below memory - reserved");
        }

        if (!Bad("host.zswap", "host.kernel") && h.Zswap.Enabled && !h.Kernel.HasZswap)
            d.Add(Loc("host.zswap"), $"zswap on {h.Kernel.Name}: Linux 3.4 has no zswap (frontswap came in 3.5, zswap in 3.11); its only compressed swap is zram, in drivers/staging/zram",
                "zswap: false on linux-3.4 (use swap device zram), or host.kernel: linux-6.18");
        else if (!Bad("host.zswap", "host.swap.device") && h.Zswap.Enabled && h.Swap.IsZram)
            d.Add(Loc("host.zswap"), "zswap in front of a zram swap device compresses every page twice", "zswap with an ssd or hdd swap device, or swap device zram without zswap");
        if (!Bad("host.swap.mem_limit", "host.swap.device", "host.kernel") && h.Swap.MemLimitBytes is { } limit)
        {
            if (!h.Swap.IsZram)
                d.Add(Loc("host.swap.mem_limit"), $"mem_limit {Size(limit)} is zram's, but the swap device is {h.Swap.Kind}", "mem_limit only with device: zram");
            else if (!h.Kernel.HasZramMemLimit)
                d.Add(Loc("host.swap.mem_limit"), $"zram's mem_limit came in Linux 3.18; {h.Kernel.Name}'s zram has none", "no mem_limit on linux-3.4, or host.kernel: linux-6.18");
        }

        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        int guestIndex = 0;
        for (int gi = 0; gi < t.Groups.Count; gi++)
        {
            var g = t.Groups[gi].Guest;
            string p = GroupPath(t, at, gi);
            bool pageBad = Bad(p + ".page_size");
            // The smallest page any of the scenario's platforms runs the guest with: the most HPTEs and guest pages.
            int page = t.Platforms.Min(pl => g.PageBytesOn(pl, hostPageOk ? h.PageSizeBytes : 64 << 10));
            if (!pageBad && g.PageSizeBytes is { } written && written is not (4 << 10 or 64 << 10))
                d.Add(Loc(p + ".page_size"), $"guest page size {Size(written)} is not supported", "4KiB or 64KiB, or auto");
            else if (!pageBad && !Bad("platform") && g.PageSizeBytes is { } size && t.Platforms.Contains(Platform.Ppc970) && !Platform.Ppc970.AcceptsGuestPage(size))
                d.Add(Loc(p + ".page_size"), $"guest pages of {Size(size)} on PPC970: H_ENTER returns H_PARAMETER (3.4 hpte_page_size accepts 64KiB pages only on POWER7, CPU_FTR_ARCH_206)",
                    "4KiB or auto with a ppc970 platform; 64KiB only with platform: power7");
            else if (!pageBad && hostPageOk && g.PageSizeBytes is { } larger && larger > h.PageSizeBytes)
                d.Add(Loc(p + ".page_size"), $"guest pages of {Size(larger)} need host pages at least as large, the host has {Size(h.PageSizeBytes)} (H_ENTER fails with H_PARAMETER)",
                    $"guest page_size <= host page_size ({Size(h.PageSizeBytes)}), or auto");
            else if (!pageBad && hostPageOk && !Bad(p + ".memory") && g.MemoryBytes % Math.Max(page, h.PageSizeBytes) != 0)
                d.Add(Loc(p + ".memory", p), $"guest memory {Size(g.MemoryBytes)} is not a whole number of {Size(h.PageSizeBytes)} host pages",
                    $"a multiple of the host page size {Size(h.PageSizeBytes)}");
            else if (!Bad(p + ".page_size", p + ".memory", p + ".hpt_order") && page is 4 << 10 or 64 << 10)
            {
                long pages = g.MemoryBytes / page;
                long hptes = (1L << g.HptOrder) / HpteBytes;
                if (hptes < pages)
                {
                    int needed = 64 - System.Numerics.BitOperations.LeadingZeroCount((ulong)(pages * HpteBytes - 1));
                    d.Add(Loc(p + ".hpt_order", p + ".memory", p),
                        $"HPT too small for the guest: order {g.HptOrder} ({Size(1L << g.HptOrder)}) holds {hptes} HPTEs, fewer than the guest's {pages} pages",
                        $"hpt_order >= {needed} for {Size(g.MemoryBytes)} in {Size(page)} pages, or less guest memory");
                }
            }
            // A balloon device: the guest's fixed target, or the host's balloon policy (every guest gets one).
            bool fixedBalloon = g.BalloonBytes is > 0 && !Bad(p + ".balloon");
            string balloonKey = fixedBalloon ? p + ".balloon" : "host.balloon_policy.enabled";
            if (fixedBalloon || (s.Host.BalloonPolicy.Enabled && !Bad(balloonKey)))
            {
                if (fixedBalloon && !Bad(p + ".memory") && g.BalloonBytes >= g.MemoryBytes)
                    d.Add(Loc(balloonKey), $"balloon {Size(g.BalloonBytes!.Value)} is not smaller than the guest's memory {Size(g.MemoryBytes)}", "balloon < memory");
                else if (!Bad("platform") && t.Platforms.Contains(Platform.Ppc970))
                    d.Add(Loc(balloonKey), ModelConfigValidator.BalloonOnPpc970, "a balloon (guests.balloon, host.balloon_policy) with platform: power7 only");
                else if (!Bad(p + ".backing") && g.Backing != MemoryBacking.Anonymous)
                    d.Add(Loc(balloonKey, p + ".backing"), ModelConfigValidator.BalloonOnHugetlbfs, "backing: anonymous for a guest with a balloon (guests.balloon, host.balloon_policy)");
                else if (!pageBad && hostPageOk && page != h.PageSizeBytes)
                    d.Add(Loc(balloonKey, p + ".page_size"), ModelConfigValidator.BalloonPageMismatch(page, h.PageSizeBytes),
                        $"guest page_size equal to the host page size ({Size(h.PageSizeBytes)}), or auto, for a guest with a balloon");
            }
            foreach (var (key, bytes) in new[] { ("memory_high", g.MemoryHighBytes), ("memory_low", g.MemoryLowBytes) })
                if (bytes != null && !Bad(p + "." + key, "host.kernel") && !h.Kernel.HasCgroupV2)
                {
                    d.Add(Loc(p + "." + key), ModelConfigValidator.CgroupV2Only(h.Kernel), $"{key} with host.kernel: linux-6.18, or memory_max on {h.Kernel.Name}");
                    break;
                }
            if (!Bad(p + ".balloon_min", p + ".memory") && g.BalloonMinBytes > g.MemoryBytes)
                d.Add(Loc(p + ".balloon_min"), $"balloon_min {Size(g.BalloonMinBytes)} is more than the guest's memory {Size(g.MemoryBytes)}", "balloon_min <= memory");
            if (!Bad("platform", p + ".threads"))
                foreach (var platform in t.Platforms)
                    if (g.Threads > platform.ThreadsPerCore())
                    {
                        d.Add(Loc(p + ".threads"), $"{g.Threads} threads per core on {ScenarioKeys.PlatformName(platform)}: QEMU refuses more threads than the host core has",
                            $"threads <= {platform.ThreadsPerCore()} on {ScenarioKeys.PlatformName(platform)}");
                        break;
                    }
            bool guestPagesOk = !Bad(p + ".page_size", p + ".memory") && page is 4 << 10 or 64 << 10;
            foreach (var (trace, w) in Traces(g.Workload, p + ".workload"))
            {
                if (Bad(w, w + ".path", w + ".format", w + ".mapping", w + ".expand_page_size", w + ".id_unit")) continue;
                var (touched, error) = traces.Of(trace);
                if (error is not null)
                    d.Add(Loc(w + ".path", w), $"cannot read the trace: {error}",
                        $"a readable {trace.Format.Name} trace file with at least one request, or the format it is in ({string.Join(", ", TraceFormats.Names)})");
                else if (guestPagesOk && t.Platforms.Select(pl => g.PageBytesOn(pl, hostPageOk ? h.PageSizeBytes : 64 << 10)).Max() is var largest
                    && touched > g.MemoryBytes / largest)
                {
                    // The run gives each distinct trace page a guest page of its own, and guest memory comes in whole host
                    // pages; the platform with the largest guest pages has the fewest.
                    long unit = hostPageOk ? Math.Max(largest, h.PageSizeBytes) : largest;
                    long need = (long)touched * largest, least = (need + unit - 1) / unit * unit;
                    d.Add(Loc(p + ".memory", p),
                        $"trace {trace.Path} touches {touched} distinct pages, more than the guest's {g.MemoryBytes / largest} pages of {Size(largest)} in memory {Size(g.MemoryBytes)}",
                        $"memory >= {Size(least)}: {touched} pages of {Size(largest)}" + (least > need ? $" in whole {Size(h.PageSizeBytes)} host pages" : ""));
                }
            }
            if (!Bad(p + ".same_filled_fraction", p + ".incompressible_fraction") && g.SameFilledFraction + g.IncompressibleFraction > 1)
                d.Add(Loc(p + ".incompressible_fraction", p + ".same_filled_fraction", p),
                    $"same_filled_fraction {g.SameFilledFraction:0.###} + incompressible_fraction {g.IncompressibleFraction:0.###} is more than all the guest's pages",
                    "same_filled_fraction + incompressible_fraction <= 1");
            bool namesOk = !Bad(p + ".name", p + ".count");
            // Guest names go into the CSV tables as written: one a spreadsheet would run as a formula is refused (CWE-1236).
            if (namesOk && t.Groups[gi].Count > 0 && t.Guests[guestIndex].Name is { Length: > 0 } first && FormulaStarts.Contains(first[0]))
                d.Add(Loc(p + ".name", p), $"guest name '{ValueParser.Shorten(first)}' starts with '{first[0]}', which spreadsheets read as a formula",
                    "a name that does not start with =, +, -, @, a tab or a carriage return");
            for (int i = 0; i < t.Groups[gi].Count; i++, guestIndex++)
            {
                var name = t.Guests[guestIndex].Name;
                if (!seen.TryAdd(name, gi) && namesOk)
                    d.Add(Loc(p + ".name", p), $"guest name '{ValueParser.Shorten(name)}' is used twice", "unique guest names (give each profile its own name:)");
            }
        }

        // Totals over the guests need every profile's count (and memory) to be known.
        bool countsOk = !Bad("guests") && Enumerable.Range(0, t.Groups.Count).All(gi => !Bad(GroupPath(t, at, gi) + ".count"));
        bool memoriesOk = countsOk && Enumerable.Range(0, t.Groups.Count).All(gi => !Bad(GroupPath(t, at, gi) + ".memory"));
        if (countsOk && t.Guests.Count > MaxGuests)
            d.Add(Loc("guests.count", "guests[0].count", "guests"), $"{t.Guests.Count} guests", $"at most {MaxGuests} guests per host");

        // Host pages' fields: the swap entry's slot and the LRU links are narrower than the kernel's (HostPage, PageLists).
        if (!Bad("host.swap.capacity", "host.swap.device") && hostPageOk && h.Swap.CapacityBytes / h.PageSizeBytes > HvSim.Model.Mm.HostPage.MaxSwapSlots)
            d.Add(Loc("host.swap.capacity", "host.swap", "host"),
                $"swap capacity {Size(h.Swap.CapacityBytes)} is {h.Swap.CapacityBytes / h.PageSizeBytes} slots of {Size(h.PageSizeBytes)}; a host page's swap entry holds {HvSim.Model.Mm.HostPage.SwapSlotBits} bits",
                $"swap capacity <= {Size((long)HvSim.Model.Mm.HostPage.MaxSwapSlots * h.PageSizeBytes)} with {Size(h.PageSizeBytes)} host pages");
        if (!Bad("host.page_cache.footprint") && hostPageOk && h.PageCache.Enabled && h.PageCache.FootprintBytes / h.PageSizeBytes > HvSim.Model.Replacement.PageLists.MaxPages)
            d.Add(Loc("host.page_cache.footprint", "host.page_cache", "host"),
                $"page cache footprint {Size(h.PageCache.FootprintBytes)} is {h.PageCache.FootprintBytes / h.PageSizeBytes} pages of {Size(h.PageSizeBytes)}; the LRU links hold {HvSim.Model.Replacement.PageLists.LinkBits} bits",
                $"footprint <= {Size((long)HvSim.Model.Replacement.PageLists.MaxPages * h.PageSizeBytes)} with {Size(h.PageSizeBytes)} host pages");
        if (memoriesOk && hostPageOk && t.Guests.Sum(g => g.MemoryBytes / h.PageSizeBytes) is var hostPages && hostPages > HvSim.Model.Replacement.PageLists.MaxPages)
            d.Add(Loc("guests"), $"the guests' {Size(t.Guests.Sum(g => g.MemoryBytes))} are {hostPages} host pages of {Size(h.PageSizeBytes)}; the LRU links hold {HvSim.Model.Replacement.PageLists.LinkBits} bits",
                $"guest memory <= {Size((long)HvSim.Model.Replacement.PageLists.MaxPages * h.PageSizeBytes)} in all with {Size(h.PageSizeBytes)} host pages");

        if (!Bad("platform", "host.swap.capacity", "host.swap.device") && t.Platforms.Contains(Platform.Power7) && memoriesOk && watermarksOk && hostPageOk)
        {
            long guestMemory = t.Guests.Sum(g => g.MemoryBytes);
            // Each guest's HPT, revmap and rmap are host kernel memory that guest pages cannot use.
            long kvm = t.Guests.Sum(g => KvmGuestMemory.For(g, Platform.Power7, h.PageSizeBytes).TotalPages) * h.PageSizeBytes;
            long available = Math.Max(0, usable - highWatermark - kvm);
            long mustPageOut = guestMemory - available;
            if (mustPageOut > h.Swap.CapacityBytes)
                d.Add(Loc("host.swap.capacity", "host.swap", "host"),
                    $"swap capacity {Size(h.Swap.CapacityBytes)} is smaller than the {Size(mustPageOut)} the POWER7 host may have to page out " +
                    $"(guest memory {Size(guestMemory)} - {Size(available)} host memory available above the high watermark, " +
                    $"beside {Size(kvm)} of KVM memory for the guests' HPTs, revmaps and rmaps)",
                    $"swap capacity >= {Size(mustPageOut)}, or less overcommit");
        }

        if (!Bad("platform", "host.rma", "host.rma_count", "host.page_size") && hostPageOk && t.Platforms.Contains(Platform.Ppc970) && usableOk && countsOk)
        {
            // With rma_count auto the pool grows with the guests admitted, so only a count written out can overflow.
            long each = (h.RmaBytes + h.PageSizeBytes - 1) / h.PageSizeBytes * h.PageSizeBytes;
            if (h.RmaCount is int rmas && rmas * each > usable)
                d.Add(Loc("host.rma_count", "host.rma", "host.memory"),
                    $"the PPC970 RMA pool of {rmas} x {Size(each)} = {Size(rmas * each)} does not fit in the " +
                    $"{Size(usable)} of host memory left after reserved",
                    $"rma_count x rma <= {Size(usable)}");
        }

        // vm.swappiness took values up to 200 in 5.8 (MAX_SWAPPINESS); 3.4's sysctl stops at 100.
        if (!Bad("host.swappiness", "host.kernel") && h.Swappiness > 100 && !h.Kernel.WorkingsetRefault)
            d.Add(Loc("host.swappiness"), $"swappiness {h.Swappiness} is above 100, the largest {h.Kernel.Name} accepts",
                "0 to 100 with linux-3.4; up to 200 with host.kernel: linux-6.18");
        if (!Bad("host.page_cache.rate") && h.PageCache.Enabled && Enumerable.Range(0, t.Groups.Count).Any(gi => t.Groups[gi].Guest is
            { MemoryMaxBytes: not null } or { MemoryHighBytes: not null } or { MemoryLowBytes: not null }))
            d.Add(Loc("host.page_cache.rate", "host.page_cache"), "a host page cache with per-guest memory cgroups (guests.memory_max/high/low) is not modelled",
                "host.page_cache without guests.memory_max, memory_high or memory_low, or no page cache");
        if (!Bad("host.page_cache.rate", "host.policy") && h.PageCache.Enabled && h.Policy != HvSim.Model.Replacement.ReplacementPolicies.Default)
            d.Add(Loc("host.page_cache.rate", "host.policy"), $"a host page cache needs the kernel's active/inactive lists, not host.policy {h.Policy}",
                $"host.policy: {HvSim.Model.Replacement.ReplacementPolicies.Default} with host.page_cache");

        // Safety net: whatever the model itself refuses is refused here too, even if no rule above names it. Only for a
        // file that bound cleanly: elsewhere defaults stand in for bad values.
        if (!d.HasErrors && binder.Clean)
            foreach (var platform in t.Platforms)
                try
                {
                    ModelConfigValidator.Validate(t.ToConfig(s.Name, platform, s.Seed));
                }
                catch (ArgumentException e)
                {
                    d.Add(root, $"the model refuses this configuration: {e.Message}", "see docs/scenarios.md");
                    break;
                }
    }

    /// <summary>The trace workloads in <paramref name="workload"/> and the ones nested in it, with their key paths.</summary>
    private static IEnumerable<(TraceWorkload Trace, string Path)> Traces(WorkloadSpec? workload, string path)
    {
        if (workload is TraceWorkload trace) return [(trace, path)];
        // Nested workloads sit in the kind's list key (phases, streams), in order.
        string? list = workload is null ? null : WorkloadKinds.Of(workload).Keys.FirstOrDefault(k => k.Kind == ValueKind.WorkloadList)?.Name;
        return workload?.Nested.SelectMany((nested, i) => Traces(nested, $"{path}.{list}[{i}].workload")) ?? [];
    }

    /// <summary>
    /// Sizes in messages are often computed (or written as 3GB): exact when short, else readable with the exact value
    /// too, so that two sizes compared in one message never print alike (1.51GiB is smaller than 1.51GiB).
    /// </summary>
    private static string Size(long bytes) => Units.FormatSizeReadable(bytes);

    private static string GroupPath(RunTemplate t, IReadOnlyDictionary<string, Node> at, int gi) =>
        t.Groups.Count == 1 && !at.ContainsKey("guests[0]") ? "guests" : $"guests[{gi}]";

}
