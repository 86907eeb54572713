namespace HvSim.Model.Config;

/// <summary>Default costs of kernel-model.md section 4, in nanoseconds.</summary>
public sealed record CostConfig
{
    /// <summary>C_rm_hcall: real-mode hcall round trip (H_ENTER, H_REMOVE, real-mode HDSI part).</summary>
    public long RealModeHcallNs { get; init; } = 1_000;
    /// <summary>C_exit: full guest exit to the host kernel and re-entry.</summary>
    public long ExitNs { get; init; } = 10_000;
    /// <summary>C_tlbie: one global tlbie sequence under tlbie_lock.</summary>
    public long TlbieNs { get; init; } = 2_000;
    /// <summary>C_gup_hit: get_user_pages_fast on a resident page.</summary>
    public long GupHitNs { get; init; } = 300;
    /// <summary>C_minflt for an anonymous zero-fill of a new host page.</summary>
    public long ZeroFillNs { get; init; } = 6_000;
    /// <summary>C_minflt for a swap-cache hit.</summary>
    public long SwapCacheHitNs { get; init; } = 2_000;
    /// <summary>Cost of one guest access through a valid HPTE (a memory reference).</summary>
    public long AccessNs { get; init; } = 100;
    /// <summary>ksmd's CPU per page scanned (calc_checksum's jhash2 and the tree searches' memcmp of a 64 KiB page, an estimate).</summary>
    public long KsmScanPageNs { get; init; } = 20_000;
    /// <summary>
    /// CPU of a major fault besides the read it waits for (do_swap_page: page allocation, memcg charge, swap-cache insert,
    /// bio submission, PTE update). 0 = not modelled (the read dominates on a native host); `hvsim validation` sets the
    /// real host's measured fault cost.
    /// </summary>
    public long SwapInNs { get; init; }
    /// <summary>
    /// CPU per page reclaim scans (isolate, folio_check_references' rmap walk, try_to_unmap, add_to_swap, bio
    /// submission), on the reclaimer's clock besides the tlbies; 0 = not modelled.
    /// </summary>
    public long ReclaimPageNs { get; init; }
    /// <summary>
    /// CPU to compress 4 KiB (zram_bvec_write, zswap_store), scaled to the host page: lzo, the compressor of 3.4's zram
    /// and 6.x zswap's default, at 414 MB/s (LZ4 project's benchmark of LZO 2.06, one Core i5-3340M core).
    /// </summary>
    public long CompressNs { get; init; } = 10_000;
    /// <summary>CPU to decompress 4 KiB (zram_bvec_read, zswap_load), scaled to the host page: lzo at 600 MB/s (same source).</summary>
    public long DecompressNs { get; init; } = 7_000;
}
