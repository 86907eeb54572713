using HvSim.Model.Config;
using HvSim.Model.Hv;
using HvSim.Model.Mm;

namespace HvSim.Model.Guest;

/// <summary>
/// Which guests can start. POWER7 guests are pageable, so all are admitted. A PPC970 guest needs an RMA from the
/// boot-time pool and must pin the rest of its memory (kernel-model.md §2.9): a guest that finds the pool empty, or
/// whose memory beyond its RMA does not fit in host memory minus the reserve, the pool, the min watermark and what
/// earlier guests pin, is refused, never shrunk.
/// </summary>
/// <remarks>
/// The pins are get_user_pages allocations, which may take free memory down to the min watermark and no further:
/// below it the allocator reclaims directly, finds only pinned pages, and the OOM killer ends a QEMU. So pinned
/// guests fit above min; between low and min each pin still wakes kswapd, which scans the pinned pages in vain.
/// </remarks>
public static class Admission
{
    /// <summary>Per guest in config order: null when admitted, else the refusal reason.</summary>
    public static string?[] Decide(SimulationConfig config)
    {
        var reasons = new string?[config.Guests.Count];
        if (config.Platform.UsesMmuNotifiers()) return reasons;
        var host = config.Host;
        long page = host.PageSizeBytes;
        var rma = RmaPool.For(config);
        long minWatermark = Watermarks.For(host).Min;
        long available = host.MemoryBytes / page - (host.ReservedBytes + page - 1) / page - rma.TotalPages - minWatermark;
        long pinned = 0;
        int rmasTaken = 0;
        for (int i = 0; i < config.Guests.Count; i++)
        {
            long pages = config.Guests[i].MemoryBytes / page;
            long backed = rma.BackedPages(pages);
            long need = pages - backed;
            if (rma.Required && rmasTaken == rma.Count)
            {
                reasons[i] = $"PPC970 runs guest real mode in an RMA, and all {rma.Count} RMAs of the host's boot-time pool " +
                    "(host.rma_count) are taken by earlier guests";
                continue;
            }
            if (pinned + need <= available)
            {
                pinned += need;
                rmasTaken++;
                continue;
            }
            string besides = backed > 0 ? $" besides the {Mib(backed * page)} MiB its RMA backs" : "";
            string pool = rma.Required ? $" - RMA pool {Mib(rma.TotalPages * page)} MiB ({rma.Count} x {Mib(rma.PagesEach * page)} MiB)" : "";
            reasons[i] = $"PPC970 pins all guest memory: needs {Mib(need * page)} MiB{besides}, but only " +
                $"{Mib(Math.Max(0, available - pinned) * page)} MiB remain (host {Mib(host.MemoryBytes)} MiB - reserved " +
                $"{Mib(host.ReservedBytes)} MiB{pool} - min watermark {Mib(minWatermark * page)} MiB - {Mib(pinned * page)} MiB " +
                "pinned by earlier guests)";
        }
        return reasons;
    }

    private static string Mib(long bytes) => (bytes / (double)(1 << 20)).ToString("0.##", System.Globalization.CultureInfo.InvariantCulture);
}
