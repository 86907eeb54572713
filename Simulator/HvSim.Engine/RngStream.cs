using System.Runtime.CompilerServices;

namespace HvSim.Engine;

/// <summary>
/// One independent random stream per named component: xoshiro256** seeded by SplitMix64 from
/// (master seed, FNV-1a hash of the name). Derives from <see cref="Random"/> so MathNet distributions can use it.
/// </summary>
public sealed class RngStream : Random
{
    private ulong _s0, _s1, _s2, _s3;

    public RngStream(ulong masterSeed, string component)
    {
        ulong h = 14695981039346656037UL;
        foreach (char ch in component)
        {
            h ^= ch;
            h *= 1099511628211UL;
        }
        ulong x = masterSeed ^ h;
        _s0 = SplitMix(ref x);
        _s1 = SplitMix(ref x);
        _s2 = SplitMix(ref x);
        _s3 = SplitMix(ref x);
    }

    private static ulong SplitMix(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>
    /// Puts this stream at <paramref name="other"/>'s position without drawing from it: this stream's next draws are the
    /// ones <paramref name="other"/> will make (a look-ahead copy that predicts, never consumes).
    /// </summary>
    public void CopyStateFrom(RngStream other) => (_s0, _s1, _s2, _s3) = (other._s0, other._s1, other._s2, other._s3);

    /// <summary>
    /// One word of the generator's state, which changes with every draw: two streams of one seed are at the same position
    /// when it is equal (up to a 2^-64 chance), a cheap check that a look-ahead copy is still in step.
    /// </summary>
    public ulong StateWord => _s0;

    public ulong NextUInt64()
    {
        ulong result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public override double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    protected override double Sample() => NextDouble();

    public override int Next() => (int)(NextUInt64() >> 33);

    public override int Next(int maxValue) => maxValue <= 0 ? 0 : (int)NextBounded((ulong)maxValue);

    public override int Next(int minValue, int maxValue) => minValue + (int)NextBounded((ulong)((long)maxValue - minValue));

    /// <summary>Uniform in [0, bound) without modulo bias (Lemire).</summary>
    public ulong NextBounded(ulong bound)
    {
        if (bound == 0) return 0;
        UInt128 m = (UInt128)NextUInt64() * bound;
        ulong low = (ulong)m;
        if (low < bound)
        {
            ulong threshold = (0 - bound) % bound;
            while (low < threshold)
            {
                m = (UInt128)NextUInt64() * bound;
                low = (ulong)m;
            }
        }
        return (ulong)(m >> 64);
    }

    /// <summary>Exponential with the given mean (ziggurat: a logarithm only in about one draw in a hundred).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double NextExponential(double mean)
    {
        ulong bits = NextUInt64();
        return mean * (ExponentialZiggurat.TryFast(bits, out double x) ? x : ExponentialZiggurat.Slow(this, bits));
    }
}
