namespace HvSim.Model.Config;

/// <summary>
/// The host's page cache and the I/O that fills it (`host.page_cache`): a host process (QEMU's disk I/O with
/// cache=writeback, logs) reading and writing random pages of a file through the page cache at a steady rate, the
/// dirty-page sysctls that govern its writeback, and the disk the file lives on. A rate of 0 (the default) is a host
/// without page cache, as before.
/// </summary>
public sealed record PageCacheConfig
{
    /// <summary>Bytes per second the host I/O stream reads and writes through the page cache; 0 = no host I/O.</summary>
    public long RateBytesPerSecond { get; init; }
    /// <summary>Size of the file the stream reads and writes (its pages are chosen uniformly at random).</summary>
    public long FootprintBytes { get; init; } = 2L << 30;
    /// <summary>Share of the stream's page accesses that are writes (full-page writes: generic_perform_write, no read first).</summary>
    public double WriteFraction { get; init; } = 0.3;
    /// <summary>vm.dirty_ratio: percent of dirtyable memory a writer may dirty before balance_dirty_pages throttles it.</summary>
    public int DirtyRatio { get; init; } = 20;
    /// <summary>vm.dirty_background_ratio: percent of dirtyable memory above which the flusher writes back in the background.</summary>
    public int DirtyBackgroundRatio { get; init; } = 10;
    /// <summary>vm.dirty_expire_centisecs: dirty pages older than this are written by the periodic (kupdate) flush.</summary>
    public long DirtyExpireNs { get; init; } = 30_000_000_000;
    /// <summary>vm.dirty_writeback_centisecs: the flusher's periodic wake-up.</summary>
    public long DirtyWritebackNs { get; init; } = 5_000_000_000;
    /// <summary>The disk the file lives on (its own device, not the swap device).</summary>
    public SwapDeviceConfig Disk { get; init; } = SwapDeviceConfig.Ssd;

    /// <summary>The host runs an I/O stream through its page cache.</summary>
    public bool Enabled => RateBytesPerSecond > 0;
}
