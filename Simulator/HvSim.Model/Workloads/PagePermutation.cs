namespace HvSim.Model.Workloads;

/// <summary>
/// A seeded bijection of [0, n) with no table: a 4-round Feistel network on the smallest even bit width that covers n,
/// cycle-walked back into range. Scatters popularity ranks over guest pages so hot pages are not contiguous.
/// </summary>
public readonly struct PagePermutation
{
    private const int Rounds = 4;
    private readonly int _n;
    private readonly int _halfBits;
    private readonly ulong _halfMask;
    private readonly ulong _key;

    public PagePermutation(int n, ulong seed)
    {
        if (n < 1) throw new ArgumentOutOfRangeException(nameof(n), n, "permutation domain must be >= 1");
        _n = n;
        int bits = Math.Max(2, 64 - (int)ulong.LeadingZeroCount((ulong)(n - 1)));
        _halfBits = (bits + 1) / 2;
        _halfMask = (1UL << _halfBits) - 1;
        _key = Mix(seed ^ 0x5851F42D4C957F2DUL);
    }

    public int Count => _n;

    /// <summary>The page that popularity rank <paramref name="x"/> lands on.</summary>
    public int Map(int x)
    {
        ulong v = (uint)x;
        do v = Encrypt(v);
        while (v >= (ulong)_n);
        return (int)v;
    }

    private ulong Encrypt(ulong v)
    {
        ulong left = v >> _halfBits, right = v & _halfMask;
        for (int round = 0; round < Rounds; round++)
        {
            ulong f = Mix(right ^ _key ^ ((ulong)round * 0x9E3779B97F4A7C15UL)) & _halfMask;
            (left, right) = (right, left ^ f);
        }
        return (left << _halfBits) | right;
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
