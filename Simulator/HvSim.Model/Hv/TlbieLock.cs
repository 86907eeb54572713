namespace HvSim.Model.Hv;

/// <summary>
/// kvm->arch.tlbie_lock: global tlbies of one VM are serialised, so a tlbie starts when both its caller is ready and
/// the previous tlbie of the VM has finished (kernel-model.md §4, C_tlbie).
/// </summary>
public sealed class TlbieLock(long tlbieNs)
{
    private long _freeAt;

    /// <summary>One global tlbie+eieio+tlbsync+ptesync issued at <paramref name="t"/>; returns when it completes.</summary>
    public long Tlbie(long t)
    {
        long start = Math.Max(t, _freeAt);
        _freeAt = start + tlbieNs;
        return _freeAt;
    }
}
