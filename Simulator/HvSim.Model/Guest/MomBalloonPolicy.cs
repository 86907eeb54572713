using HvSim.Engine;
using HvSim.Model.Config;
using HvSim.Model.Mm;

namespace HvSim.Model.Guest;

/// <summary>
/// oVirt's Memory Overcommitment Manager (MoM 0.6, mom/PolicyEngine.py running doc/balloon.rules, the Balloon controller
/// calling libvirt's virDomainSetMemory) on the host: every policy-engine-interval it reads the host's free memory
/// (HostMemory collector: MemFree + Buffers + Cached over MemTotal) and each guest's current memory and free memory
/// (GuestBalloon: balloon_cur; GuestMemory: mem_unused, the balloon driver's VIRTIO_BALLOON_S_MEMFREE), and sets each
/// guest's balloon target: below pressure_threshold every guest shrinks (shrink_guest), otherwise every ballooned guest
/// grows back (grow_guest). Each guest's <see cref="VirtioBalloon"/> moves towards its target at guests.balloon_rate.
/// </summary>
public sealed class MomBalloonPolicy
{
    private readonly Host _host;
    private readonly BalloonPolicyConfig _config;

    public MomBalloonPolicy(Host host)
    {
        _host = host;
        _config = host.Config.Host.BalloonPolicy;
    }

    /// <summary>PolicyEngine.run: evaluate the rules every interval, the first one interval after start.</summary>
    public IEnumerable<Command> Run()
    {
        while (true)
        {
            yield return Command.Delay(_config.IntervalNs);
            Evaluate();
        }
    }

    /// <summary>
    /// balloon.rules' main script: host_free_percent = mem_free / mem_available; below pressure_threshold shrink_guest
    /// for every guest, else grow_guest; a new target goes to the guest's balloon (Controllers/Balloon.process_guest).
    /// </summary>
    public void Evaluate()
    {
        long free = _host.FreePages + (_host.PageCache?.LruCount ?? 0);
        double hostFree = free / (double)_host.TotalPages;
        foreach (var vm in _host.Vms)
        {
            var balloon = vm.Balloon!;
            long cur = balloon.CurrentPages, unused = balloon.FreePages();
            long min = vm.Config.BalloonMinBytes / vm.GuestPageBytes;
            long? size = hostFree < _config.PressureThreshold
                ? ShrinkGuest(_config, hostFree, cur, unused, min)
                : GrowGuest(_config, cur, unused, min, vm.GuestPageCount);
            if (size is { } memory) balloon.SetTarget(vm.GuestPageCount - memory);
        }
    }

    /// <summary>
    /// shrink_guest: the guest's free share scaled to host pressure (min_guest_free_percent x host_free_percent /
    /// pressure_threshold; at or below pressure_critical, host_free_percent - 0.05, below its used memory), so its
    /// smallest memory is max(balloon_min, used + that share of balloon_cur); shrink by max_balloon_change_percent but not
    /// below that. Returns the new memory in pages (truncated, as MoM's int(target)), or null when it is no smaller or not
    /// change_big_enough.
    /// </summary>
    public static long? ShrinkGuest(BalloonPolicyConfig c, double hostFree, long cur, long unused, long min)
    {
        double guestFree = hostFree <= c.PressureCritical ? -0.05 + hostFree : c.MinGuestFree * (hostFree / c.PressureThreshold);
        double balloonMin = Math.Max(min, cur - unused + guestFree * cur);
        double size = Math.Max(cur * (1 - c.MaxChange), balloonMin);
        return size <= cur && ChangeBigEnough(c, cur, size) ? (long)size : null;
    }

    /// <summary>
    /// grow_guest, for a guest below balloon_max (its full memory): at least used + min_guest_free_percent of balloon_cur,
    /// else balloon_cur grown by max_balloon_change_percent, at most balloon_max. Null when not change_big_enough.
    /// </summary>
    public static long? GrowGuest(BalloonPolicyConfig c, long cur, long unused, long min, long max)
    {
        if (cur >= max) return null;
        double balloonMin = Math.Max(min, cur - unused + c.MinGuestFree * cur);
        double size = Math.Min(Math.Max(cur * (1 + c.MaxChange), balloonMin), max);
        return ChangeBigEnough(c, cur, size) ? (long)size : null;
    }

    /// <summary>change_big_enough: |new - balloon_cur| &gt; min_balloon_change_percent x balloon_cur.</summary>
    private static bool ChangeBigEnough(BalloonPolicyConfig c, long cur, double size) => Math.Abs(size - cur) > c.MinChange * cur;
}
