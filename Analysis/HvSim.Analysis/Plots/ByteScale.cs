namespace HvSim.Analysis.Plots;

/// <summary>Chooses MiB or GiB for a memory axis so tick labels stay short.</summary>
internal readonly record struct ByteScale(double Divisor, string Unit)
{
    public static ByteScale For(double maxBytes) =>
        maxBytes >= 2d * (1L << 30) ? new ByteScale(1L << 30, "GiB") : new ByteScale(1L << 20, "MiB");
}
