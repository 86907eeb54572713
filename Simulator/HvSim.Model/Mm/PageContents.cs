using HvSim.Model.Config;

namespace HvSim.Model.Mm;

/// <summary>
/// What a compressor makes of a guest page's contents (guests.compression_ratio, same_filled_fraction,
/// incompressible_fraction): each page of a guest is same-filled, incompressible or compressible by a fixed draw from
/// its guest and page index (the same in every run and whatever else the run does), and its contents keep that class
/// for the whole run.
/// </summary>
public static class PageContents
{
    /// <summary>The compressed length of a same-filled page: zswap and zram keep only the repeated word.</summary>
    public const int SameFilled = 0;

    /// <summary>
    /// The compressor's output length for page <paramref name="index"/> of guest <paramref name="guest"/> (its index in
    /// the scenario): 0 when same-filled (zswap_is_page_same_filled, 3.4 zram's page_zero_filled), the whole page when
    /// incompressible, else page / ratio rounded up.
    /// </summary>
    public static int CompressedBytes(GuestConfig config, int guest, int index, int pageBytes)
    {
        double u = Draw(guest, index);
        if (u < config.SameFilledFraction) return SameFilled;
        if (u < config.SameFilledFraction + config.IncompressibleFraction) return pageBytes;
        return (int)Math.Min(pageBytes, Math.Ceiling(pageBytes / config.CompressionRatio));
    }

    /// <summary>CPU for <paramref name="perFourKib"/> ns per 4 KiB on a page of <paramref name="pageBytes"/> (the kernel compresses PAGE_SIZE at once).</summary>
    public static long Scaled(long perFourKib, int pageBytes) => perFourKib * pageBytes / 4096;

    /// <summary>A uniform draw in [0, 1) from (guest, page index): SplitMix64's finaliser.</summary>
    private static double Draw(int guest, int index)
    {
        ulong z = ((ulong)(uint)guest << 32 | (uint)index) + 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (z >> 11) * (1.0 / (1UL << 53));
    }
}
