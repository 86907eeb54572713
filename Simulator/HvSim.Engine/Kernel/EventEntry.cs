namespace HvSim.Engine.Kernel;

/// <summary>
/// One pending event: 16 bytes and no object reference, so moving entries is cheap and costs no GC write barrier.
/// </summary>
internal struct EventEntry
{
    /// <summary>Time in ns shifted left by one, priority class in the low bit: keys order (time, class).</summary>
    public long Key;
    /// <summary>Slot and generation of the woken process or callback (see <see cref="Simulation"/>).</summary>
    public ulong Who;
}
