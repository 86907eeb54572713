namespace HvSim.Model.Hv;

/// <summary>HPTE dword-0 and dword-1 bits the model tracks (kernel-model.md §1, "HPT").</summary>
[Flags]
public enum HpteFlags : byte
{
    None = 0,
    /// <summary>HPTE_V_VALID: hardware may use this translation.</summary>
    Valid = 1,
    /// <summary>HPTE_V_ABSENT (0x20): the guest thinks it is valid, the hardware must not use it.</summary>
    Absent = 2,
    /// <summary>HPTE_V_BOLTED: the guest never evicts it.</summary>
    Bolted = 4,
    /// <summary>HPTE_R_R: set by hardware on reference.</summary>
    Referenced = 8,
    /// <summary>HPTE_R_C: set by hardware on a store.</summary>
    Changed = 16,
    /// <summary>PP demoted to read-only because the host PTE was not writable (§2.1 step 3, §2.3 step 2c).</summary>
    ReadOnly = 32,
    /// <summary>HPTE_V_SECONDARY: inserted in the secondary PTEG.</summary>
    Secondary = 64,
}

/// <summary>One 16-byte hardware HPTE, reduced to what the model needs: which guest page it translates and its bits.</summary>
public struct Hpte
{
    /// <summary>Guest page number the HPTE translates (stands for the AVPN); -1 for a free slot.</summary>
    public int GuestPage;
    public HpteFlags Flags;

    public readonly bool IsValid => (Flags & HpteFlags.Valid) != 0;
    public readonly bool IsAbsent => (Flags & HpteFlags.Absent) != 0;
    /// <summary>A free slot is neither VALID nor ABSENT (invariant 4).</summary>
    public readonly bool IsFree => (Flags & (HpteFlags.Valid | HpteFlags.Absent)) == 0;
}
