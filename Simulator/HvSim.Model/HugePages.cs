using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace HvSim.Model;

/// <summary>
/// The simulator's own big tables on the host processor's transparent huge pages (the machine running HvSim, not any
/// modelled memory): every guest access reads one line of its guest's HPT at a hashed place, every fault its revmap
/// entry and host page, so with 4 KiB pages nearly every such read of a multi-MiB table also misses the TLB and walks
/// the page table. A 2 MiB page covers 512 times as much. Like <see cref="CacheHint"/>, this changes no value and no
/// result, only how long a load waits.
/// </summary>
/// <remarks>
/// madvise(MADV_HUGEPAGE) marks the array's whole 2 MiB-aligned part; the kernel then backs it with huge pages as it is
/// first touched, where /sys/kernel/mm/transparent_hugepage/enabled is "madvise" (the usual default) or "always".
/// Nothing elsewhere (Windows, macOS, "never", a C library without madvise): the array is then an ordinary one.
/// </remarks>
internal static partial class HugePages
{
    private const int HugePageBytes = 2 << 20;
    /// <summary>MADV_HUGEPAGE (asm-generic/mman-common.h).</summary>
    private const int MadvHugepage = 14;
    /// <summary>Below this an array spans no more than one aligned huge page: not worth a system call.</summary>
    private const long MinBytes = 2 * HugePageBytes;

    private static bool _unavailable = !OperatingSystem.IsLinux();

    /// <summary>
    /// An array of <paramref name="length"/> elements, on huge pages where the host offers them: zeroed, or with whatever
    /// the memory held when the caller writes every element before reading any (<paramref name="zeroed"/> false).
    /// </summary>
    public static T[] NewArray<T>(int length, bool zeroed = true) where T : unmanaged
    {
        var array = zeroed ? new T[length] : GC.AllocateUninitializedArray<T>(length);
        Advise(array);
        return array;
    }

    private static unsafe void Advise<T>(T[] array) where T : unmanaged
    {
        long bytes = (long)array.Length * sizeof(T);
        if (_unavailable || bytes < MinBytes) return;
        // A large array is allocated in the large-object heap, which never moves it; pinned only to read its address.
        fixed (T* data = array)
        {
            long start = ((long)data + HugePageBytes - 1) & -(long)HugePageBytes;
            long end = ((long)data + bytes) & -(long)HugePageBytes;
            try
            {
                if (end > start) Madvise((nint)start, (nuint)(end - start), MadvHugepage);
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                _unavailable = true;
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "madvise", SetLastError = false)]
    private static partial int Madvise(nint address, nuint length, int advice);
}
