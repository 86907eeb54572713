using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace HvSim.Engine;

/// <summary>
/// The ziggurat method (Marsaglia and Tsang, 2000) for Exp(1): the area under e^-x is cut into 256 layers of
/// equal area, 255 rectangles stacked on a base layer that carries the tail. A draw picks a layer and a point
/// across it with one 64-bit random number; about 98.9 % of points lie under the curve of every narrower layer
/// and are returned after a compare and a multiply. That is what makes an exponential delay cost a few ns
/// instead of a logarithm (the largest single cost of a timeout in the engine benchmark).
/// </summary>
internal static class ExponentialZiggurat
{
    public const int Layers = 256;
    private const double TwoToMinus53 = 1.0 / (1UL << 53);

    /// <summary>Per layer: accept when the 53-bit integer j is below <see cref="Accept"/>, and then x = j * <see cref="Scale"/>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Layer
    {
        public ulong Accept;
        public double Scale;
    }

    /// <summary>Where the base layer's rectangle ends and its tail (of area e^-R) begins.</summary>
    public static readonly double R;

    /// <summary>Area of every layer.</summary>
    public static readonly double V;

    /// <summary>
    /// X[i] is the width of layer i: X[0] = V / e^-R (the base layer seen as a rectangle), X[1] = R, then each
    /// layer ends where the next begins, up to X[Layers] = 0. Layer i &gt; 0 spans heights F[i] to F[i + 1].
    /// </summary>
    public static readonly double[] X = new double[Layers + 1];

    /// <summary>F[i] = e^-X[i], with F[Layers] = 1.</summary>
    public static readonly double[] F = new double[Layers + 1];

    public static readonly Layer[] Table = new Layer[Layers];

    static ExponentialZiggurat()
    {
        // R is the one value for which 255 equal-area rectangles stacked on the base exactly reach e^0 = 1;
        // too small an R makes layers too large (they reach the top early), too large leaves the top layer larger.
        double lo = 1, hi = 30;
        for (int iteration = 0; iteration < 200 && lo < hi; iteration++)
        {
            double r = 0.5 * (lo + hi);
            double top = TopLayerExcess(r);
            if (top > 0) hi = r;
            else lo = r;
            if (r == 0.5 * (lo + hi)) break;
        }
        R = 0.5 * (lo + hi);
        V = Area(R);
        Fill(R, V);
        for (int i = 0; i < Layers; i++)
        {
            Table[i].Accept = (ulong)(X[i + 1] / X[i] * (1UL << 53));
            Table[i].Scale = X[i] * TwoToMinus53;
        }
    }

    /// <summary>Area of the base layer for a given R: the rectangle up to R under e^-R plus the tail beyond R.</summary>
    private static double Area(double r) => (r + 1) * Math.Exp(-r);

    /// <summary>Top layer's area minus V (positive: R too large); negative infinity when the layers reach the top early.</summary>
    private static double TopLayerExcess(double r)
    {
        double v = Area(r), x = r;
        for (int i = 1; i < Layers - 1; i++)
        {
            double y = Math.Exp(-x) + v / x;
            if (y >= 1) return double.NegativeInfinity;
            x = -Math.Log(y);
        }
        return x * (1 - Math.Exp(-x)) - v;
    }

    private static void Fill(double r, double v)
    {
        X[0] = v / Math.Exp(-r);
        X[1] = r;
        for (int i = 1; i < Layers - 1; i++) X[i + 1] = -Math.Log(Math.Exp(-X[i]) + v / X[i]);
        X[Layers] = 0;
        for (int i = 0; i <= Layers; i++) F[i] = Math.Exp(-X[i]);
    }

    /// <summary>The fast path's test and result: layer from the low 8 bits, position across it from the top 53.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryFast(ulong bits, out double x)
    {
        ref Layer layer = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(Table), (int)(bits & (Layers - 1)));
        ulong j = bits >> 11;
        x = j * layer.Scale;
        return j < layer.Accept;
    }

    /// <summary>
    /// A point outside the fast region: in the base layer it fell into the tail, which is R + Exp(1) (the
    /// exponential forgets); in another layer it is kept if it also lies under the curve, else the draw starts over.
    /// Returns the draw and the generator's state after it.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static (double X, RngState After) Slow(RngState rng, ulong bits)
    {
        double offset = 0;
        while (true)
        {
            int i = (int)(bits & (Layers - 1));
            if (i == 0)
            {
                offset += R;
            }
            else
            {
                double x = (bits >> 11) * Table[i].Scale;
                if (F[i] + rng.NextDouble() * (F[i + 1] - F[i]) < Math.Exp(-x)) return (offset + x, rng);
            }
            bits = rng.NextUInt64();
            if (TryFast(bits, out double fast)) return (offset + fast, rng);
        }
    }
}
