using System.Runtime.CompilerServices;

namespace HvSim.Engine.Kernel;

/// <summary>
/// One pending event: when it fires, its place in the total order, and whom it wakes.
/// 24 bytes and no object reference, so moving entries costs no GC write barrier.
/// </summary>
internal struct EventEntry
{
    public long Time;
    /// <summary>Priority class in the top two bits, then the 62-bit scheduling sequence number.</summary>
    public ulong Order;
    /// <summary>Slot and generation of the woken process or callback (see <see cref="Simulation"/>).</summary>
    public ulong Who;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Before(in EventEntry a, in EventEntry b) =>
        a.Time < b.Time || (a.Time == b.Time && a.Order < b.Order);
}
