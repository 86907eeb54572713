namespace HvSim.Model.Hv;

/// <summary>
/// revmap entry (one per HPTE): the guest's view of dword 1 (here its R/C bits) and the forw/back HPT indices that
/// link the HPTE into its host page's circular rmap list (kernel-model.md §1).
/// </summary>
public struct RevmapEntry
{
    public int Forw;
    public int Back;
    /// <summary>guest_rpte R and C (<see cref="HpteFlags.Referenced"/>, <see cref="HpteFlags.Changed"/>).</summary>
    public HpteFlags GuestRc;
}
