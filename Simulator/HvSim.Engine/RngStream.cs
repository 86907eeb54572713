using System.Runtime.CompilerServices;

namespace HvSim.Engine;

/// <summary>
/// One independent random stream per named component: xoshiro256** seeded by SplitMix64 from
/// (master seed, FNV-1a hash of the name). Derives from <see cref="Random"/> so MathNet distributions can use it. The
/// generator's state is an <see cref="RngState"/> (<see cref="State"/>), which a hot loop may draw from as a local copy.
/// </summary>
public sealed class RngStream : Random
{
    private RngState _state;

    public RngStream(ulong masterSeed, string component)
    {
        ulong h = 14695981039346656037UL;
        foreach (char ch in component)
        {
            h ^= ch;
            h *= 1099511628211UL;
        }
        ulong x = masterSeed ^ h;
        ulong s0 = SplitMix(ref x), s1 = SplitMix(ref x), s2 = SplitMix(ref x), s3 = SplitMix(ref x);
        _state = new RngState(s0, s1, s2, s3);
    }

    private static ulong SplitMix(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>
    /// The generator's state: a stream's draws are a function of it alone, so a copy draws what the stream will (a
    /// look-ahead that predicts, never consumes), and a loop that draws from a local copy and stores it back here has
    /// drawn exactly what the stream would have.
    /// </summary>
    public ref RngState State => ref _state;

    /// <summary>See <see cref="RngState.StateWord"/>.</summary>
    public ulong StateWord => _state.StateWord;

    public ulong NextUInt64() => _state.NextUInt64();

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public override double NextDouble() => _state.NextDouble();

    protected override double Sample() => NextDouble();

    public override int Next() => (int)(NextUInt64() >> 33);

    public override int Next(int maxValue) => maxValue <= 0 ? 0 : (int)NextBounded((ulong)maxValue);

    public override int Next(int minValue, int maxValue) => minValue + (int)NextBounded((ulong)((long)maxValue - minValue));

    /// <summary>Uniform in [0, bound) without modulo bias (Lemire).</summary>
    public ulong NextBounded(ulong bound) => _state.NextBounded(bound);

    /// <summary>Exponential with the given mean (see <see cref="RngState.NextExponential"/>).</summary>
    public double NextExponential(double mean) => _state.NextExponential(mean);
}
