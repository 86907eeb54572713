using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace HvSim.Engine;

/// <summary>
/// The state of an <see cref="RngStream"/>'s xoshiro256** generator as a value, with the stream's draws. A hot loop copies
/// it into a local, where the JIT keeps the four words in registers, draws there and stores it back once, instead of
/// loading and storing them through the stream object on every draw; the same state gives the same numbers either way.
/// </summary>
public struct RngState
{
    private ulong _s0, _s1, _s2, _s3;

    internal RngState(ulong s0, ulong s1, ulong s2, ulong s3) => (_s0, _s1, _s2, _s3) = (s0, s1, s2, s3);

    /// <summary>
    /// One word of the state, which changes with every draw: two generators of one seed are at the same position when it
    /// is equal (up to a 2^-64 chance), a cheap check that a copy is still in step.
    /// </summary>
    public readonly ulong StateWord => _s0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
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

    /// <summary>The top 53 bits of a draw: <see cref="NextDouble"/> is this times 2^-53, exactly.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong Next53() => NextUInt64() >> 11;

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double NextDouble() => Next53() * (1.0 / (1UL << 53));

    /// <summary>Uniform in [0, bound) without modulo bias (Lemire): the high word of a draw times the bound, redrawn while the low word falls in the biased part.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong NextBounded(ulong bound)
    {
        if (bound == 0) return 0;
        ulong x = NextUInt64();
        ulong low = x * bound;
        if (low < bound)
        {
            ulong threshold = (0 - bound) % bound;
            while (low < threshold)
            {
                x = NextUInt64();
                low = x * bound;
            }
        }
        return MultiplyHigh(x, bound);
    }

    /// <summary>
    /// <see cref="NextBounded"/> for a bound of 2^<paramref name="bits"/> (1 ≤ bits ≤ 63), from the same one draw with
    /// the same result: Lemire's method never draws again for a power of two (its threshold, 2^64 mod 2^bits, is 0), and
    /// the high word of draw × 2^bits is the draw's top <paramref name="bits"/> bits. A shift, without the multiply and
    /// the test.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong NextBits(int bits) => NextUInt64() >> (64 - bits);

    /// <summary>
    /// The high word of the 128-bit product (the low word is the plain product). MULX where there is BMI2: Math.BigMul's
    /// out parameter would keep a local copy's words in memory.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong MultiplyHigh(ulong a, ulong b) => Bmi2.X64.IsSupported ? Bmi2.X64.MultiplyNoFlags(a, b) : Math.BigMul(a, b, out _);

    /// <summary>Exponential with the given mean (ziggurat: a logarithm only in about one draw in a hundred).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double NextExponential(double mean)
    {
        ulong bits = NextUInt64();
        if (ExponentialZiggurat.TryFast(bits, out double x)) return mean * x;
        // The slow path takes and returns the state by value: a reference to it would keep a local copy out of registers.
        (x, this) = ExponentialZiggurat.Slow(this, bits);
        return mean * x;
    }
}
