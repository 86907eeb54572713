using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace HvSim.Model;

/// <summary>
/// Software prefetch for the simulator's own hot loops (the host processor's caches, not any modelled memory): like the
/// processor's hardware prefetcher, a hint changes no value and no result, only how soon a later load finds its line.
/// </summary>
internal static class CacheHint
{
    /// <summary>
    /// Asks the processor to bring the cache line holding <paramref name="location"/> into every cache level
    /// (prefetcht0) while the caller goes on; nothing where SSE is missing (ARM's AdvSimd has no prefetch intrinsic).
    /// A stale or wrong address costs a wasted hint, never a fault: the instruction cannot trap.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Prefetch<T>(ref readonly T location)
    {
        if (Sse.IsSupported) Sse.Prefetch0(Unsafe.AsPointer(ref Unsafe.AsRef(in location)));
    }
}
