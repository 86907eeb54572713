namespace HvSim.Model.Mm;

/// <summary>
/// mm-&gt;mmap_sem of each guest's QEMU, as far as reclaim can see it (rwsem_is_locked): held for read by every vCPU
/// thread inside the get_user_pages slow path, which the powerpc get_user_pages_fast takes with down_read around the
/// whole fault, swap read and direct reclaim included (arch/powerpc/mm/gup.c).
/// </summary>
public sealed class MmapSem(int guests)
{
    private readonly int[] _readers = new int[guests];

    /// <summary>down_read.</summary>
    public void DownRead(int mm) => _readers[mm]++;

    /// <summary>up_read.</summary>
    public void UpRead(int mm) => _readers[mm]--;

    /// <summary>rwsem_is_locked.</summary>
    public bool IsLocked(int mm) => _readers[mm] > 0;
}
