namespace HvSim.Model.Workloads;

/// <summary>
/// A seeded bijection of [0, n) with no table: a 4-round Feistel network on the smallest even bit width that covers n,
/// cycle-walked back into range. Scatters popularity ranks over guest pages so hot pages are not contiguous.
/// </summary>
public readonly struct PagePermutation
{
    private readonly int _n;
    private readonly int _halfBits;
    private readonly ulong _halfMask;
    /// <summary>Round r's key: the permutation's key XOR r times the golden-ratio constant, worked out once rather than per round.</summary>
    private readonly ulong _key0, _key1, _key2, _key3;

    public PagePermutation(int n, ulong seed)
    {
        if (n < 1) throw new ArgumentOutOfRangeException(nameof(n), n, "permutation domain must be >= 1");
        _n = n;
        int bits = Math.Max(2, 64 - (int)ulong.LeadingZeroCount((ulong)(n - 1)));
        _halfBits = (bits + 1) / 2;
        _halfMask = (1UL << _halfBits) - 1;
        ulong key = Mix(seed ^ 0x5851F42D4C957F2DUL);
        (_key0, _key1, _key2, _key3) = (RoundKey(key, 0), RoundKey(key, 1), RoundKey(key, 2), RoundKey(key, 3));
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

    /// <summary>The pages of ranks 0 to <paramref name="count"/> - 1, in rank order: <see cref="Map"/> of each, worked out once.</summary>
    public int[] MapFirst(int count)
    {
        var pages = new int[count];
        for (int x = 0; x < count; x++) pages[x] = Map(x);
        return pages;
    }

    private static ulong RoundKey(ulong key, int round) => key ^ ((ulong)round * 0x9E3779B97F4A7C15UL);

    /// <summary>The four Feistel rounds, written out: each XORs the mixed other half into one half, alternating halves.</summary>
    private ulong Encrypt(ulong v)
    {
        ulong left = v >> _halfBits, right = v & _halfMask;
        left ^= Mix(right ^ _key0) & _halfMask;
        right ^= Mix(left ^ _key1) & _halfMask;
        left ^= Mix(right ^ _key2) & _halfMask;
        right ^= Mix(left ^ _key3) & _halfMask;
        return (left << _halfBits) | right;
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
