using HvSim.Model.Config;

namespace HvSim.Model.Guest;

/// <summary>
/// Which guests can start. POWER7 guests are pageable, so all are admitted. PPC970 pins every guest page plus a
/// contiguous RMA (kernel-model.md §2.9), so a guest whose memory + RMA does not fit in host memory minus the reserve
/// minus what earlier guests pin is refused, never shrunk.
/// </summary>
/// <remarks>
/// Conservative on purpose (docs/architecture.md, Simplifications): in the kernel the RMA comes from a pool reserved
/// at host boot and backs the guest's first RMA-size of real memory, so a guest pins only its memory; here each guest
/// is charged its memory plus one RMA, up to one guest fewer at the edge.
/// </remarks>
public static class Admission
{
    /// <summary>Per guest in config order: null when admitted, else the refusal reason.</summary>
    public static string?[] Decide(SimulationConfig config)
    {
        var reasons = new string?[config.Guests.Count];
        if (config.Platform.UsesMmuNotifiers()) return reasons;
        long page = config.Host.PageSizeBytes;
        long available = config.Host.MemoryBytes / page - (config.Host.ReservedBytes + page - 1) / page;
        long rma = (config.Host.RmaBytes + page - 1) / page;
        long pinned = 0;
        for (int i = 0; i < config.Guests.Count; i++)
        {
            long need = config.Guests[i].MemoryBytes / page + rma;
            if (pinned + need <= available)
            {
                pinned += need;
                continue;
            }
            reasons[i] = $"PPC970 pins all guest memory: needs {Mib(need * page)} MiB (memory + {Mib(rma * page)} MiB RMA, counted on top of guest " +
                "memory: see Simplifications in docs/architecture.md) but only " +
                $"{Mib((available - pinned) * page)} MiB remain (host {Mib(config.Host.MemoryBytes)} MiB - reserved " +
                $"{Mib(config.Host.ReservedBytes)} MiB - {Mib(pinned * page)} MiB pinned by earlier guests)";
        }
        return reasons;
    }

    private static string Mib(long bytes) => (bytes / (double)(1 << 20)).ToString("0.##", System.Globalization.CultureInfo.InvariantCulture);
}
